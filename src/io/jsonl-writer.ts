import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import { SieveError } from '../errors.js';
import { writeAtomically } from './atomic-file.js';
import { kindFromName } from './formats.js';

/** Bytes of lines buffered ahead of the compressor and the file. */
const WRITE_AHEAD = 8 << 20;
/** Characters of lines per write, and bytes of each compressor output buffer. */
const WRITE_CHUNK = 1 << 20;

/** Writes JSON lines to `path` (plain, `.gz` or `.zst` by its name), atomically. */
export async function writeJsonl(path: string, records: AsyncIterable<unknown> | Iterable<unknown>): Promise<number> {
  async function* lines(): AsyncGenerator<string> {
    for await (const record of records) yield JSON.stringify(record, jsonReplacer);
  }
  return writeLines(path, lines());
}

/** Writes already serialised lines (a newline is added to each), compressed as the name says, atomically. */
export async function writeLines(path: string, lines: AsyncIterable<string> | Iterable<string>): Promise<number> {
  const compression = kindFromName(path)?.compression ?? 'none';
  return writeAtomically(path, async (tmp) => {
    // A few MB of lines may wait for the compressor (on libuv's threads) while the caller goes on.
    const source = new PassThrough({ highWaterMark: WRITE_AHEAD });
    const stages: (Transform | PassThrough)[] = [source];
    // Each full output buffer costs the compressor a turn of the event loop, which a busy caller
    // does not give: 1 MB buffers keep it going between turns.
    if (compression === 'gzip') stages.push(createGzip({ chunkSize: WRITE_CHUNK }));
    if (compression === 'zstd') stages.push(createZstdCompressor());
    const done = pipeline([...stages, createWriteStream(tmp)]);
    let n = 0;
    // Lines go out joined, about 1 MB at a time: one write (and compressor job) per line would
    // need a turn of the event loop each.
    let pending: string[] = [];
    let pendingLength = 0;
    const flush = async (): Promise<void> => {
      const ok = source.write(pending.join('\n') + '\n');
      pending = [];
      pendingLength = 0;
      if (!ok) await once(source, 'drain');
    };
    try {
      for await (const line of lines) {
        pending.push(line);
        pendingLength += line.length;
        n++;
        if (pendingLength >= WRITE_CHUNK) await flush();
      }
      if (pending.length > 0) await flush();
    } catch (err) {
      source.destroy(err as Error);
      await done.catch(() => undefined); // the pipeline fails with the same error, thrown below
      throw err;
    }
    source.end();
    await done;
    return n;
  });
}

/** BigInts (uint64 ids) as JSON numbers' decimal text. */
function jsonReplacer(_key: string, value: unknown): unknown {
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
