import { isUtf8 } from 'node:buffer';
import type { DocumentBatch } from '../document.js';
import { SieveError, type ErrorLocation } from '../errors.js';
import { BatchCollector } from './batch-collector.js';
import type { ByteSource } from './byte-source.js';
import { createDocumentMaker } from './document-fields.js';
import { DEFAULT_MAX_RECORD_BYTES, type ReadOptions } from './read-options.js';
import { utf8Text } from './utf8-text.js';

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
  const maxRecord = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  // The current line's bytes so far, unless it is over the limit: then only its length (`oversize`).
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversize = -1;

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
      const line = utf8Text(buf, start, end);
      try {
        record = JSON.parse(line);
      } catch (err) {
        throw parseError(err, buf, start, end, location);
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        throw new SieveError('E_INPUT_PARSE', 'expected a JSON object', { location, severity: 'shard', hint: Array.isArray(record) ? NOT_JSON_LINES_HINT : undefined });
      }
      if (out.add(maker.make(record as Record<string, unknown>, location, index, keepRaw ? buf.subarray(start, end) : undefined))) yield out.take();
    } catch (err) {
      if (!(err instanceof SieveError)) throw err;
      if (out.reject(err)) yield out.take();
    }
  }

  /** A line over the limit, of which only the length was kept. */
  function* rejectOversize(length: number): Generator<DocumentBatch> {
    lineNo++;
    records++;
    const location = { file, line: lineNo, byteOffset };
    byteOffset += length + 1;
    const err = new SieveError('E_INPUT_TOO_LARGE', `JSON line of ${length} bytes is over the limit of ${maxRecord} bytes for one record`, {
      location,
      severity: 'shard',
      hint: 'split the document, or raise the limit with the maxRecordBytes read option',
    });
    if (out.reject(err)) yield out.take();
  }

  try {
    for await (const chunk of source.chunks) {
      let pos = 0;
      for (let nl = chunk.indexOf(0x0a, pos); nl !== -1; nl = chunk.indexOf(0x0a, pos)) {
        const piece = chunk.subarray(pos, nl);
        pos = nl + 1;
        if (oversize >= 0 || pendingBytes + piece.length > maxRecord) {
          yield* rejectOversize(Math.max(oversize, pendingBytes) + piece.length);
          oversize = -1;
          pending = [];
          pendingBytes = 0;
          continue;
        }
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        yield* handleLine(line);
      }
      if (pos === chunk.length) continue;
      const rest = chunk.length - pos;
      if (oversize >= 0) {
        oversize += rest;
      } else if (pendingBytes + rest > maxRecord) {
        oversize = pendingBytes + rest;
        pending = [];
        pendingBytes = 0;
      } else {
        pending.push(chunk.subarray(pos));
        pendingBytes += rest;
      }
    }
    if (oversize >= 0) yield* rejectOversize(oversize);
    else if (pending.length > 0) yield* handleLine(Buffer.concat(pending));
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

/** What a file whose first line is not a JSON object may be instead. */
const NOT_JSON_LINES_HINT = "a JSON array or pretty-printed JSON? sieve reads JSON lines, one object per line: jq -c '.[]' converts an array";

/** Malformed JSON; a line with a NUL byte says where it is (V8's message would quote the raw bytes). */
function parseError(err: unknown, buf: Buffer, start: number, end: number, location: ErrorLocation): SieveError {
  const nul = buf.subarray(start, end).indexOf(0);
  if (nul === -1) {
    const hint = location.line === 1 && /^\s*[[{]\s*$|^\s*\[/.test(buf.toString('utf8', start, Math.min(end, start + 64))) ? NOT_JSON_LINES_HINT : undefined;
    return new SieveError('E_INPUT_PARSE', `malformed JSON (${(err as Error).message})`, { location, severity: 'shard', hint });
  }
  return new SieveError('E_INPUT_PARSE', `malformed JSON (a NUL byte at column ${nul + 1})`, {
    location,
    severity: 'shard',
    hint: 'JSON has no raw NUL bytes: a zero-filled block left by an interrupted write, or a binary file?',
  });
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
