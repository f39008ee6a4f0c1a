import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeStaleTemporaries, writeAtomically } from '../io/atomic-file.js';
import type { DsirModelRef } from '../dsir/signal-models.js';
import { SieveError } from '../errors.js';
import { checkInputFile } from '../io/byte-source.js';
import { expandInputs, type InputShard } from '../io/inputs.js';
import { formatClassifierSpec, type ClassifierSpec, type FastTextResourceData } from '../fasttext/index.js';
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
  /** fastText models loaded by the main thread; their buffers are shared with the workers, not copied. */
  readonly fasttext?: FastTextResourceData;
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
  /** fastText language-id model (e.g. lid.176.bin) for ccnet_language(_score) and documents without a language. */
  readonly lidModel?: string;
  /** fastText classifiers: `wikiref`, `palm`, `wikipedia` feed rps_doc_ml_*; each gives `fasttext:<name>`. */
  readonly classifiers?: readonly ClassifierSpec[];
  /** DSIR models for `rps_doc_<name>_importance[_length_correction]` (null without them). */
  readonly dsir?: readonly DsirModelRef[];
  /** Called about twice a second while shards run. */
  readonly onProgress?: (progress: Progress) => void;
  /** Redo shards an earlier run completed (their done markers are otherwise trusted). @default false */
  readonly force?: boolean;
  /** Run only this array task's share of the shards. @default all of them */
  readonly slice?: TaskSlice;
}

/** How a run reads its documents, as manifests and resume keys record it (null where not given). */
export function readingOptions(options: ReadRunOptions): { textField: string | null; idField: string | null; inputFormat: string | null; onError: string } {
  return { textField: options.textField ?? null, idField: options.idField ?? null, inputFormat: options.inputFormat ?? null, onError: options.onError ?? 'fail' };
}

/** What shapes a run's signal values beside the signals themselves: language, UT1 list and models. */
export function signalSettings(options: ReadRunOptions): Record<string, unknown> {
  return {
    lang: options.lang,
    ut1: options.ut1,
    dsir: options.dsir ?? null,
    lidModel: options.lidModel ?? null,
    classifiers: options.classifiers?.map(formatClassifierSpec) ?? null,
  };
}

