import type { DocumentBatch } from '../document.js';
import { SieveError } from '../errors.js';
import { BatchCollector } from './batch-collector.js';
import { createDocumentMaker } from './document-fields.js';
import { parquetInfo, readParquetBatches } from './parquet.js';
import type { ReadOptions } from './read-options.js';

/** Reads documents from a Parquet file (RPv2, Dolma or any table with a text column), row group by row group. */
export async function* readParquetDocuments(path: string, name: string, options: ReadOptions): AsyncGenerator<DocumentBatch> {
  const info = await parquetInfo(path);
  const candidates = options.textField ? [options.textField] : ['text', 'raw_content'];
  if (!candidates.some((c) => info.columns.includes(c))) {
    const err = new SieveError('E_INPUT_FIELD', `Parquet file has no text column ${candidates.map((c) => `"${c}"`).join(' or ')} (columns: ${info.columns.join(', ')})`, {
      location: { file: path },
      severity: 'shard',
      hint: 'name the column with --text-field',
    });
    if (options.onError !== 'skip') throw err;
    // Every row is lost, and the rejection says how many.
    yield { shard: path, documents: [], rejected: [{ location: { file: path }, code: err.code, reason: err.message, count: info.rows }] };
    return;
  }
  const maker = createDocumentMaker(path, name, options);
  const out = new BatchCollector(path, options);
  if (info.rows === 0) {
    out.reject(new SieveError('E_INPUT_EMPTY', 'input is empty: Parquet file has no rows', { location: { file: path }, severity: 'shard' }));
  }
  let row = 0;
  for await (const table of readParquetBatches(path, { batchSize: options.batchSize })) {
    const names = table.schema.fields.map((f) => f.name);
    const columns = names.map((n) => table.getChild(n));
    for (let i = 0; i < table.numRows; i++, row++) {
      const record: Record<string, unknown> = {};
      for (let c = 0; c < names.length; c++) record[names[c]] = toPlain(columns[c]?.get(i));
      try {
        if (out.add(maker.make(record, { file: path, record: row }, row))) yield out.take();
      } catch (err) {
        if (!(err instanceof SieveError)) throw err;
        if (out.reject(err)) yield out.take();
      }
    }
  }
  if (out.size > 0) yield out.take();
}

/** Arrow row values (structs, lists, bigints) as plain JSON-able values. */
function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, toPlain);
  const v = value as { toJSON?: () => unknown };
  const json = typeof v.toJSON === 'function' ? v.toJSON() : value;
  if (Array.isArray(json)) return json.map(toPlain);
  if (json && typeof json === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(json)) o[k] = toPlain(x);
    return o;
  }
  return json;
}
