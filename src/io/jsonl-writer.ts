import { Buffer } from 'node:buffer';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Transform } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Document } from '../document.js';
import { SieveError } from '../errors.js';
import { writeAtomically } from './atomic-file.js';
import { kindFromName } from './formats.js';

/** Bytes of lines buffered ahead of the compressor and the file. */
const WRITE_AHEAD = 8 << 20;
/** Characters of lines per write, and bytes of each compressor output buffer. */
const WRITE_CHUNK = 1 << 20;
/**
 * Characters of lines per gzip member: 0.6% more bytes than one stream on our web documents (1.2% at
 * 256 K, 0.3% at 1 M), and the compression left after the last line is a member's, ~15 ms at most.
 */
const MEMBER_CHUNK = 1 << 19;
/** Members being compressed or waiting for the file at a time (libuv runs four jobs at once). */
const MEMBERS_AHEAD = 8;

/** Writes JSON lines to `path` (plain, `.gz` or `.zst` by its name), atomically. */
export async function writeJsonl(path: string, records: AsyncIterable<unknown> | Iterable<unknown>): Promise<number> {
  async function* lines(): AsyncGenerator<string> {
    for await (const record of records) yield JSON.stringify(record, jsonReplacer);
  }
  return writeLines(path, lines());
}

/** One serialised line: its text, or its UTF-8 bytes (a record read and written back unchanged, not encoded again). */
export type Line = string | Uint8Array;

/**
 * A document as a JSON line: its record as read (bytes where kept) unless `text` replaces its text,
 * else an object of its id, text, url and other fields.
 */
export function documentLine(doc: Document, text?: string): Line {
  if (text === undefined && doc.rawBytes !== undefined) return doc.rawBytes;
  if (text === undefined && doc.raw !== undefined) return doc.raw;
  return JSON.stringify({ id: doc.id, text: text ?? doc.text, ...(doc.url ? { url: doc.url } : {}), ...doc.meta }, jsonReplacer);
}

/** Where joined lines go: a file, through a compressor or not. */
interface LineSink {
  /** Takes `text`; resolves when more may be written. */
  write(text: string | Buffer): Promise<void>;
  /** Resolves once everything is in the file. */
  end(): Promise<void>;
  /** Stops on a failure of the caller; resolves once the file is closed. */
  abort(err: Error): Promise<void>;
}

/** Writes already serialised lines (a newline is added to each), compressed as the name says, atomically. */
export async function writeLines(path: string, lines: AsyncIterable<Line> | Iterable<Line>): Promise<number> {
  const compression = kindFromName(path)?.compression ?? 'none';
  return writeAtomically(path, async (tmp) => {
    const sink = compression === 'gzip' ? await gzipMembers(tmp) : streamSink(tmp, compression === 'zstd' ? createZstdCompressor() : undefined);
    const chunk = compression === 'gzip' ? MEMBER_CHUNK : WRITE_CHUNK;
    let n = 0;
    // Lines go out joined, a chunk at a time: one write (and compressor job) per line would need
    // a turn of the event loop each.
    let pending: Line[] = [];
    let pendingLength = 0;
    const flush = (): Promise<void> => {
      const text = joinLines(pending);
      pending = [];
      pendingLength = 0;
      return sink.write(text);
    };
    try {
      for await (const line of lines) {
        pending.push(line);
        pendingLength += line.length;
        n++;
        if (pendingLength >= chunk) await flush();
      }
      if (pending.length > 0) await flush();
    } catch (err) {
      await sink.abort(err as Error);
      throw err;
    }
    await sink.end();
    return n;
  });
}

const NEWLINE = Buffer.from('\n');

/** The lines, each ended by a newline: a string while they all are, else bytes. */
function joinLines(lines: readonly Line[]): string | Buffer {
  if (lines.every((l) => typeof l === 'string')) return lines.join('\n') + '\n';
  const parts: Uint8Array[] = [];
  for (const line of lines) parts.push(typeof line === 'string' ? Buffer.from(line, 'utf8') : line, NEWLINE);
  return Buffer.concat(parts);
}

/** A sink through a stream pipeline: the file, after `compressor` if given. */
function streamSink(path: string, compressor: Transform | undefined): LineSink {
  // A few MB of lines may wait for the compressor (on libuv's threads) while the caller goes on.
  const source = new PassThrough({ highWaterMark: WRITE_AHEAD });
  const done = pipeline([source, ...(compressor ? [compressor] : []), createWriteStream(path)]);
  return {
    async write(text) {
      if (!source.write(text)) await once(source, 'drain');
    },
    async end() {
      source.end();
      await done;
    },
    async abort(err) {
      source.destroy(err);
      await done.catch(() => undefined); // the pipeline fails with the same error, which the caller throws
    },
  };
}

const gzipAsync = promisify(gzip);

/**
 * A sink that compresses each write as a gzip member of its own (RFC 1952 § 2.2: a gzip file is a
 * series of members; gunzip, Python, DuckDB and our readers read them as one stream). Each member is
 * one job on libuv's threads, started at once, so compression keeps up with a busy caller, which
 * gives a streaming compressor a turn of the event loop only between its batches; the file gets
 * the members in order.
 */
async function gzipMembers(path: string): Promise<LineSink> {
  const file = await open(path, 'w');
  const members: Promise<Buffer>[] = [];
  let written = false;
  let failed: Error | undefined;
  /** Writes the oldest member once compressed. */
  const writeOldest = async (): Promise<void> => {
    const member = await (members.shift() as Promise<Buffer>);
    await file.write(member);
  };
  return {
    async write(text) {
      if (failed) throw failed;
      const member = gzipAsync(text, { chunkSize: 2 * MEMBER_CHUNK });
      // Awaited in order below; a failure before then must not count as unhandled.
      member.catch((err: Error) => {
        failed ??= err;
      });
      members.push(member);
      written = true;
      if (members.length > MEMBERS_AHEAD) await writeOldest();
    },
    async end() {
      try {
        // An empty file is no gzip file: no lines make one empty member.
        if (!written) members.push(gzipAsync(''));
        while (members.length > 0) await writeOldest();
      } finally {
        await file.close();
      }
    },
    async abort() {
      await Promise.allSettled(members);
      await file.close();
    },
  };
}

/** BigInts (uint64 ids) as JSON numbers' decimal text. */
/** `JSON.stringify`'s replacer for records: BigInt values (64-bit ids, say) as decimal strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function createZstdCompressor(): Transform {
  try {
    const zstd = createRequire(import.meta.url)('zstd-napi') as { CompressStream: new () => Transform };
    return new zstd.CompressStream();
  } catch (err) {
    throw new SieveError('E_MISSING_DEP', 'writing .zst needs zstd-napi, whose native build is missing', {
      cause: err,
      hint: 'run `npm rebuild zstd-napi` (needs g++, make and python3), or write .gz instead',
    });
  }
}
