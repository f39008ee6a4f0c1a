import { constants, createReadStream, type Stats } from 'node:fs';
import { access, readlink, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Readable, Transform, type TransformCallback, type TransformOptions } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import type { Decompress as FzstdDecompress } from 'fzstd';
import { SieveError, toSieveError } from '../errors.js';
import { compressionFromMagic, type Compression } from './formats.js';

/** A decompressed byte stream of one input, with what was learnt from its first bytes. */
export interface ByteSource {
  readonly file: string;
  readonly compression: Compression;
  /** Decompressed chunks; errors are SieveErrors naming the file (truncation, corruption, I/O). */
  readonly chunks: AsyncIterable<Buffer>;
  /** Compressed bytes read so far, for error locations. */
  readonly bytesRead: () => number;
}

const CHUNK = 1 << 20;
/** A gzip stream's options: its decompressed output may hold 8 MB ready for the reader (zlib streams take stream options too). */
const gunzipOptions: ZlibOptions & TransformOptions = { chunkSize: 256 * 1024, readableHighWaterMark: 8 << 20 };

/**
 * Checks that an input path exists and can be read, with errors that name it and say why. Returns
 * the size of a regular file; undefined for a stream (a FIFO such as `<(zcat …)`, a character device),
 * whose size says nothing about its content.
 */
export async function checkInputFile(path: string): Promise<number | undefined> {
  let st: Stats;
  try {
    st = await stat(path);
    await access(path, constants.R_OK);
  } catch (err) {
    throw await inputOpenError(err, path);
  }
  if (st.isDirectory()) {
    throw new SieveError('E_INPUT_MISSING', `input is a directory, not a file: ${path}`, { location: { file: path } });
  }
  return st.isFile() ? st.size : undefined;
}

/** Why an input cannot be opened, for the system errors that say something about the file rather than the machine. */
const UNREADABLE: Readonly<Record<string, { readonly reason: string; readonly hint?: string }>> = {
  EACCES: { reason: 'permission denied', hint: 'check the permissions of the file and its folders (ls -l)' },
  EPERM: { reason: 'operation not permitted', hint: 'check the permissions of the file and its folders (ls -l)' },
  ELOOP: { reason: 'too many levels of symbolic links (a link loop?)', hint: 'see where the link leads with readlink -f' },
  ENXIO: { reason: 'not a file that can be read (a socket?)' },
  ENAMETOOLONG: { reason: 'its name is too long' },
  EIO: { reason: 'input/output error from the device' },
};

/** The SieveError for a failed stat, access, open or read of an input, by its system error code. */
export async function inputOpenError(err: unknown, file: string): Promise<SieveError> {
  const code = (err as NodeJS.ErrnoException).code;
  const location = { file };
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    // A link to nowhere exists as a name, which makes "does not exist" puzzling.
    const target = await readlink(file).catch(() => undefined);
    const what = target === undefined ? `input does not exist: ${file}` : `input is a dangling symbolic link: ${file} -> ${target}`;
    return new SieveError('E_INPUT_MISSING', what, { location, cause: err });
  }
  if (code === 'EISDIR') return new SieveError('E_INPUT_MISSING', `input is a directory, not a file: ${file}`, { location, cause: err });
  const known = code === undefined ? undefined : UNREADABLE[code];
  if (known) return new SieveError('E_INPUT_UNREADABLE', `cannot read input: ${known.reason} (${code})`, { location, severity: 'shard', hint: known.hint, cause: err });
  return toSieveError(err, 'E_IO', `cannot read input ${file}`, location);
}

/** Opens a file (or `-` for stdin) and decompresses it as its magic bytes say. */
export async function openByteSource(path: string): Promise<ByteSource> {
  const file = path === '-' ? '<stdin>' : path;
  let bytesRead = 0;
  const raw: AsyncIterator<Buffer> = countingChunks(
    path === '-' ? process.stdin : createReadStream(path, { highWaterMark: CHUNK }),
    file,
    (n) => (bytesRead += n),
  )[Symbol.asyncIterator]();
  const first = await raw.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  const compression = compressionFromMagic(head);
  const rawAll = prepend(first.done ? [] : [head], raw);
  const chunks = compression === 'none' ? rawAll : decompress(rawAll, compression, file, () => bytesRead);
  return { file, compression, chunks, bytesRead: () => bytesRead };
}

