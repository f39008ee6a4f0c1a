import { formatCount } from '../cli/output.js';
import { html } from './html.js';
import { INPUT, type Section } from './page.js';
import type { ReportManifest } from './run-data.js';
import { barsSvg, type BarRow } from './svg.js';

/** `12.3 %` of a whole; `-` for an empty whole. */
export function percent(n: number, of: number): string {
  return of > 0 ? `${((100 * n) / of).toFixed(1)} %` : '-';
}

/** Documents and characters left after each step, as two bar charts and a table. */
export function funnelSection(manifest: ReportManifest): Section {
  const t = manifest.totals;
  const steps = manifest.recipe.steps;
  let docsLeft = t.documents;
  const docs: BarRow[] = [{ label: 'input', values: [t.documents], notes: [`${formatCount(t.documents)} (100 %)`] }];
  const chars: BarRow[] = [{ label: 'input', values: [t.characters], notes: [`${formatCount(t.characters)} (100 %)`] }];
  let charsBefore = t.characters;
  const rows = steps.map((step) => {
    const dropped = t.dropped[step.name] ?? 0;
    docsLeft -= dropped;
    docs.push({ label: step.name, values: [docsLeft], notes: [`${formatCount(docsLeft)} (${percent(docsLeft, t.documents)})`] });
    const left = t.charactersLeft?.[step.name];
    const removed = left === undefined ? undefined : charsBefore - left;
    if (left !== undefined) {
      chars.push({ label: step.name, values: [left], notes: [`${formatCount(left)} (${percent(left, t.characters)})`] });
      charsBefore = left;
    }
    return html`<tr><td>${step.name}</td><td class="text">${step.kind}</td><td>${formatCount(dropped)}</td><td>${removed === undefined ? '' : formatCount(removed)}</td><td class="text"><code>${step.rule ?? ''}</code></td></tr>`;
  });
  const series = [{ ...INPUT, name: 'left', color: '#4c78a8' }];
  const charChart = t.charactersLeft
    ? html`<figure class="chart">${barsSvg(chars, series, 'characters left after each step')}</figure>`
    : html`<p class="note">This run's manifest has no characters per step (<code>totals.charactersLeft</code>): rerun <code>sieve run</code> with this version to chart them.</p>`;
  return {
    id: 'funnel',
    title: 'Recipe funnel',
    body: html`<p>Each step sees the documents the steps before it kept; a <code>keep_lines</code> step also shortens the texts it keeps. ${formatCount(t.rejected)} unreadable records were rejected before any step.</p>
<div class="charts"><figure class="chart">${barsSvg(docs, series, 'documents left after each step')}</figure>${charChart}</div>
<table><thead><tr><th>step</th><th>kind</th><th>documents dropped</th><th>characters removed</th><th>rule</th></tr></thead><tbody>${rows}</tbody></table>`,
  };
}
