import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SieveError } from '../errors.js';
import { parquetInfo, readParquetBatches } from '../io/parquet.js';
import { MANIFEST_FILE } from '../pipeline/manifest.js';
import type { RunManifest } from '../recipe/run-recipe.js';
import { DISTRIBUTIONS_DIR, type RunDistributions, type SignalAtStep, type StepDistribution } from '../recipe/run-distributions.js';
import { SAMPLES_DIR, type SampleRecord } from '../recipe/run-samples.js';
import { ValueCounter, mergeValueCounts, type ValueCounts } from '../recipe/value-counts.js';

/** Where the dedup step leaves its clusters (one row per cluster or per document, with `cluster_size`). */
export const DEDUP_CLUSTERS = join('dedup', 'clusters.parquet');

/** DSIR importance weights in the signals Parquet: `rps_doc_<target>_importance`. */
export const IMPORTANCE_COLUMN = /^rps_doc_[a-z0-9_]+_importance$/;

/** A run's manifest as the report reads it; runs before the report existed lack `charactersLeft`. */
export type ReportManifest = Omit<RunManifest, 'totals'> & {
  readonly totals: Omit<RunManifest['totals'], 'charactersLeft'> & { readonly charactersLeft?: RunManifest['totals']['charactersLeft'] };
};

/** Everything `sieve report` reads from a run directory. Optional parts are undefined when the run has none. */
export interface RunData {
  readonly manifest: ReportManifest;
  /** The distributions of every shard, merged (absent for runs that did not record them). */
  readonly distributions?: RunDistributions;
  /** Sample documents of every shard, in input order (absent when the run kept none). */
  readonly samples?: readonly SampleRecord[];
  /** Per importance column of the kept documents' signals: its values. */
  readonly importance: readonly { readonly column: string; readonly values: ValueCounts }[];
  /** Dedup cluster sizes, one count per cluster. */
  readonly clusterSizes?: ValueCounts;
}

/** Reads a `sieve run` output directory. A missing or foreign manifest is an input error; everything else is optional. */
export async function loadRunData(dir: string): Promise<RunData> {
  const manifest = await readManifest(dir);
  const outputs = manifest.inputs.flatMap((i) => i.outputs);
  const distributionFiles = outputs.filter((o) => o.startsWith(`${DISTRIBUTIONS_DIR}/`));
  const sampleFiles = outputs.filter((o) => o.startsWith(`${SAMPLES_DIR}/`));
  const signalFiles = outputs.filter((o) => o.endsWith('.signals.parquet'));
  const parts: RunDistributions[] = [];
  for (const f of distributionFiles) parts.push(JSON.parse(await readOutput(dir, f, 'utf8')) as RunDistributions);
  const samples: SampleRecord[] = [];
  for (const f of sampleFiles) {
    const text = gunzipSync(await readOutput(dir, f)).toString('utf8');
    for (const line of text.split('\n')) if (line.length > 0) samples.push(JSON.parse(line) as SampleRecord);
  }
  const clusters = join(dir, DEDUP_CLUSTERS);
  return {
    manifest,
    distributions: parts.length > 0 ? mergeDistributions(parts) : undefined,
    samples: sampleFiles.length > 0 ? samples : undefined,
    importance: await importanceValues(signalFiles.map((f) => join(dir, f))),
    clusterSizes: existsSync(clusters) ? await clusterSizes(clusters) : undefined,
  };
}

