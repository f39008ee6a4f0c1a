import { isUtf8 } from 'node:buffer';
import type { DocumentBatch } from '../document.js';
import { SieveError } from '../errors.js';
import { BatchCollector } from './batch-collector.js';
import type { ByteSource } from './byte-source.js';
import { createDocumentMaker } from './document-fields.js';
import type { ReadOptions } from './read-options.js';

/**
 * Reads JSON lines (also Dolma and RPv2 document files): one object per line, blank lines ignored.
 * Every bad line becomes an error or a rejection naming its 1-based line; ids count lines from 0
 * in the RPv2 layout, as the reference does.
 */
export async function* readJsonl(source: ByteSource, name: string, options: ReadOptions): AsyncGenerator<DocumentBatch> {
  const file = source.file;
  const maker = createDocumentMaker(file, name, options);
  const out = new BatchCollector(file, options);
  const keepRaw = options.keepRaw === true;
  let lineNo = 0;
  let byteOffset = 0;
  let records = 0;
  let pending: Buffer[] = [];

  function* handleLine(buf: Buffer): Generator<DocumentBatch> {
    lineNo++;
    const lineStart = byteOffset;
    byteOffset += buf.length + 1;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 0x0d) end--;
    let start = 0;
    if (lineNo === 1 && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    if (isBlank(buf, start, end)) return;
    records++;
    const location = { file, line: lineNo, byteOffset: lineStart };
    const index = lineNo - 1;
    try {
      if (!isUtf8(buf.subarray(start, end))) {
        throw new SieveError('E_INPUT_ENCODING', 'invalid UTF-8', { location, severity: 'shard' });
      }
      let record: unknown;
      const line = buf.toString('utf8', start, end);
      try {
        record = JSON.parse(line);
      } catch (err) {
        throw new SieveError('E_INPUT_PARSE', `malformed JSON (${(err as Error).message})`, { location, severity: 'shard' });
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        throw new SieveError('E_INPUT_PARSE', 'expected a JSON object', { location, severity: 'shard' });
      }
      if (out.add(maker.make(record as Record<string, unknown>, location, index, keepRaw ? line : undefined))) yield out.take();
    } catch (err) {
      if (!(err instanceof SieveError)) throw err;
      out.reject(err);
    }
  }

  try {
    for await (const chunk of source.chunks) {
      let pos = 0;
      for (let nl = chunk.indexOf(0x0a, pos); nl !== -1; nl = chunk.indexOf(0x0a, pos)) {
        const piece = chunk.subarray(pos, nl);
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        yield* handleLine(line);
        pos = nl + 1;
      }
      if (pos < chunk.length) pending.push(chunk.subarray(pos));
    }
    if (pending.length > 0) yield* handleLine(Buffer.concat(pending));
  } catch (err) {
    if (!(err instanceof SieveError) || err.code !== 'E_INPUT_TRUNCATED') throw err;
    // The rest of the file is unreadable: one rejection stands for it, at the line it broke in.
    out.reject(new SieveError(err.code, `${err.message}; the rest of the file is lost`, {
      location: { file, line: lineNo + 1, byteOffset: err.location?.byteOffset },
      severity: 'shard',
      cause: err,
    }));
  }
  if (records === 0 && out.size === 0) {
    out.reject(new SieveError('E_INPUT_EMPTY', 'input is empty: no JSON lines', { location: { file }, severity: 'shard' }));
  }
  if (out.size > 0) yield out.take();
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
