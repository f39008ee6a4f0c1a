import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { resolveSignals } from '../../signals/index.js';
import { SignalBatchBuilder } from '../columns/signal-columns.js';
import type { Document, Rejection } from '../document.js';
import { SieveError, type ErrorCode, type ErrorLocation } from '../errors.js';
import type { Format } from '../io/formats.js';
import { writeJsonl } from '../io/jsonl-writer.js';
import { writeParquet } from '../io/parquet-writer.js';
import { readDocuments } from '../io/read-documents.js';
import type { OnError } from '../io/read-options.js';
import type { SignalContext, SignalResources } from '../signal.js';
import { TextView } from '../text/index.js';
import { PACKAGE_VERSION } from '../version.js';

/** One unit of parallel work: compute signals for one input shard. Plain data, so it crosses to worker threads. */
export interface ShardTask {
  readonly input: string;
  /** Output name relative to `outDir`, without extension (`web_docs`, `2023-06/0000/en_head`). */
  readonly name: string;
  readonly outDir: string;
  readonly signals: readonly string[];
  readonly textField?: string;
  readonly idField?: string;
  readonly inputFormat?: Format;
  readonly onError: OnError;
  /** Language for language-aware signals when a document does not say. */
  readonly lang?: string;
  /** Shared progress counters: [documents, characters] at `2 * slot`. */
  readonly progress?: SharedArrayBuffer;
  readonly slot?: number;
  /** Shared stop flag (Int32 at 0): set by the runner when another shard failed. */
  readonly stop?: SharedArrayBuffer;
}

export interface SerializedError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly location?: ErrorLocation;
  readonly hint?: string;
}

/** What a shard task reports back; errors travel as data because worker threads lose error classes. */
export type ShardResult =
  | {
      readonly ok: true;
      readonly input: string;
      readonly name: string;
      readonly documents: number;
      readonly rejected: number;
      readonly characters: number;
      /** Paths relative to `outDir`. */
      readonly outputs: readonly string[];
      readonly rejectedFile?: string;
    }
  | { readonly ok: false; readonly input: string; readonly name: string; readonly cancelled: boolean; readonly error: SerializedError };

export const SIGNALS_SUFFIX = '.signals.parquet';

/** Reads one shard, computes the selected signals per document and writes `<name>.signals.parquet`. */
export async function runShardTask(task: ShardTask): Promise<ShardResult> {
  const registered = resolveSignals(task.signals);
  const specs = registered.map((r) => r.signal);
  const families = [...new Set(registered.map((r) => `${r.family.id}@${r.family.version}`))];
  // One key: parquet-wasm keeps key-value metadata in a hash map, so several keys come out in random order.
  const metadata = new Map([['pajama-sieve', JSON.stringify({ version: PACKAGE_VERSION, families })]]);
  const docSignals = specs.filter((s) => s.level === 'doc');
  const lineSignals = specs.filter((s) => s.level === 'line');
  const progress = task.progress ? new Float64Array(task.progress) : undefined;
  const slot = (task.slot ?? 0) * 2;
  const stop = task.stop ? new Int32Array(task.stop) : undefined;
  const resources: SignalResources = {};
  const rejections: Rejection[] = [];
  let documents = 0;
  let characters = 0;

  async function* batches(): AsyncGenerator<RecordBatch> {
    const builder = new SignalBatchBuilder(specs, metadata);
    const docValues: (number | string | Uint8Array | null)[] = new Array(docSignals.length);
    const lineValues: ArrayLike<number>[] = new Array(lineSignals.length);
    let yielded = false;
    const read = readDocuments(task.input, {
      textField: task.textField,
      idField: task.idField,
      format: task.inputFormat,
      onError: task.onError,
      name: task.name,
    });
    for await (const batch of read) {
      if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
      rejections.push(...batch.rejected);
      for (const doc of batch.documents) {
        const view = new TextView(doc.text);
        const ctx: SignalContext = { doc, lang: documentLanguage(doc, task.lang), resources };
        try {
          for (let i = 0; i < docSignals.length; i++) docValues[i] = docSignals[i].compute(view, ctx);
          for (let i = 0; i < lineSignals.length; i++) lineValues[i] = lineSignals[i].compute(view, ctx);
        } catch (err) {
          throw new SieveError('E_SIGNAL', `signal failed on document "${doc.id}": ${(err as Error).message}`, {
            location: doc.location,
            cause: err,
          });
        }
        builder.append(doc.id, docValues, lineSignals.length > 0 ? view.lineEnds : undefined, lineValues);
        documents++;
        characters += doc.text.length;
      }
      if (progress) {
        progress[slot] = documents;
        progress[slot + 1] = characters;
      }
      if (builder.length > 0) {
        yielded = true;
        yield builder.flush();
      }
    }
    if (!yielded) yield builder.flush();
  }

  const output = `${task.name}${SIGNALS_SUFFIX}`;
  try {
    await writeParquet(join(task.outDir, output), batches(), { metadata });
  } catch (err) {
    const e = err instanceof SieveError ? err : new SieveError('E_IO', (err as Error).message, { cause: err });
    const wholeFile = e.severity === 'shard' || e.code === 'E_INPUT_MISSING';
    if (task.onError !== 'skip' || !wholeFile) return failure(task, e);
    rejections.push({ location: e.location ?? { file: task.input }, code: e.code, reason: e.message });
    const rejectedFile = await writeRejections(task, rejections);
    return { ok: true, input: task.input, name: task.name, documents: 0, rejected: countRejected(rejections), characters: 0, outputs: [], rejectedFile };
  }
  const rejectedFile = rejections.length > 0 ? await writeRejections(task, rejections) : undefined;
  return { ok: true, input: task.input, name: task.name, documents, rejected: countRejected(rejections), characters, outputs: [output], rejectedFile };
}

function failure(task: ShardTask, e: SieveError): ShardResult {
  return {
    ok: false,
    input: task.input,
    name: task.name,
    cancelled: e.code === 'E_WORKER' && e.message.startsWith('cancelled'),
    error: { code: e.code, message: e.message, location: e.location, hint: e.hint },
  };
}

function countRejected(rejections: readonly Rejection[]): number {
  return rejections.reduce((n, r) => n + (r.count ?? 1), 0);
}

async function writeRejections(task: ShardTask, rejections: readonly Rejection[]): Promise<string> {
  const rel = join('rejected', `${task.name}.jsonl`);
  await writeJsonl(
    join(task.outDir, rel),
    rejections.map((r) => ({ ...r.location, code: r.code, reason: r.reason, ...(r.count !== undefined ? { count: r.count } : {}) })),
  );
  return rel;
}

/** `--lang` wins; else the document's own `language`/`lang` field (RPv2, CCNet, Dolma); else English. */
function documentLanguage(doc: Document, fallback: string | undefined): string {
  if (fallback) return fallback;
  const l = doc.meta.language ?? doc.meta.lang;
  return typeof l === 'string' && l.length > 0 ? l : 'en';
}
