import { availableParallelism } from 'node:os';
import { mkdir, stat } from 'node:fs/promises';
import { Piscina } from 'piscina';
import type { DsirModelRef } from '../dsir/signal-models.js';
import { SieveError } from '../errors.js';
import { expandInputs, type InputShard } from '../io/inputs.js';
import type { Format } from '../io/formats.js';
import type { OnError } from '../io/read-options.js';
import type { SerializedError } from './shard-task.js';

/** Live figures of a run, reported about twice a second. */
export interface Progress {
  readonly documents: number;
  readonly characters: number;
  readonly shardsDone: number;
  readonly shards: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly elapsedMs: number;
}

/** What every shard task carries for the runner: counters it updates and the flag it obeys. */
export interface SharedState {
  /** Float64 counters [documents, characters] at `2 * slot`. */
  readonly progress: SharedArrayBuffer;
  readonly slot: number;
  /** Int32 at 0: set when another shard failed, so running tasks stop at their next batch. */
  readonly stop: SharedArrayBuffer;
}

/** How a shard is read: the fields every shard task carries, whatever it does with the documents. */
export interface ShardInput extends Partial<SharedState> {
  readonly input: string;
  /** Output name relative to `outDir`, without extension (`web_docs`, `2023-06/0000/en_head`). */
  readonly name: string;
  readonly outDir: string;
  readonly textField?: string;
  readonly idField?: string;
  readonly inputFormat?: Format;
  readonly onError: OnError;
  /** Language for language-aware signals when a document does not say. */
  readonly lang?: string;
  /** UT1 blacklist directory for `rps_doc_ut1_blacklist`. */
  readonly ut1?: string;
  /** DSIR models for the importance signals (`--dsir NAME=MODEL`). */
  readonly dsir?: readonly DsirModelRef[];
}

/** The options of every command that reads shards, as the library takes them. */
export interface ReadRunOptions {
  /** Files, directories (searched recursively) or `-` for stdin. */
  readonly inputs: readonly string[];
  /** Worker threads, one shard each at a time. @default the number of cores */
  readonly workers?: number;
  readonly textField?: string;
  readonly idField?: string;
  readonly inputFormat?: Format;
  /** @default 'fail' */
  readonly onError?: OnError;
  /** Language for language-aware signals when a document does not say. */
  readonly lang?: string;
  /** UT1 blacklist directory for `rps_doc_ut1_blacklist` (null without it). */
  readonly ut1?: string;
  /** DSIR models for `rps_doc_<name>_importance[_length_correction]` (null without them). */
  readonly dsir?: readonly DsirModelRef[];
  /** Called about twice a second while shards run. */
  readonly onProgress?: (progress: Progress) => void;
}

/** The per-shard reading fields of a task, from the run's options. */
export function shardInput(options: ReadRunOptions & { readonly out: string }, shard: InputShard, shared: SharedState): ShardInput {
  return {
    input: shard.path,
    name: shard.name,
    outDir: options.out,
    textField: options.textField,
    idField: options.idField,
    inputFormat: options.inputFormat,
    onError: options.onError ?? 'fail',
    lang: options.lang,
    ut1: options.ut1,
    ...(options.dsir && options.dsir.length > 0 ? { dsir: options.dsir } : {}),
    ...shared,
  };
}

/** A task's result: done, or an error carried as data (worker threads lose error classes). */
export type TaskOutcome<R> = R | { readonly ok: false; readonly cancelled: boolean; readonly error: SerializedError };

export interface RunShardsOptions<T, R> {
  readonly inputs: readonly string[];
  readonly out: string;
  readonly onError: OnError;
  /** @default the number of cores */
  readonly workers?: number;
  readonly onProgress?: (progress: Progress) => void;
  /** Builds the task of one shard; it is structured-cloned into a worker thread. */
  readonly task: (shard: InputShard, shared: SharedState) => T;
  /** Runs a task in this thread (one worker, or stdin input). The worker module runs the same function. */
  readonly runInProcess: (task: T) => Promise<TaskOutcome<R>>;
}

/**
 * Runs one task per input shard, `workers` at a time in worker threads (piscina), and returns the
 * results in input order whatever the scheduling. The first failure stops the others at their
 * next batch and is thrown as a SieveError.
 */
export async function runShards<T, R extends { readonly ok: true }>(options: RunShardsOptions<T, R>): Promise<{ results: R[]; elapsedMs: number }> {
  const started = performance.now();
  const shards = await expandInputs(options.inputs);
  const sizes = await Promise.all(shards.map((s) => (s.path === '-' ? 0 : stat(s.path).then((st) => st.size, () => 0))));
  if (options.onError === 'fail') {
    for (const s of shards) {
      if (s.path !== '-' && (await stat(s.path).catch(() => undefined)) === undefined) {
        throw new SieveError('E_INPUT_MISSING', `input does not exist: ${s.path}`, { location: { file: s.path } });
      }
    }
  }
  await mkdir(options.out, { recursive: true });

  const progress = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * 2 * shards.length);
  const stopBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const stop = new Int32Array(stopBuffer);
  const tasks = shards.map((s, slot) => options.task(s, { progress, slot, stop: stopBuffer }));
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), tasks.length));
  const inProcess = workers === 1 || shards.some((s) => s.path === '-');
  const pool = inProcess ? undefined : new Piscina({ filename: workerFile(), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  const outcomes: TaskOutcome<R>[] = new Array(tasks.length);
  let shardsDone = 0;
  let bytesDone = 0;
  const counters = new Float64Array(progress);
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  const report = () => {
    let documents = 0;
    let characters = 0;
    for (let i = 0; i < counters.length; i += 2) {
      documents += counters[i];
      characters += counters[i + 1];
    }
    options.onProgress?.({ documents, characters, shardsDone, shards: tasks.length, bytesDone, bytesTotal, elapsedMs: performance.now() - started });
  };
  const timer = options.onProgress ? setInterval(report, 500) : undefined;
  try {
    let next = 0;
    const lane = async () => {
      while (next < tasks.length && Atomics.load(stop, 0) === 0) {
        const i = next++;
        const outcome = pool ? ((await pool.run(tasks[i])) as TaskOutcome<R>) : await options.runInProcess(tasks[i]);
        outcomes[i] = outcome;
        shardsDone++;
        bytesDone += sizes[i];
        if (!outcome.ok) Atomics.store(stop, 0, 1);
      }
    };
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    if (timer) clearInterval(timer);
    await pool?.destroy();
  }
  if (options.onProgress) report();
  const failed = outcomes.find((o) => o !== undefined && !o.ok && !o.cancelled);
  if (failed && !failed.ok) {
    const e = failed.error;
    throw new SieveError(e.code, e.message, { location: e.location, hint: e.hint });
  }
  const results = outcomes.map((o, i) => {
    if (!o?.ok) throw new SieveError('E_WORKER', `shard ${shards[i].path} did not finish`);
    return o;
  });
  return { results, elapsedMs: performance.now() - started };
}

/** The worker module next to this one: `.ts` when running from source under tsx, `.js` when built. */
function workerFile(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./shard-worker${ext}`, import.meta.url).href;
}
