import { html, trustedHtml, type Html } from './html.js';
import type { Series } from './svg.js';

/** One part of the report, listed in its table of contents. */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly body: Html;
}

/** Colours shared by the sections, so one meaning keeps one colour throughout. */
export const KEPT: Series = { name: 'kept by this step', color: '#4c78a8' };
export const DROPPED: Series = { name: 'dropped by this step', color: '#e45756' };
export const INPUT: Series = { name: 'input', color: '#9ecae9' };
export const OUTPUT: Series = { name: 'kept', color: '#4c78a8' };

// The page runs no script and loads nothing: the policy makes any markup that slipped through inert.
const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = trustedHtml(`
body { font: 14px/1.45 system-ui, sans-serif; color: #222; margin: 0 auto; max-width: 1180px; padding: 0 20px 60px; }
h1 { font-size: 22px; margin: 24px 0 4px; }
h2 { font-size: 18px; margin: 36px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 22px 0 6px; }
nav a { margin-right: 14px; }
.summary { color: #444; }
.note { background: #fff8e1; border-left: 3px solid #f0b400; padding: 6px 10px; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
figure { margin: 0; }
figcaption { font-size: 12px; color: #555; max-width: 560px; }
svg text { fill: #333; }
svg .axis { stroke: #666; }
svg .grid { stroke: #eee; }
svg .marker { stroke: #111; stroke-dasharray: 4 3; stroke-width: 1.5; }
svg .marker-label { font-weight: 600; }
svg .axis-label { fill: #777; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border-bottom: 1px solid #eee; padding: 3px 10px; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
code { background: #f4f4f4; padding: 1px 4px; border-radius: 3px; font-size: 12px; }
.sample { border: 1px solid #ddd; border-radius: 4px; margin: 8px 0; }
.sample header { background: #f7f7f7; padding: 3px 8px; font-size: 12px; color: #444; overflow-wrap: anywhere; }
.sample pre { margin: 0; padding: 6px 8px; max-height: 220px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
`);

/** The whole page: one file, styles inline, no script, no external resource. */
export function renderPage(title: string, intro: Html, sections: readonly Section[]): string {
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
${intro}
<nav>${sections.map((s) => html`<a href="#${s.id}">${s.title}</a>`)}</nav>
${sections.map((s) => html`<section id="${s.id}">
<h2>${s.title}</h2>
${s.body}
</section>
`)}</body>
</html>
`;
  return page.value;
}
