import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { registerImportanceSignals, resolveSignals } from '../../signals/index.js';
import { arrowType, SignalBatchBuilder } from '../columns/signal-columns.js';
import { AsyncQueue } from '../io/async-queue.js';
import { DuplicateIdCounter, type DuplicateIds } from '../io/duplicate-ids.js';
import { rpv2IdInt, rpv2Shard } from '../io/rpv2.js';
import type { Document } from '../document.js';
import { SieveError, type ErrorCode, type ErrorLocation } from '../errors.js';
import { writeLines } from '../io/jsonl-writer.js';
import { writeParquet } from '../io/parquet-writer.js';
import { readDocuments } from '../io/read-documents.js';
import { DEFAULT_BATCH_SIZE } from '../io/read-options.js';
import type { DocValue, SignalContext, SignalResources } from '../signal.js';
import { TextView } from '../text/index.js';
import { PACKAGE_VERSION } from '../version.js';
import { RejectionLog } from './rejection-log.js';
import { documentLanguage, failure, shardResources } from './shard-common.js';
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
      readonly duplicateIds?: DuplicateIds;
    }
  | { readonly ok: false; readonly input: string; readonly name: string; readonly cancelled: boolean; readonly error: SerializedError };

/**
 * Rows per row group of the signal files. The Parquet writer holds a whole row group in memory
 * (about 20 KB per web document, line lists included): one reading batch's worth keeps memory flat
 * in the size of a shard (the writer's default, 65,536 rows, would hold about 1.2 GB of them).
 */
export const SIGNALS_ROW_GROUP_SIZE = DEFAULT_BATCH_SIZE;

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
  const rejections = new RejectionLog(task.outDir, task.name);
  const counts = { documents: 0, characters: 0 };
  const ids = new DuplicateIdCounter();
  const output = signalsOutputPath(task.format, task.name);
  const outputs = [output];
  const path = join(task.outDir, output);
  try {
    const resources = await shardResources(task);
    const computed = computeShard(task, layout, resources, rejections, counts, ids);
    if (task.format === 'parquet') {
      // One key: parquet-wasm keeps key-value metadata in a hash map, so several keys come out in random order.
      const metadata = new Map([['pajama-sieve', JSON.stringify({ version: PACKAGE_VERSION, families })]]);
      await writeParquet(path, toRecordBatches(computed, specs, metadata), { metadata, rowGroupSize: SIGNALS_ROW_GROUP_SIZE });
    } else if (task.format === 'rpv2' && layout.doc.some((s) => s.type === 'bands')) {
      outputs.push(minhashOutputPath(task.name));
      await writeRpv2WithMinhash(task, layout, computed, path);
    } else {
      const write = task.format === 'rpv2' ? rpv2RecordWriter(layout, task.input) : dolmaRecordWriter(layout);
      await writeLines(path, mapDocuments(computed, write));
    }
  } catch (err) {
    const e = err instanceof SieveError ? err : new SieveError('E_IO', (err as Error).message, { cause: err });
    const wholeFile = e.severity === 'shard' || e.code === 'E_INPUT_MISSING';
    if (task.onError !== 'skip' || !wholeFile) {
      await rejections.discard();
      return failure(task, e);
    }
    rejections.add([{ location: e.location ?? { file: task.input }, code: e.code, reason: e.message }]);
    const rejectedFile = await rejections.close();
    return { ok: true, input: task.input, name: task.name, documents: 0, rejected: rejections.count, characters: 0, outputs: [], rejectedFile };
  }
  const rejectedFile = await rejections.close();
  const duplicateIds = ids.result();
  return { ok: true, input: task.input, name: task.name, ...counts, rejected: rejections.count, outputs, rejectedFile, ...(duplicateIds ? { duplicateIds } : {}) };
}

/** RPv2 keeps MinHash apart from the quality signals: `<name>.minhash.parquet` (spec §5.3). */
export function minhashOutputPath(name: string): string {
  return `${name}.minhash.parquet`;
}

/**
 * Writes the RPv2 signals file and, from the same pass, the RPv2 MinHash file: `shard_id`, `id`,
 * `id_int` and the signature columns, so our output mixes with the published dataset's.
 */
