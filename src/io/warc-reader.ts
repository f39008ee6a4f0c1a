import { isUtf8 } from 'node:buffer';
import type { DocumentBatch } from '../document.js';
import { SieveError } from '../errors.js';
import { BatchCollector } from './batch-collector.js';
import type { ByteSource } from './byte-source.js';
import { ByteReader } from './byte-reader.js';
import type { ReadOptions } from './read-options.js';

/** One WARC record: its named headers and its block. */
interface WarcRecord {
  readonly headers: Map<string, string>;
  readonly block: Buffer;
  readonly offset: number;
}

const RECORD_START = Buffer.from('WARC/');
const TEXT_TYPES = /^(text\/|application\/(xhtml\+xml|xml|json))/i;

/**
 * Reads WARC, WET and WAT files (plain or gzip members): one document per `conversion` record
 * (WET text) or per `response` record with a textual HTTP payload; id = WARC-Record-ID,
 * url = WARC-Target-URI. Other records (warcinfo, request, metadata) are not documents.
 */
export async function* readWarc(source: ByteSource, _name: string, options: ReadOptions): AsyncGenerator<DocumentBatch> {
  const file = source.file;
  const out = new BatchCollector(file, options);
  const reader = new ByteReader(source.chunks);
  let index = 0;
  let records = 0;
  try {
    for (let rec = await nextRecord(reader, file); rec !== null; rec = await nextRecord(reader, file)) {
      records++;
      const type = rec.headers.get('warc-type') ?? '';
      if (type !== 'conversion' && type !== 'response') continue;
      const location = { file, record: index, byteOffset: rec.offset };
      index++;
      try {
        let payload = rec.block;
        let contentType = rec.headers.get('content-type') ?? '';
        if (type === 'response') {
          const http = splitHttp(rec.block);
          if (!http) continue;
          contentType = http.contentType;
          if (!TEXT_TYPES.test(contentType)) continue;
          payload = http.body;
        }
        if (!isUtf8(payload)) throw new SieveError('E_INPUT_ENCODING', 'invalid UTF-8 in record payload', { location, severity: 'shard' });
        const id = rec.headers.get('warc-record-id');
        if (!id) throw new SieveError('E_INPUT_FIELD', 'record has no WARC-Record-ID', { location, severity: 'shard' });
        const meta: Record<string, unknown> = { warc_type: type, content_type: contentType };
        for (const [k, v] of rec.headers) if (k !== 'content-length' && k !== 'content-type') meta[k] = v;
        const url = rec.headers.get('warc-target-uri');
        if (out.add({ id, text: payload.toString('utf8'), url, meta, location })) yield out.take();
      } catch (err) {
        if (!(err instanceof SieveError)) throw err;
        if (out.reject(err)) yield out.take();
      }
    }
  } catch (err) {
    if (!(err instanceof SieveError) || (err.code !== 'E_INPUT_TRUNCATED' && err.code !== 'E_INPUT_FORMAT')) throw err;
    out.reject(new SieveError(err.code, `${err.message}; the rest of the file is lost`, {
      location: { file, record: index, byteOffset: err.location?.byteOffset },
      severity: 'shard',
      cause: err,
    }));
  }
  if (records === 0 && out.size === 0) {
    out.reject(new SieveError('E_INPUT_EMPTY', 'input is empty: no WARC records', { location: { file }, severity: 'shard' }));
  }
  if (out.size > 0) yield out.take();
}

/**
 * Reads the next record. Content-Length is trusted when the next record (or the end) follows it;
 * hand-written WET files (cc_net's fixtures) carry wrong lengths, so then the block is cut at the
 * next `WARC/` header line that follows a blank line, as cc_net does.
 */
async function nextRecord(reader: ByteReader, file: string): Promise<WarcRecord | null> {
  let line = await reader.readLine();
  while (line !== null && line.length === 0) line = await reader.readLine();
  if (line === null) return null;
  const offset = reader.offset - line.length - 1;
  if (!line.subarray(0, 5).equals(RECORD_START)) {
    throw new SieveError('E_INPUT_FORMAT', 'expected a WARC record header ("WARC/1.x")', { location: { file, byteOffset: offset } });
  }
  const headers = new Map<string, string>();
  for (let h = await reader.readLine(); h !== null && h.length > 0; h = await reader.readLine()) {
    const colon = h.indexOf(0x3a);
    if (colon > 0) headers.set(h.toString('latin1', 0, colon).trim().toLowerCase(), h.toString('utf8', colon + 1).trim());
  }
  const declared = Number(headers.get('content-length') ?? 'NaN');
  if (!Number.isInteger(declared) || declared < 0) {
    throw new SieveError('E_INPUT_FORMAT', 'WARC record without a valid Content-Length', { location: { file, byteOffset: offset } });
  }
  let block: Buffer = Buffer.from(await reader.read(declared));
  if (block.length < declared) {
    throw new SieveError('E_INPUT_TRUNCATED', `WARC record truncated (${block.length} of ${declared} bytes)`, {
      location: { file, byteOffset: offset },
    });
  }
  const overshoot = findRecordStart(block);
  if (overshoot !== -1) {
    reader.unshift(block.subarray(overshoot));
    block = trimTrailingNewlines(block.subarray(0, overshoot));
  } else if (!(await followedByRecord(reader))) {
    const extra: Buffer[] = [];
    let previousBlank = false;
    for (let l = await reader.readLine(); l !== null; l = await reader.readLine()) {
      if (previousBlank && l.subarray(0, 5).equals(RECORD_START)) {
        reader.unshift(Buffer.concat([l, Buffer.from('\n')]));
        break;
      }
      extra.push(l, Buffer.from('\n'));
      previousBlank = l.length === 0;
    }
    block = trimTrailingNewlines(Buffer.concat([block, ...extra]));
  }
  return { headers, block, offset };
}

function findRecordStart(block: Buffer): number {
  for (let i = block.indexOf('\nWARC/1.'); i !== -1; i = block.indexOf('\nWARC/1.', i + 1)) {
    if (i >= 1 && (block[i - 1] === 0x0a || (block[i - 1] === 0x0d && i >= 2 && block[i - 2] === 0x0a))) return i + 1;
  }
  return -1;
}

async function followedByRecord(reader: ByteReader): Promise<boolean> {
  const head = await reader.peek(16);
  let i = 0;
  while (i < head.length && (head[i] === 0x0d || head[i] === 0x0a)) i++;
  if (i === head.length) return head.length < 16;
  return head.subarray(i, i + 5).equals(RECORD_START);
}

function trimTrailingNewlines(block: Buffer): Buffer {
  let end = block.length;
  while (end > 0 && (block[end - 1] === 0x0a || block[end - 1] === 0x0d)) end--;
  return block.subarray(0, end);
}

function splitHttp(block: Buffer): { contentType: string; body: Buffer } | null {
  const sep = block.indexOf('\r\n\r\n');
  if (sep === -1) return null;
  const head = block.toString('latin1', 0, sep);
  const m = /^content-type:\s*([^\r\n]*)/im.exec(head);
  return { contentType: m ? m[1].trim() : '', body: block.subarray(sep + 4) };
}
