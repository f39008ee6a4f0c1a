import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSignals } from '../../signals/index.js';
import { formatCount } from '../cli/output.js';
import { writeAtomically } from '../io/atomic-file.js';
import { FORMATS } from '../io/formats.js';
import { explainRecipe, type ExplainReport } from '../recipe/explain.js';
import { parseExpression, type Expr } from '../recipe/expression.js';
import { DEFAULT_SAMPLES } from '../recipe/run-samples.js';
import { corpusSection, dedupSection, importanceSection } from './corpus-sections.js';
import { funnelSection, percent } from './funnel-section.js';
import { html } from './html.js';
import { overlapSection } from './overlap-section.js';
import { renderPage, type Section } from './page.js';
import { loadRunData, type ReportManifest } from './run-data.js';
import { samplesSection } from './samples-section.js';
import { signalsSection } from './signals-section.js';

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** The `--out` directory of a `sieve run`. */
  readonly run: string;
  /** The HTML file to write. @default `<run>/report.html` */
  readonly out?: string;
  /**
   * Re-read the run's inputs to compute the rule overlap table (`sieve explain`); this costs
   * about as much as the run itself. @default true
   */
  readonly explain?: boolean;
  /** Worker threads for the overlap pass. @default the number of cores */
  readonly workers?: number;
  /** Sample documents shown per rule and of the kept ones, at most what the run kept. @default 3 */
  readonly samples?: number;
}

/** What {@link buildReport} wrote. */
export interface ReportSummary {
  readonly path: string;
  /** Ids of the sections written, in page order. */
  readonly sections: readonly string[];
  /** Why the overlap table is missing, when it is. */
  readonly overlapNote?: string;
  readonly elapsedMs: number;
}

/**
 * Writes one self-contained HTML page about a recipe run: the funnel, the rule overlap table, a
 * histogram of every signal at every step with the rule's thresholds, sample documents, languages
 * and lengths, and dedup clusters and importance weights when the run has them. Same run, same bytes.
 *
 * @example
 * await buildReport({ run: 'out/c4', out: 'out/c4/report.html' });
 */
export async function buildReport(options: ReportOptions): Promise<ReportSummary> {
  const started = performance.now();
  const data = await loadRunData(options.run);
  const m = data.manifest;
  const overlap = options.explain === false ? { note: 'Not computed (--no-explain).' } : await overlapTable(m, options.workers);
  const sections: Section[] = [
    funnelSection(m),
    overlapSection(overlap.report, overlap.note),
    signalsSection(m, data.distributions),
    samplesSection(m, data.samples, options.samples ?? DEFAULT_SAMPLES),
    corpusSection(data.distributions),
  ];
  if (data.clusterSizes) sections.push(dedupSection(data.clusterSizes));
  if (data.importance.length > 0) sections.push(importanceSection(data.importance));
  const t = m.totals;
  const intro = html`<p class="summary">Recipe <code>${m.recipe.path}</code> (sha-256 ${m.recipe.hash.slice(0, 12)}…) over ${formatCount(t.inputs)} input${t.inputs === 1 ? '' : 's'}: ${formatCount(t.documents)} documents, ${formatCount(t.kept)} kept (${percent(t.kept, t.documents)}), ${formatCount(t.rejected)} rejected; ${formatCount(t.characters)} characters in, ${formatCount(t.keptCharacters)} kept (${percent(t.keptCharacters, t.characters)}). ${m.tool}.</p>`;
  const page = renderPage(`sieve report: ${m.recipe.name}`, intro, sections);
  const path = options.out ?? join(options.run, 'report.html');
  await writeAtomically(path, (tmp) => writeFile(tmp, page));
  return { path, sections: sections.map((s) => s.id), overlapNote: overlap.report ? undefined : overlap.note, elapsedMs: performance.now() - started };
}

/** Runs `sieve explain` over the run's inputs, or says why it cannot. */
async function overlapTable(m: ReportManifest, workers: number | undefined): Promise<{ report?: ExplainReport; note?: string }> {
  const inputs = m.inputs.map((i) => i.input);
  if (inputs.includes('-')) return { note: 'Not computed: the run read standard input, which cannot be read again.' };
  if (!existsSync(m.recipe.path)) return { note: `Not computed: the recipe ${m.recipe.path} is not there any more (paths are relative to where sieve run ran).` };
  if (createHash('sha256').update(readFileSync(m.recipe.path)).digest('hex') !== m.recipe.hash) {
    return { note: `Not computed: ${m.recipe.path} changed since the run; rerun the recipe to compare its rules.` };
  }
  const missing = inputs.find((i) => !existsSync(i));
  if (missing !== undefined) return { note: `Not computed: the input ${missing} is not there any more (paths are relative to where sieve run ran).` };
  const known = new Set(listSignals().map((r) => r.signal.name));
  const unknown = [...new Set(m.recipe.steps.flatMap((s) => (s.rule ? signalNames(parseExpression(s.rule)) : [])))].filter((n) => !known.has(n));
  if (unknown.length > 0) {
    return { note: `Not computed: the recipe uses signals this process has not registered (${unknown.join(', ')}); call buildReport where they are registered.` };
  }
  const o = m.options;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const report = await explainRecipe({
    recipe: m.recipe.path,
    inputs,
    out: join(tmpdir(), 'sieve-explain'),
    workers,
    textField: text(o.textField),
    idField: text(o.idField),
    inputFormat: FORMATS.find((f) => f === o.inputFormat),
    onError: o.onError === 'skip' ? 'skip' : 'fail',
    lang: text(o.lang),
    ut1: text(o.ut1),
  });
  return { report };
}

function signalNames(e: Expr): string[] {
  switch (e.kind) {
    case 'signal':
      return [e.name];
    case 'negate':
    case 'not':
    case 'isNull':
      return signalNames(e.operand);
    case 'arithmetic':
    case 'comparison':
    case 'logical':
      return [...signalNames(e.left), ...signalNames(e.right)];
    case 'call':
      return e.args.flatMap(signalNames);
    default:
      return [];
  }
}
