import { formatCount } from '../cli/output.js';
import type { SampleRecord } from '../recipe/run-samples.js';
import { html, type Html } from './html.js';
import type { Section } from './page.js';
import type { ReportManifest } from './run-data.js';

/** The first documents each rule dropped and the first kept, in input order, texts shown as text. */
export function samplesSection(manifest: ReportManifest, samples: readonly SampleRecord[] | undefined, perGroup: number): Section {
  const title = 'Sample documents';
  if (!samples) {
    return { id: 'samples', title, body: html`<p class="note">This run kept no sample documents: run <code>sieve run</code> with <code>--samples N</code> (N &gt; 0; this version keeps 3 by default).</p>` };
  }
  const groups = manifest.recipe.steps.map((step) => {
    const dropped = samples.filter((s) => s.kind === 'dropped' && s.rule === step.name).slice(0, perGroup);
    const count = manifest.totals.dropped[step.name] ?? 0;
    return html`<h3>Dropped by ${step.name} <small>(${formatCount(count)} in all)</small></h3>
${dropped.length > 0 ? dropped.map(sampleBox) : html`<p>None.</p>`}`;
  });
  const kept = samples.filter((s) => s.kind === 'kept').slice(0, perGroup);
  return {
    id: 'samples',
    title,
    body: html`<p>The first documents in input order that each rule dropped (their text as the rule saw it), and the first kept (their final text).</p>
${groups}
<h3>Kept <small>(${formatCount(manifest.totals.kept)} in all)</small></h3>
${kept.length > 0 ? kept.map(sampleBox) : html`<p>None.</p>`}`,
  };
}

function sampleBox(s: SampleRecord): Html {
  const length = s.truncated ? `first ${formatCount(s.text.length)} of ${formatCount(s.characters)} characters` : `${formatCount(s.characters)} characters`;
  return html`<article class="sample"><header>${s.id}${s.url ? html` · ${s.url}` : ''} · ${length}</header><pre>${s.text.length > 0 ? s.text : '(empty text)'}</pre></article>`;
}
