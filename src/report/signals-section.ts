import { formatCount } from '../cli/output.js';
import type { RunDistributions, SignalAtStep } from '../recipe/run-distributions.js';
import { totalCount } from '../recipe/value-counts.js';
import { displayBins, formatNumber } from './bins.js';
import { html, type Html } from './html.js';
import { DROPPED, KEPT, type Section } from './page.js';
import type { ReportManifest } from './run-data.js';
import { histogramSvg, type Marker } from './svg.js';
import { ruleThresholds, type Threshold } from './thresholds.js';

const OP_LABEL: Readonly<Record<Threshold['op'], string>> = { '==': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** Per step, a histogram of each signal it reads, split by its verdict, with its thresholds drawn. */
export function signalsSection(manifest: ReportManifest, distributions: RunDistributions | undefined): Section {
  const title = 'Signals at each step';
  if (!distributions) {
    return {
      id: 'signals',
      title,
      body: html`<p class="note">This run recorded no value distributions (<code>distributions/*.json</code>, written by <code>sieve run</code> of this version): rerun the recipe to chart the signals.</p>`,
    };
  }
  const rules = new Map(manifest.recipe.steps.map((s) => [s.name, s.rule ?? '']));
  const steps = distributions.steps.map((step) => {
    const rule = rules.get(step.step) ?? '';
    const thresholds = rule ? ruleThresholds(rule) : [];
    const figures = step.signals.map((s) => signalFigure(s, thresholds.filter((t) => t.signal === s.signal), step.documents));
    return html`<h3>${step.step} <small>(${step.kind}, ${formatCount(step.documents)} documents reached it)</small></h3>
<p><code>${rule}</code></p>
<div class="charts">${figures}</div>`;
  });
  return {
    id: 'signals',
    title,
    body: html`<p>The values each step read, for the documents that reached it (document signals: one value per document; line signals: one per line), coloured by what the step did with them. Dashed lines are the constants the rule compares the signal with.</p>
${steps}`,
  };
}

function signalFigure(s: SignalAtStep, thresholds: readonly Threshold[], documents: number): Html {
  const unit = s.level === 'line' ? 'lines' : 'documents';
  const bins = displayBins([s.passed, s.dropped], thresholds.map((t) => t.value));
  const nulls = s.passed.nulls + s.dropped.nulls;
  const markers: Marker[] = thresholds.map((t) => ({ value: t.value, label: `${OP_LABEL[t.op]} ${formatNumber(t.value)}` }));
  const outside = bins ? markers.filter((m) => m.value < bins.edges[0] || m.value > bins.edges[bins.edges.length - 1]) : markers;
  const caption = html`<figcaption><code>${s.signal}</code>: ${formatCount(totalCount(s.passed) + totalCount(s.dropped))} ${unit}, ${formatCount(totalCount(s.dropped))} dropped${nulls > 0 ? `, ${formatCount(nulls)} null (not charted)` : ''}${outside.length > 0 ? `; beyond the chart: ${outside.map((m) => m.label).join(', ')}` : ''}.</figcaption>`;
  if (!bins) {
    return html`<figure><p class="note">${documents === 0 ? 'No document reached this step.' : `No value of ${s.signal} to chart.`}</p>${caption}</figure>`;
  }
  return html`<figure class="chart">${histogramSvg(bins, [KEPT, DROPPED], markers, `${s.signal} (${unit})`)}${caption}</figure>`;
}
