import { basename } from 'node:path';
import { stripExtensions, kindFromName } from './io/formats.js';
import { parquetInfo, readParquetBatches } from './io/parquet.js';
import { readDocuments } from './io/read-documents.js';
import { checkInputFile } from './io/byte-source.js';

/** What `sieve inspect` shows of a file: its format, columns with types, row count and first rows. */
export interface FileSummary {
  readonly file: string;
  readonly format: string;
  readonly rows: number;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly head: readonly Record<string, unknown>[];
  readonly rejected: number;
}

/** Summarises any supported file. Parquet is described from its schema; document formats are read through. */
export async function inspectFile(path: string, headRows = 5): Promise<FileSummary> {
  await checkInputFile(path);
  const kind = kindFromName(path);
  if (kind?.format === 'parquet') {
    const info = await parquetInfo(path);
    const head: Record<string, unknown>[] = [];
    let columns: { name: string; type: string }[] = [];
    for await (const table of readParquetBatches(path, { batchSize: Math.max(headRows, 1) })) {
      columns = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
      for (let i = 0; i < table.numRows && head.length < headRows; i++) head.push(table.get(i)?.toJSON() ?? {});
      break;
    }
    return { file: path, format: 'parquet', rows: info.rows, columns, head, rejected: 0 };
  }
  const head: Record<string, unknown>[] = [];
  const fields = new Map<string, string>();
  let rows = 0;
  let rejected = 0;
  for await (const batch of readDocuments(path, { onError: 'skip', name: stripExtensions(basename(path)) })) {
    rejected += batch.rejected.length;
    for (const doc of batch.documents) {
      rows++;
      if (head.length < headRows) {
        head.push({ id: doc.id, text: doc.text.length > 200 ? `${doc.text.slice(0, 200)}…` : doc.text, ...(doc.url ? { url: doc.url } : {}) });
        for (const [k, v] of Object.entries(doc.meta)) if (!fields.has(k)) fields.set(k, v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
      }
    }
  }
  const columns = [{ name: 'id', type: 'string' }, { name: 'text', type: 'string' }, ...[...fields].map(([name, type]) => ({ name, type }))];
  return { file: path, format: kind?.format ?? 'detected from content', rows, columns, head, rejected };
}