async function writeRpv2WithMinhash(task: ShardTask, layout: SignalLayout, computed: AsyncIterable<ComputedDocument[]>, path: string): Promise<void> {
  const bands = layout.doc.map((s, k) => ({ s, k })).filter(({ s }) => s.type === 'bands');
  const schema = new arrow.Schema([
    new arrow.Field('shard_id', new arrow.Utf8(), false),
    new arrow.Field('id', new arrow.Utf8(), false),
    new arrow.Field('id_int', new arrow.Uint64(), false),
    ...bands.map(({ s }) => new arrow.Field(s.name, arrowType(s), true)),
  ]);
  const builder = new SignalBatchBuilder(bands.map(({ s }) => s));
  const shardId = rpv2Shard(task.input)?.shardId ?? task.name;
  const queue = new AsyncQueue<arrow.RecordBatch>();
  const parquet = writeParquet(join(task.outDir, minhashOutputPath(task.name)), queue, { rowGroupSize: SIGNALS_ROW_GROUP_SIZE });
  async function* tee(): AsyncGenerator<ComputedDocument[]> {
    for await (const docs of computed) {
      for (const c of docs) builder.append(c.doc.id, bands.map(({ k }) => c.docValues[k]), undefined, []);
      const signatures = builder.flush();
      const ids = docs.map((c) => c.doc.id);
      const children = [
        arrow.vectorFromArray(new Array<string>(docs.length).fill(shardId), new arrow.Utf8()).data[0],
        arrow.vectorFromArray(ids, new arrow.Utf8()).data[0],
        arrow.makeData({ type: new arrow.Uint64(), length: docs.length, data: BigUint64Array.from(ids, rpv2IdInt) }),
        ...signatures.data.children.slice(1),
      ];
      queue.push(new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: docs.length, nullCount: 0, children })));
      yield docs;
    }
  }
  try {
    await writeLines(path, mapDocuments(tee(), rpv2RecordWriter(layout, task.input)));
    queue.close();
  } catch (err) {
    queue.fail(err);
    await parquet.catch(() => undefined);
    throw err;
  }
  await parquet;
}

/** Reads the shard and yields its documents' signals batch by batch; rejections are logged and counts kept on the side. */
async function* computeShard(
  task: ShardTask,
  layout: SignalLayout,
  resources: SignalResources,
  rejections: RejectionLog,
  counts: { documents: number; characters: number },
  ids: DuplicateIdCounter,
): AsyncGenerator<ComputedDocument[]> {
  const progress = task.progress ? new Float64Array(task.progress) : undefined;
  const slot = (task.slot ?? 0) * 2;
  const stop = task.stop ? new Int32Array(task.stop) : undefined;
  const read = readDocuments(task.input, { textField: task.textField, idField: task.idField, format: task.inputFormat, onError: task.onError, name: task.name });
  for await (const batch of read) {
    if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
    rejections.add(batch.rejected);
    ids.add(batch.documents.map((d) => d.id), (i) => batch.documents[i].location);
    const out: ComputedDocument[] = [];
    const views = batch.documents.map((d) => new TextView(d.text));
    const batchValues = computeBatchSignals(layout, views, task.input);
    batch.documents.forEach((doc, i) => {
      out.push(computeDocument(doc, views[i], layout, batchValues, i, { doc, lang: documentLanguage(doc, task.lang, resources), resources }));
      counts.documents++;
      counts.characters += doc.text.length;
    });
    if (progress) {
      progress[slot] = counts.documents;
      progress[slot + 1] = counts.characters;
    }
    yield out;
  }
}

/** The values of signals computed batch-wide (MinHash), by position in `layout.doc`; undefined for the others. */
function computeBatchSignals(layout: SignalLayout, views: readonly TextView[], input: string): (readonly DocValue[] | undefined)[] {
  try {
    return layout.doc.map((s) => (s.type === 'bands' ? s.computeBatch(views) : undefined));
  } catch (err) {
    throw new SieveError('E_SIGNAL', `a batch signal failed on ${input}: ${(err as Error).message}`, { location: { file: input }, cause: err });
  }
}

function computeDocument(doc: Document, view: TextView, layout: SignalLayout, batchValues: readonly (readonly DocValue[] | undefined)[], i: number, ctx: SignalContext): ComputedDocument {
  try {
    const docValues = layout.doc.map((s, k) => batchValues[k]?.[i] ?? (batchValues[k] ? null : (s.compute(view, ctx) as DocValue)));
    const lineValues = layout.line.map((s) => s.compute(view, ctx) as ArrayLike<number>);
    return { doc, lang: ctx.lang, length: view.length, lineEnds: view.lineEnds, docValues, lineValues };
  } catch (err) {
    throw new SieveError('E_SIGNAL', `signal failed on document "${doc.id}": ${(err as Error).message}`, { location: doc.location, cause: err });
  }
}

async function* toRecordBatches(computed: AsyncIterable<ComputedDocument[]>, specs: SignalLayout['doc'], metadata: ReadonlyMap<string, string>): AsyncGenerator<arrow.RecordBatch> {
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

