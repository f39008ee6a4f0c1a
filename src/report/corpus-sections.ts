import { formatCount } from '../cli/output.js';
import type { RunDistributions } from '../recipe/run-distributions.js';
import { totalCount, type ValueCounts } from '../recipe/value-counts.js';
import { displayBins } from './bins.js';
import { html, type Html } from './html.js';
import { INPUT, OUTPUT, type Section } from './page.js';
import { barsSvg, histogramSvg, type BarRow, type Series } from './svg.js';

/** Languages charted one by one; the rest share one bar. */
const TOP_LANGUAGES = 15;

/** Languages and text lengths of the input and of what the recipe kept. */
export function corpusSection(distributions: RunDistributions | undefined): Section {
  const title = 'Languages and lengths';
  if (!distributions) {
    return { id: 'corpus', title, body: html`<p class="note">This run recorded no distributions: rerun <code>sieve run</code> with this version.</p>` };
  }
  const { input, kept } = distributions.languages;
  const ranked = Object.keys(input).sort((a, b) => input[b] - input[a] || (a < b ? -1 : 1));
  const rows: BarRow[] = ranked.slice(0, TOP_LANGUAGES).map((lang) => ({ label: lang, values: [input[lang], kept[lang] ?? 0] }));
  const rest = ranked.slice(TOP_LANGUAGES);
  if (rest.length > 0) {
    rows.push({ label: `${rest.length} others`, values: [rest.reduce((n, l) => n + input[l], 0), rest.reduce((n, l) => n + (kept[l] ?? 0), 0)] });
  }
  const languages = rows.length > 0 ? html`<figure class="chart">${barsSvg(rows, [INPUT, OUTPUT], 'documents by language')}<figcaption>The language each document's signals used: <code>--lang</code>, else its <code>language</code> field, else en.</figcaption></figure>` : '';
  return {
    id: 'corpus',
    title,
    body: html`<div class="charts">${languages}
${histogramFigure(distributions.lengths.input, INPUT, 'characters per input document', 'input documents')}
${histogramFigure(distributions.lengths.kept, OUTPUT, 'characters per kept document', 'kept documents, final text')}</div>`,
  };
}

/** Sizes of the dedup step's clusters, when the run wrote `dedup/clusters.parquet`. */
export function dedupSection(sizes: ValueCounts): Section {
  return {
    id: 'dedup',
    title: 'Duplicate clusters',
    body: html`<div class="charts">${histogramFigure(sizes, { name: 'clusters', color: '#72b7b2' }, 'documents per cluster', 'clusters in dedup/clusters.parquet')}</div>`,
  };
}

/** DSIR importance weights of the kept documents, per `rps_doc_*_importance` column. */
export function importanceSection(columns: readonly { readonly column: string; readonly values: ValueCounts }[]): Section {
  return {
    id: 'importance',
    title: 'Importance weights',
    body: html`<div class="charts">${columns.map((c) => histogramFigure(c.values, { name: 'kept documents', color: '#b279a2' }, c.column, `${c.column} of the kept documents (signals/*.signals.parquet)`))}</div>`,
  };
}

function histogramFigure(values: ValueCounts, series: Series, label: string, caption: string): Html {
  const bins = displayBins([values]);
  const nulls = values.nulls > 0 ? `, ${formatCount(values.nulls)} null` : '';
  if (!bins) return html`<figure><p class="note">No values.</p><figcaption>${caption}${nulls}.</figcaption></figure>`;
  return html`<figure class="chart">${histogramSvg(bins, [series], [], label)}<figcaption>${caption}: ${formatCount(totalCount(values))}${nulls}.</figcaption></figure>`;
}
