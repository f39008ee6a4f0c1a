import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { Piscina } from 'piscina';
import { resolveSignals } from '../../signals/index.js';
import { SieveError } from '../errors.js';
import type { Format } from '../io/formats.js';
import { expandInputs, type InputShard } from '../io/inputs.js';
import type { OnError } from '../io/read-options.js';
import { PACKAGE_VERSION } from '../version.js';
import { manifestTotals, writeManifest, type Manifest, type ManifestInput } from './manifest.js';
import { runShardTask, type OutputFormat, type ShardResult, type ShardTask } from './shard-task.js';

export interface ComputeSignalsOptions {
  /** Files, directories (searched recursively) or `-` for stdin. */
  readonly inputs: readonly string[];
  /** Output directory: the signals of each input (see `format`), `manifest.json`, `rejected/`. */
  readonly out: string;
  /** @default 'parquet' */
  readonly format?: OutputFormat;
  /** UT1 blacklist directory for `rps_doc_ut1_blacklist` (null without it). */
  readonly ut1?: string;
  /** Signal names or family ids. @default every registered signal */
  readonly signals?: readonly string[];
  /** Worker threads, one shard each at a time. @default the number of cores */
  readonly workers?: number;
  readonly textField?: string;
  readonly idField?: string;
  readonly inputFormat?: Format;
  /** @default 'fail' */
  readonly onError?: OnError;
  readonly lang?: string;
  /** Called about twice a second while shards run. */
  readonly onProgress?: (progress: Progress) => void;
}

export interface Progress {
  readonly documents: number;
  readonly characters: number;
  readonly shardsDone: number;
  readonly shards: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly elapsedMs: number;
}

export interface SignalsSummary {
  readonly manifest: Manifest;
  readonly manifestPath: string;
  readonly elapsedMs: number;
}

/**
 * Computes signals for every input shard in parallel and writes one Parquet file per shard plus a
 * manifest. With `onError: 'fail'` the first bad record stops the run with a SieveError naming it,
 * and no partial output is left under a final name.
 *
 * @example
 * const { manifest } = await computeSignals({ inputs: ['shard.jsonl.gz'], out: 'out/signals' });
 */
export async function computeSignals(options: ComputeSignalsOptions): Promise<SignalsSummary> {
  const started = performance.now();
  const onError = options.onError ?? 'fail';
  const signals = resolveSignals(options.signals ?? []).map((r) => r.signal.name);
  const shards = await expandInputs(options.inputs);
  const sizes = await Promise.all(shards.map((s) => (s.path === '-' ? 0 : stat(s.path).then((st) => st.size, () => 0))));
  if (onError === 'fail') {
    for (const s of shards) if (s.path !== '-') await assertExists(s);
  }
  await mkdir(options.out, { recursive: true });

  const progress = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * 2 * shards.length);
  const stop = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const tasks: ShardTask[] = shards.map((s, slot) => ({
    input: s.path,
    name: s.name,
    outDir: options.out,
    signals,
    format: options.format ?? 'parquet',
    ut1: options.ut1,
    textField: options.textField,
    idField: options.idField,
    inputFormat: options.inputFormat,
    onError,
    lang: options.lang,
    progress,
    slot,
    stop,
  }));

  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), tasks.length));
  const inProcess = workers === 1 || shards.some((s) => s.path === '-');
  const pool = inProcess ? undefined : new Piscina({ filename: workerFile(), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  const results: ShardResult[] = new Array(tasks.length);
  let shardsDone = 0;
  let bytesDone = 0;
  const counters = new Float64Array(progress);
  const report = () => {
    if (!options.onProgress) return;
    let documents = 0;
    let characters = 0;
    for (let i = 0; i < counters.length; i += 2) {
      documents += counters[i];
      characters += counters[i + 1];
    }
    options.onProgress({ documents, characters, shardsDone, shards: tasks.length, bytesDone, bytesTotal: sizes.reduce((a, b) => a + b, 0), elapsedMs: performance.now() - started });
  };
  const timer = options.onProgress ? setInterval(report, 500) : undefined;

  try {
    let next = 0;
    const lane = async () => {
      while (next < tasks.length) {
        const i = next++;
        if (Atomics.load(new Int32Array(stop), 0) !== 0) return;
        const result = pool ? ((await pool.run(tasks[i])) as ShardResult) : await runShardTask(tasks[i]);
        results[i] = result;
        shardsDone++;
        bytesDone += sizes[i];
        if (!result.ok) Atomics.store(new Int32Array(stop), 0, 1);
      }
    };
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    if (timer) clearInterval(timer);
    await pool?.destroy();
  }
  report();

  const failed = results.find((r): r is Extract<ShardResult, { ok: false }> => r !== undefined && !r.ok && !r.cancelled);
  if (failed) {
    const e = failed.error;
    throw new SieveError(e.code, e.message, { location: e.location, hint: e.hint });
  }

  const inputs: ManifestInput[] = results.map((r) => {
    if (!r.ok) throw new SieveError('E_WORKER', `shard ${r.input} did not finish`);
    return { input: r.input, name: r.name, documents: r.documents, rejected: r.rejected, outputs: r.outputs, ...(r.rejectedFile ? { rejectedFile: r.rejectedFile } : {}) };
  });
  const manifest: Manifest = {
    tool: `pajama-sieve ${PACKAGE_VERSION}`,
    command: 'signals',
    signals,
    options: {
      format: options.format ?? 'parquet',
      ut1: options.ut1 ?? null,
      textField: options.textField ?? null,
      idField: options.idField ?? null,
      inputFormat: options.inputFormat ?? null,
      onError,
      lang: options.lang ?? null,
    },
    inputs,
    totals: manifestTotals(inputs),
  };
  const manifestPath = await writeManifest(options.out, manifest);
  return { manifest, manifestPath, elapsedMs: performance.now() - started };
}

async function assertExists(shard: InputShard): Promise<void> {
  try {
    await stat(shard.path);
  } catch {
    throw new SieveError('E_INPUT_MISSING', `input does not exist: ${shard.path}`, { location: { file: shard.path } });
  }
}

/** The worker module next to this one: `.ts` when running from source under tsx, `.js` when built. */
function workerFile(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./shard-worker${ext}`, import.meta.url).href;
}