async function* countingChunks(stream: Readable, file: string, count: (n: number) => void): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      count(buf.length);
      yield buf;
    }
  } catch (err) {
    throw await inputOpenError(err, file);
  }
}

async function* prepend<T>(head: T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield* head;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

async function* decompress(
  source: AsyncIterable<Buffer>,
  compression: Exclude<Compression, 'none'>,
  file: string,
  offset: () => number,
): AsyncGenerator<Buffer> {
  const input = Readable.from(source, { objectMode: false });
  // Room for a few MB of output, so the codec (on libuv's threads) runs ahead while a batch is processed.
  const codec = compression === 'gzip' ? createGunzip(gunzipOptions) : createZstdDecompressor();
  input.on('error', (err) => codec.destroy(err));
  input.pipe(codec);
  try {
    for await (const chunk of codec) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof SieveError) throw err;
    throw decompressionError(err, compression, file, offset());
  } finally {
    input.destroy();
    codec.destroy();
  }
}

function decompressionError(err: unknown, compression: string, file: string, byteOffset: number): SieveError {
  const message = err instanceof Error ? err.message : String(err);
  const truncated = /unexpected end|ended in middle|truncated|incomplete|premature/i.test(message);
  return truncated
    ? new SieveError('E_INPUT_TRUNCATED', `truncated ${compression} stream (${message})`, {
        location: { file, byteOffset },
        severity: 'shard',
        cause: err,
      })
    : new SieveError('E_INPUT_PARSE', `corrupt ${compression} stream (${message})`, {
        location: { file, byteOffset },
        severity: 'shard',
        cause: err,
      });
}

interface ZstdModule {
  DecompressStream: new () => Transform;
}

let zstdNative: ZstdModule | null | undefined;
/** Why zstd-napi (an optional dependency) could not be loaded, when it could not: shown by diagnostics. */
export let zstdLoadError: Error | undefined;

/** zstd-napi when its native build is present (and not turned off for tests), else null: fzstd. */
function zstdModule(): ZstdModule | null {
  if (zstdNative === undefined) {
    try {
      zstdNative = createRequire(import.meta.url)('zstd-napi') as ZstdModule;
    } catch (err) {
      zstdNative = null;
      zstdLoadError = err as Error;
    }
  }
  return process.env.SIEVE_ZSTD === 'fzstd' ? null : zstdNative;
}

/** Whether zstd decompresses natively (zstd-napi), rather than in JS (fzstd, ~6× slower). */
export function zstdIsNative(): boolean {
  return zstdModule() !== null;
}

function createZstdDecompressor(): Transform {
  const native = zstdModule();
  return native ? new native.DecompressStream() : fzstdTransform();
}

interface ZstdContext {
  decompress(dst: Uint8Array, src: Uint8Array): number;
}
let zstdContext: ZstdContext | undefined;

/**
 * Decompresses zstd frames held in memory (a Parquet page, say) into `out`, which must be exactly
 * their decompressed size: Parquet writers leave the size out of the frame, the page header has it.
 */
export function zstdDecompress(data: Uint8Array, out: Uint8Array): void {
  let written: number;
  if (zstdModule()) {
    zstdContext ??= new (createRequire(import.meta.url)('zstd-napi/binding') as { DCtx: new () => ZstdContext }).DCtx();
    written = zstdContext.decompress(out, data);
  } else {
    const { decompress } = createRequire(import.meta.url)('fzstd') as { decompress: (d: Uint8Array, out: Uint8Array) => Uint8Array };
    const result = decompress(data, out);
    if (result.buffer !== out.buffer || result.byteOffset !== out.byteOffset) throw new SieveError('E_INPUT_FORMAT', 'zstd data larger than its page header says');
    written = result.length;
  }
  if (written !== out.length) throw new SieveError('E_INPUT_FORMAT', `zstd data decompressed to ${written} bytes, the page header says ${out.length}`);
}

function fzstdTransform(): Transform {
  // Loaded on first use: its tables cost ~5 ms of every run's start, and most inputs are not zstd.
  const { Decompress } = createRequire(import.meta.url)('fzstd') as { Decompress: typeof FzstdDecompress };
  let stream: FzstdDecompress;
  const transform = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        stream.push(chunk);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        stream.push(new Uint8Array(0), true);
        done();
      } catch (err) {
        done(new Error(`truncated: ${(err as Error).message}`));
      }
    },
  });
  stream = new Decompress((data) => transform.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  return transform;
}

export { CHUNK as READ_CHUNK_BYTES };
