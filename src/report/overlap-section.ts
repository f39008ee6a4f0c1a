import { formatCount } from '../cli/output.js';
import { SWEEP_FACTORS, type ExplainReport } from '../recipe/explain.js';
import { percent } from './funnel-section.js';
import { html } from './html.js';
import type { Section } from './page.js';

/** `sieve explain`'s table: what each rule drops alone, only it, and what is kept without it or at other constants. */
export function overlapSection(report: ExplainReport | undefined, note: string | undefined): Section {
  const title = 'Rule overlap';
  if (!report) return { id: 'overlap', title, body: html`<p class="note">${note ?? 'Not computed.'}</p>` };
  const n = report.documents;
  const rules = report.rules.map(
    (r) => html`<tr><td>${r.name}</td><td class="text">${r.kind}</td><td>${formatCount(r.drops)}</td><td>${percent(r.drops, n)}</td><td>${formatCount(r.dropsOnly)}</td><td>${formatCount(r.keptWithout)} (${percent(r.keptWithout, n)})</td></tr>`,
  );
  const sweeps = report.rules.flatMap((r) =>
    r.thresholds.map((t) => html`<tr><td>${r.name}</td><td>${t.constant}</td>${t.at.map((a) => html`<td title="${a.value}">${percent(a.kept, n)}</td>`)}</tr>`),
  );
  const sweepTable = sweeps.length > 0
    ? html`<h3>Kept share with one constant scaled</h3>
<table><thead><tr><th>rule</th><th>constant</th>${SWEEP_FACTORS.map((f) => html`<th>×${f}</th>`)}</tr></thead><tbody>${sweeps}</tbody></table>`
    : '';
  return {
    id: 'overlap',
    title,
    body: html`<p>Every rule evaluated on every one of the ${formatCount(n)} documents (not only those that reached it), as <code>sieve explain</code> prints it: the recipe keeps ${formatCount(report.kept)} (${percent(report.kept, n)}).</p>
<table><thead><tr><th>rule</th><th>kind</th><th>fails</th><th>share</th><th>fails only this rule</th><th>kept without this rule</th></tr></thead><tbody>${rules}</tbody></table>
${sweepTable}`,
  };
}
