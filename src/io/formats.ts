import { basename } from 'node:path';

/** The container formats the readers understand (`inputFormat`, `--input-format`). */
export const FORMATS = ['jsonl', 'parquet', 'warc'] as const;
/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];
/** The stream compressions the readers recognise, by name and by magic number. */
export const COMPRESSIONS = ['none', 'gzip', 'zstd'] as const;
/** One of {@link COMPRESSIONS}. */
export type Compression = (typeof COMPRESSIONS)[number];

/** How a file is stored: container format plus stream compression. */
export interface FileKind {
  readonly format: Format;
  readonly compression: Compression;
}

const COMPRESSION_SUFFIX: Readonly<Record<string, Compression>> = { gz: 'gzip', gzip: 'gzip', zst: 'zstd', zstd: 'zstd' };
const FORMAT_SUFFIX: Readonly<Record<string, Format>> = {
  jsonl: 'jsonl', json: 'jsonl', ndjson: 'jsonl', parquet: 'parquet', pq: 'parquet', warc: 'warc', wet: 'warc', wat: 'warc',
};

/** Format and compression from the file name, or undefined when the name does not say. */
export function kindFromName(path: string): FileKind | undefined {
  const parts = basename(path).toLowerCase().split('.');
  let compression: Compression = 'none';
  let last = parts.length - 1;
  if (last > 0 && COMPRESSION_SUFFIX[parts[last]]) {
    compression = COMPRESSION_SUFFIX[parts[last]];
    last--;
  }
  const format = last > 0 ? FORMAT_SUFFIX[parts[last]] : undefined;
  return format ? { format, compression } : undefined;
}

/** Compression from a stream's first bytes (gzip and zstd magic numbers). */
export function compressionFromMagic(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** Container format from the first decompressed bytes: Parquet's `PAR1`, a `WARC/` header, else JSON lines. */
export function formatFromMagic(head: Uint8Array): Format {
  const ascii = String.fromCharCode(...head.subarray(0, 5));
  if (ascii.startsWith('PAR1')) return 'parquet';
  if (ascii.startsWith('WARC/')) return 'warc';
  return 'jsonl';
}

/** The shard name: the file name without its format and compression extensions (`en_head.json.gz` → `en_head`). */
export function stripExtensions(fileName: string): string {
  const parts = fileName.split('.');
  while (parts.length > 1) {
    const ext = parts[parts.length - 1].toLowerCase();
    if (COMPRESSION_SUFFIX[ext] || FORMAT_SUFFIX[ext]) parts.pop();
    else break;
  }
  return parts.join('.');
}
