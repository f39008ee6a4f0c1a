import { basename } from 'node:path';
import type { DocumentBatch } from '../document.js';
import { SieveError } from '../errors.js';
import { checkInputFile, openByteSource, type ByteSource } from './byte-source.js';
import { formatFromMagic, kindFromName, stripExtensions, type Format } from './formats.js';
import { readJsonl } from './jsonl-reader.js';
import { readParquetDocuments } from './parquet-reader.js';
import type { ReadOptions } from './read-options.js';
import { readWarc } from './warc-reader.js';

/** Options of {@link readDocuments}: the fields to read and what to do with bad records, and the format. */
export interface ReadDocumentsOptions extends ReadOptions {
  /** Force a format instead of detecting it from the name and first bytes. */
  readonly format?: Format;
}

/**
 * Streams the documents of one input (a path, or `-` for stdin) as batches.
 * The format comes from the file name (`.jsonl`, `.json.gz`, `.parquet`, `.warc.gz`, `.wet.gz`, …)
 * or, failing that, from its first bytes; gzip and zstd are recognised by their magic numbers.
 *
 * @example
 * for await (const batch of readDocuments('shard.jsonl.zst')) console.log(batch.documents.length);
 */
export async function* readDocuments(path: string, options: ReadDocumentsOptions = {}): AsyncGenerator<DocumentBatch> {
  const name = options.name ?? (path === '-' ? 'stdin' : stripExtensions(basename(path)));
  let format = options.format ?? kindFromName(path)?.format;
  if (path !== '-') {
    const size = await checkInputFile(path);
    if (size === 0) {
      const err = new SieveError('E_INPUT_EMPTY', 'input is empty (0 bytes)', { location: { file: path }, severity: 'shard' });
      if (options.onError !== 'skip') throw err;
      yield { shard: path, documents: [], rejected: [{ location: { file: path }, code: err.code, reason: err.message }] };
      return;
    }
  }
  if (format === 'parquet') {
    if (path === '-') throw new SieveError('E_USAGE', 'Parquet cannot be read from stdin: save it to a file first');
    yield* readParquetDocuments(path, name, options);
    return;
  }
  let source = await openByteSource(path);
  if (format === undefined) {
    const sniffed = await sniffFormat(source);
    source = sniffed.source;
    format = sniffed.format;
    if (format === 'parquet') {
      if (path === '-') throw new SieveError('E_USAGE', 'Parquet cannot be read from stdin: save it to a file first');
      yield* readParquetDocuments(path, name, options);
      return;
    }
  }
  yield* format === 'warc' ? readWarc(source, name, options) : readJsonl(source, name, options);
}

async function sniffFormat(source: ByteSource): Promise<{ source: ByteSource; format: Format }> {
  const it = source.chunks[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  async function* chunks(): AsyncGenerator<Buffer> {
    if (!first.done) yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { source: { ...source, chunks: chunks() }, format: formatFromMagic(head) };
}
