import { FASTTEXT_SIGNAL_PREFIX } from '../../signals/classifiers.js';
import { listSignals, registerImportanceSignals, resolveSignals } from '../../signals/index.js';
import { SieveError } from '../errors.js';
import { formatClassifierSpec, loadFastTextResources } from '../fasttext/index.js';
import { loadDsirSignalModels } from '../dsir/signal-models.js';
import { PACKAGE_VERSION } from '../version.js';
import { manifestTotals, writeManifest, type Manifest, type ManifestInput } from './manifest.js';
import { readingOptions, resumeKey, signalSettings, runShards, shardInput, type ReadRunOptions } from './run-shards.js';
import { runShardTask, type OutputFormat, type ShardResult, type ShardTask } from './shard-task.js';

export type { Progress } from './run-shards.js';

/** Options of {@link computeSignals}. */
export interface ComputeSignalsOptions extends ReadRunOptions {
  /** Output directory: the signals of each input (see `format`), `manifest.json`, `rejected/`. */
  readonly out: string;
  /** @default 'parquet' */
  readonly format?: OutputFormat;
  /** Signal names or family ids. @default every registered signal, and `fasttext:<name>` for each classifier */
  readonly signals?: readonly string[];
}

/** What {@link computeSignals} did: the manifest it wrote and how long it took. */
export interface SignalsSummary {
  readonly manifest: Manifest;
  readonly manifestPath: string;
  readonly elapsedMs: number;
  /** Shards skipped because an earlier run completed them. */
  readonly resumed: number;
}

/**
 * Computes signals for every input shard in parallel and writes one output per shard plus a
 * manifest. With `onError: 'fail'` the first bad record stops the run with a SieveError naming it,
 * and no partial output is left under a final name.
 *
 * @example
 * const { manifest } = await computeSignals({ inputs: ['shard.jsonl.gz'], out: 'out/signals' });
 */
export async function computeSignals(options: ComputeSignalsOptions): Promise<SignalsSummary> {
  const onError = options.onError ?? 'fail';
  const format = options.format ?? 'parquet';
  if (options.dsir) {
    // Bad names or model files are reported before any shard starts.
    await loadDsirSignalModels(options.dsir);
    registerImportanceSignals(options.dsir.map((m) => m.name));
  }
  const classifiers = (options.classifiers ?? []).map((c) => c.name);
  const selection = options.signals ?? [...listSignals().map((r) => r.signal.name), ...classifiers.map((n) => FASTTEXT_SIGNAL_PREFIX + n)];
  const resolved = resolveSignals(selection);
  const signals = resolved.map((r) => r.signal.name);
  const unbound = signals.find((s) => s.startsWith(FASTTEXT_SIGNAL_PREFIX) && !classifiers.includes(s.slice(FASTTEXT_SIGNAL_PREFIX.length)));
  if (unbound) {
    throw new SieveError('E_USAGE', `signal ${unbound} needs a classifier of that name`, { hint: `add --classifier ${unbound.slice(FASTTEXT_SIGNAL_PREFIX.length)}=MODEL.bin` });
  }
  const fasttext = await loadFastTextResources(options);
  const key = resumeKey({
    command: 'signals',
    version: PACKAGE_VERSION,
    signals: resolved.map((r) => `${r.signal.name}@${r.family.version}`),
    format,
    ...readingOptions(options),
    ...signalSettings(options),
  });
  const { results, elapsedMs, resumed } = await runShards<ShardTask, Extract<ShardResult, { ok: true }>>({
    inputs: options.inputs,
    out: options.out,
    resume: { key, force: options.force },
    slice: options.slice,
    onError,
    workers: options.workers,
    onProgress: options.onProgress,
    runInProcess: runShardTask,
    task: (shard, shared) => ({ ...shardInput(options, shard, shared), fasttext, kind: 'signals', signals, format }),
  });
  const inputs: ManifestInput[] = results.map((r) => ({
    input: r.input,
    name: r.name,
    documents: r.documents,
    rejected: r.rejected,
    outputs: r.outputs,
    ...(r.rejectedFile ? { rejectedFile: r.rejectedFile } : {}),
    ...(r.duplicateIds ? { duplicateIds: r.duplicateIds } : {}),
  }));
  const manifest: Manifest = {
    tool: `pajama-sieve ${PACKAGE_VERSION}`,
    command: 'signals',
    signals,
    options: {
      format,
      ut1: options.ut1 ?? null,
      lidModel: options.lidModel ?? null,
      classifiers: options.classifiers?.map(formatClassifierSpec).join(',') ?? null,
      textField: options.textField ?? null,
      idField: options.idField ?? null,
      inputFormat: options.inputFormat ?? null,
      onError,
      lang: options.lang ?? null,
      dsir: options.dsir?.map((m) => `${m.name}=${m.path}`).join(',') ?? null,
    },
    inputs,
    totals: manifestTotals(inputs),
  };
  const manifestPath = await writeManifest(options.out, manifest, options.slice);
  return { manifest, manifestPath, elapsedMs, resumed };
}
