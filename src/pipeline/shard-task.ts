import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { registerImportanceSignals, resolveSignals } from '../../signals/index.js';
import { SignalBatchBuilder } from '../columns/signal-columns.js';
import type { Document, Rejection } from '../document.js';
import { loadDsirSignalModels } from '../dsir/signal-models.js';
import { SieveError, type ErrorCode, type ErrorLocation } from '../errors.js';
import { writeJsonl, writeLines } from '../io/jsonl-writer.js';
import { writeParquet } from '../io/parquet-writer.js';
import { readDocuments } from '../io/read-documents.js';
import { loadUt1Blacklist } from '../resources/ut1.js';
import type { SignalContext, SignalResources } from '../signal.js';
import { TextView } from '../text/index.js';
import { PACKAGE_VERSION } from '../version.js';
import type { ShardInput } from './run-shards.js';
import { dolmaRecordWriter, rpv2RecordWriter, type ComputedDocument, type SignalLayout } from './signal-records.js';

export const OUTPUT_FORMATS = ['parquet', 'rpv2', 'dolma'] as const;
/** How signals are stored: Parquet columns, RPv2 `*.signals.json.gz`, or Dolma attribute files. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One unit of parallel work: compute signals for one input shard. Plain data, so it crosses to worker threads. */
export interface ShardTask extends ShardInput {
  readonly kind: 'signals';
  readonly signals: readonly string[];
  readonly format: OutputFormat;
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

/** Where each format writes a shard's signals, relative to the output directory. */
export function signalsOutputPath(format: OutputFormat, name: string): string {
  if (format === 'rpv2') return `${name}.signals.json.gz`;
  if (format === 'dolma') return join('attributes', `${name}.jsonl.gz`);
  return `${name}.signals.parquet`;
}

/** Reads one shard, computes the selected signals per document and writes them in the task's format. */
export async function runShardTask(task: ShardTask): Promise<ShardResult> {
  registerImportanceSignals(task.dsir?.map((m) => m.name) ?? []);
  const registered = resolveSignals(task.signals);
  const specs = registered.map((r) => r.signal);
  const families = [...new Set(registered.map((r) => `${r.family.id}@${r.family.version}`))];
  const layout: SignalLayout = { doc: specs.filter((s) => s.level === 'doc'), line: specs.filter((s) => s.level === 'line') };
  const rejections: Rejection[] = [];
  const counts = { documents: 0, characters: 0 };
  const output = signalsOutputPath(task.format, task.name);
  const path = join(task.outDir, output);
  try {
    const resources: SignalResources = { ut1: task.ut1 ? await cachedUt1(task.ut1) : undefined, dsir: task.dsir ? await loadDsirSignalModels(task.dsir) : undefined };
    const computed = computeShard(task, layout, resources, rejections, counts);
    if (task.format === 'parquet') {
      // One key: parquet-wasm keeps key-value metadata in a hash map, so several keys come out in random order.
      const metadata = new Map([['pajama-sieve', JSON.stringify({ version: PACKAGE_VERSION, families })]]);
      await writeParquet(path, toRecordBatches(computed, specs, metadata), { metadata });
    } else {
      const write = task.format === 'rpv2' ? rpv2RecordWriter(layout, task.input) : dolmaRecordWriter(layout);
      await writeLines(path, mapDocuments(computed, write));
    }
  } catch (err) {
    const e = err instanceof SieveError ? err : new SieveError('E_IO', (err as Error).message, { cause: err });
    const wholeFile = e.severity === 'shard' || e.code === 'E_INPUT_MISSING';
    if (task.onError !== 'skip' || !wholeFile) return failure(task, e);
    rejections.push({ location: e.location ?? { file: task.input }, code: e.code, reason: e.message });
    const rejectedFile = await writeRejections(task, rejections);
    return { ok: true, input: task.input, name: task.name, documents: 0, rejected: countRejected(rejections), characters: 0, outputs: [], rejectedFile };
  }
  const rejectedFile = rejections.length > 0 ? await writeRejections(task, rejections) : undefined;
  return { ok: true, input: task.input, name: task.name, ...counts, rejected: countRejected(rejections), outputs: [output], rejectedFile };
}

const ut1Cache = new Map<string, Promise<ReadonlyMap<string, number>>>();

/** The UT1 map is large and the same for every shard: load it once per worker thread. */
export function cachedUt1(dir: string): Promise<ReadonlyMap<string, number>> {
  let map = ut1Cache.get(dir);
  if (!map) {
    map = loadUt1Blacklist(dir);
    ut1Cache.set(dir, map);
  }
  return map;
}

/** Reads the shard and yields its documents' signals batch by batch; rejections and counts are collected on the side. */
async function* computeShard(
  task: ShardTask,
  layout: SignalLayout,
  resources: SignalResources,
  rejections: Rejection[],
  counts: { documents: number; characters: number },
): AsyncGenerator<ComputedDocument[]> {
  const progress = task.progress ? new Float64Array(task.progress) : undefined;
  const slot = (task.slot ?? 0) * 2;
  const stop = task.stop ? new Int32Array(task.stop) : undefined;
  const read = readDocuments(task.input, { textField: task.textField, idField: task.idField, format: task.inputFormat, onError: task.onError, name: task.name });
  for await (const batch of read) {
    if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
    rejections.push(...batch.rejected);
    const out: ComputedDocument[] = [];
    for (const doc of batch.documents) {
      out.push(computeDocument(doc, layout, { doc, lang: documentLanguage(doc, task.lang), resources }));
      counts.documents++;
      counts.characters += doc.text.length;
    }
    if (progress) {
      progress[slot] = counts.documents;
      progress[slot + 1] = counts.characters;
    }
    yield out;
  }
}

function computeDocument(doc: Document, layout: SignalLayout, ctx: SignalContext): ComputedDocument {
  const view = new TextView(doc.text);
  try {
    const docValues = layout.doc.map((s) => s.compute(view, ctx) as number | string | Uint8Array | null);
    const lineValues = layout.line.map((s) => s.compute(view, ctx) as ArrayLike<number>);
    return { doc, lang: ctx.lang, length: view.length, lineEnds: view.lineEnds, docValues, lineValues };
  } catch (err) {
    throw new SieveError('E_SIGNAL', `signal failed on document "${doc.id}": ${(err as Error).message}`, { location: doc.location, cause: err });
  }
}

async function* toRecordBatches(computed: AsyncIterable<ComputedDocument[]>, specs: SignalLayout['doc'], metadata: ReadonlyMap<string, string>): AsyncGenerator<RecordBatch> {
  const builder = new SignalBatchBuilder(specs, metadata);
  let yielded = false;
  for await (const docs of computed) {
    for (const c of docs) builder.append(c.doc.id, c.docValues, c.lineEnds, c.lineValues);
    if (builder.length > 0) {
      yielded = true;
      yield builder.flush();
    }
  }
  // An input without documents still gets a file with the schema.
  if (!yielded) yield builder.flush();
}

async function* mapDocuments(computed: AsyncIterable<ComputedDocument[]>, write: (c: ComputedDocument) => string): AsyncGenerator<string> {
  for await (const docs of computed) for (const c of docs) yield write(c);
}

export function failure(task: { readonly input: string; readonly name: string }, e: SieveError): Extract<ShardResult, { ok: false }> {
  return {
    ok: false,
    input: task.input,
    name: task.name,
    cancelled: e.code === 'E_WORKER' && e.message.startsWith('cancelled'),
    error: { code: e.code, message: e.message, location: e.location, hint: e.hint },
  };
}

export function countRejected(rejections: readonly Rejection[]): number {
  return rejections.reduce((n, r) => n + (r.count ?? 1), 0);
}

export async function writeRejections(task: { readonly outDir: string; readonly name: string }, rejections: readonly Rejection[]): Promise<string> {
  const rel = join('rejected', `${task.name}.jsonl`);
  await writeJsonl(
    join(task.outDir, rel),
    rejections.map((r) => ({ ...r.location, code: r.code, reason: r.reason, ...(r.count !== undefined ? { count: r.count } : {}) })),
  );
  return rel;
}

/** `--lang` wins; else the document's own `language`/`lang` field (RPv2, CCNet, Dolma); else English. */
export function documentLanguage(doc: Document, fallback: string | undefined): string {
  if (fallback) return fallback;
  const l = doc.meta.language ?? doc.meta.lang;
  return typeof l === 'string' && l.length > 0 ? l : 'en';
}