/** The key of a run's done markers: a hash of everything that shapes its outputs. */
export function resumeKey(parts: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
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

/**
 * Resuming: a shard whose done marker (`<out>/.done/<name>.json`) matches the input's size and
 * mtime and the run's `key` (a hash of everything that shapes its outputs), and whose outputs
 * exist, is not run again; its recorded result is used.
 */
export interface ResumeOptions {
  readonly key: string;
  /** Where the markers live. @default `<out>/.done` */
  readonly dir?: string;
  /** Redo every shard, markers or not. */
  readonly force?: boolean;
  /** Run nothing: every shard must have been done (a later stage of an array job); a missing one is an error naming it. */
  readonly require?: string;
}

/** This task's share of an array job: shards i with i mod `count` = `index`. */
export interface TaskSlice {
  readonly index: number;
  readonly count: number;
}

export interface RunShardsOptions<T, R> {
  readonly inputs: readonly string[];
  readonly out: string;
  readonly resume?: ResumeOptions;
  readonly slice?: TaskSlice;
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
export async function runShards<T, R extends ShardOutcome>(options: RunShardsOptions<T, R>): Promise<{ results: R[]; elapsedMs: number; resumed: number }> {
  const started = performance.now();
  const all = await expandInputs(options.inputs);
  const slice = options.slice ?? { index: 0, count: 1 };
  // Slots stay global, so shard-numbered files (dedup keys, stages) agree across array tasks.
  const owned = all.map((shard, slot) => ({ shard, slot })).filter((x) => x.slot % slice.count === slice.index);
  const shards = owned.map((x) => x.shard);
  const sizes = await Promise.all(shards.map((s) => (s.path === '-' ? 0 : stat(s.path).then((st) => st.size, () => 0))));
  if (options.onError === 'fail') {
    for (const s of shards) if (s.path !== '-') await checkInputFile(s.path);
  }
  await mkdir(options.out, { recursive: true });

  const progress = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * 2 * all.length);
  const stopBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const stop = new Int32Array(stopBuffer);
  const tasks = owned.map(({ shard, slot }) => options.task(shard, { progress, slot, stop: stopBuffer }));
  const outcomes: TaskOutcome<R>[] = new Array(tasks.length);
  const todo: number[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const done = options.resume && !options.resume.force ? await readDoneMarker<R>(options.out, options.resume, shards[i]) : undefined;
    if (done) outcomes[i] = done;
    else if (options.resume?.require) throw new SieveError('E_USAGE', `${shards[i].path} has not been done yet: ${options.resume.require}`);
    else todo.push(i);
  }
  const resumed = tasks.length - todo.length;
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), todo.length));
  const inProcess = workers === 1 || shards.some((s) => s.path === '-');
  // Worker threads (and piscina) load only when there are two shards or more to share.
  const pool = inProcess ? undefined : new (await import('piscina')).Piscina({ filename: workerFile(), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  let shardsDone = resumed;
  let bytesDone = todo.length === tasks.length ? 0 : sizes.reduce((n, b, i) => (todo.includes(i) ? n : n + b), 0);
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
      while (next < todo.length && Atomics.load(stop, 0) === 0) {
        const i = todo[next++];
        const outcome = pool ? ((await pool.run(tasks[i])) as TaskOutcome<R>) : await options.runInProcess(tasks[i]);
        outcomes[i] = outcome;
        if (outcome.ok && options.resume) await writeDoneMarker(options.resume, options.out, shards[i], outcome);
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
  const written = results.flatMap((r, i) => [
    ...(r.outputs ?? []).map((o) => join(options.out, o)),
    ...(options.resume && shards[i].path !== '-' ? [doneMarkerPath(options.resume, options.out, shards[i].name)] : []),
  ]);
  await removeStaleTemporaries(written);
  return { results, elapsedMs: performance.now() - started, resumed };
}

/** What every shard task returns when it succeeds: enough for a done marker to be checked. */
export interface ShardOutcome {
  readonly ok: true;
  /** Files written, relative to the output directory. */
  readonly outputs?: readonly string[];
}

interface DoneMarker<R> {
  readonly key: string;
  readonly input: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly result: R;
}

function doneMarkerPath(resume: ResumeOptions, out: string, name: string): string {
  return join(resume.dir ?? join(out, '.done'), `${name}.json`);
}

/** The recorded result of a shard done by an earlier run with the same key and input, if its outputs are all there. */
async function readDoneMarker<R extends ShardOutcome>(out: string, resume: ResumeOptions, shard: InputShard): Promise<R | undefined> {
  if (shard.path === '-') return undefined;
  try {
    const marker = JSON.parse(await readFile(doneMarkerPath(resume, out, shard.name), 'utf8')) as DoneMarker<R>;
    const st = await stat(shard.path);
    if (marker.key !== resume.key || marker.input !== shard.path || marker.size !== st.size || marker.mtimeMs !== st.mtimeMs) return undefined;
    for (const o of marker.result.outputs ?? []) await stat(join(out, o));
    return marker.result;
  } catch {
    return undefined;
  }
}

async function writeDoneMarker<R extends ShardOutcome>(resume: ResumeOptions, out: string, shard: InputShard, result: R): Promise<void> {
  // An input that is gone (rejected whole with --on-error skip) gets no marker: it is tried again.
  const st = shard.path === '-' ? undefined : await stat(shard.path).catch(() => undefined);
  if (!st) return;
  const marker: DoneMarker<R> = { key: resume.key, input: shard.path, size: st.size, mtimeMs: st.mtimeMs, result };
  const path = doneMarkerPath(resume, out, shard.name);
  await mkdir(dirname(path), { recursive: true });
  await writeAtomically(path, (tmp) => writeFile(tmp, JSON.stringify(marker)));
}

/** The worker module next to this one: `.ts` when running from source under tsx, `.js` when built. */
export function workerFile(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./shard-worker${ext}`, import.meta.url).href;
}