async function readManifest(dir: string): Promise<ReportManifest> {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new SieveError('E_INPUT_MISSING', `no ${MANIFEST_FILE} in ${dir}`, { location: { file: path }, hint: 'give the --out directory of a `sieve run RECIPE INPUTS --out DIR`' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new SieveError('E_INPUT_PARSE', `${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`, { location: { file: path }, cause: err });
  }
  const m = parsed as Partial<ReportManifest> | null;
  if (m?.command !== 'run' || !Array.isArray(m.recipe?.steps) || !Array.isArray(m.inputs) || typeof m.totals?.documents !== 'number') {
    throw new SieveError('E_INPUT_FORMAT', `${path} is not the manifest of a recipe run`, { location: { file: path }, hint: 'sieve report reads the output of `sieve run`, not of `sieve signals`' });
  }
  return m as ReportManifest;
}

async function readOutput(dir: string, file: string): Promise<Buffer>;
async function readOutput(dir: string, file: string, encoding: 'utf8'): Promise<string>;
async function readOutput(dir: string, file: string, encoding?: 'utf8'): Promise<Buffer | string> {
  const path = join(dir, file);
  try {
    return encoding ? await readFile(path, encoding) : await readFile(path);
  } catch (err) {
    throw new SieveError('E_INPUT_MISSING', `the manifest lists ${file}, which cannot be read: ${(err as Error).message}`, { location: { file: path }, cause: err, hint: 'was the run directory moved or partly deleted? rerun `sieve run`' });
  }
}

/** Adds up the shards' distributions, step by step and signal by signal (all shards ran the same recipe). */
export function mergeDistributions(parts: readonly RunDistributions[]): RunDistributions {
  const steps: StepDistribution[] = parts[0].steps.map((first, i) => ({
    step: first.step,
    kind: first.kind,
    documents: parts.reduce((n, p) => n + p.steps[i].documents, 0),
    signals: first.signals.map((s, j): SignalAtStep => ({
      signal: s.signal,
      level: s.level,
      passed: mergeValueCounts(parts.map((p) => p.steps[i].signals[j].passed)),
      dropped: mergeValueCounts(parts.map((p) => p.steps[i].signals[j].dropped)),
    })),
  }));
  const languages = (pick: (p: RunDistributions) => Readonly<Record<string, number>>) => {
    const total = new Map<string, number>();
    for (const p of parts) for (const [k, v] of Object.entries(pick(p))) total.set(k, (total.get(k) ?? 0) + v);
    return Object.fromEntries([...total].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  };
  return {
    version: 1,
    steps,
    lengths: { input: mergeValueCounts(parts.map((p) => p.lengths.input)), kept: mergeValueCounts(parts.map((p) => p.lengths.kept)) },
    languages: { input: languages((p) => p.languages.input), kept: languages((p) => p.languages.kept) },
  };
}

async function importanceValues(files: readonly string[]): Promise<{ column: string; values: ValueCounts }[]> {
  const counters = new Map<string, ValueCounter>();
  for (const file of files) {
    const columns = (await parquetInfo(file)).columns.filter((c) => IMPORTANCE_COLUMN.test(c));
    if (columns.length === 0) continue;
    for await (const table of readParquetBatches(file, { columns, batchSize: 65_536 })) {
      for (const column of columns) {
        const counter = counters.get(column) ?? new ValueCounter();
        counters.set(column, counter);
        const vector = table.getChild(column);
        for (let i = 0; i < table.numRows; i++) addNumber(counter, vector?.get(i));
      }
    }
  }
  return [...counters].sort(([a], [b]) => (a < b ? -1 : 1)).map(([column, c]) => ({ column, values: c.counts() }));
}

/** Cluster sizes, each cluster counted once: by `cluster_id` when the file has one, else one per row. */
async function clusterSizes(path: string): Promise<ValueCounts> {
  const info = await parquetInfo(path);
  if (!info.columns.includes('cluster_size')) {
    throw new SieveError('E_INPUT_FIELD', `${DEDUP_CLUSTERS} has no cluster_size column (columns: ${info.columns.join(', ')})`, { location: { file: path } });
  }
  const byId = info.columns.includes('cluster_id');
  const seen = new Set<string>();
  const counter = new ValueCounter();
  for await (const table of readParquetBatches(path, { columns: byId ? ['cluster_id', 'cluster_size'] : ['cluster_size'], batchSize: 65_536 })) {
    const sizes = table.getChild('cluster_size');
    const ids = byId ? table.getChild('cluster_id') : null;
    for (let i = 0; i < table.numRows; i++) {
      if (ids) {
        const id = String(ids.get(i));
        if (seen.has(id)) continue;
        seen.add(id);
      }
      addNumber(counter, sizes?.get(i));
    }
  }
  return counter.counts();
}

function addNumber(counter: ValueCounter, v: unknown): void {
  if (typeof v === 'number') counter.add(v);
  else if (typeof v === 'bigint') counter.add(Number(v));
  else counter.addNull();
}
