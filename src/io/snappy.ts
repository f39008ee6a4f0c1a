/**
 * Snappy decompression (the raw block format, as Parquet pages use it): a length, then literals and
 * back-references. Small enough to keep here rather than add a native dependency for one codec.
 */

import { SieveError } from '../errors.js';

function corrupt(why: string): SieveError {
  return new SieveError('E_INPUT_FORMAT', `corrupt Snappy block: ${why}`);
}

/** Decompresses one Snappy block into `out`, which must be exactly its decompressed size. */
export function snappyDecompress(src: Uint8Array, out: Uint8Array): void {
  let pos = 0;
  let size = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= src.length || shift > 28) throw corrupt('bad length');
    const b = src[pos++];
    size += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  if (size !== out.length) throw corrupt(`holds ${size} bytes, the page header says ${out.length}`);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (pos + extra > src.length) throw corrupt('truncated literal length');
        len = 0;
        for (let i = 0; i < extra; i++) len += src[pos + i] * 2 ** (8 * i);
        pos += extra;
      }
      len += 1;
      if (pos + len > src.length || o + len > size) throw corrupt('literal past the end');
      out.set(src.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= src.length) throw corrupt('truncated copy');
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | src[pos++];
    } else if (kind === 2) {
      if (pos + 2 > src.length) throw corrupt('truncated copy');
      len = (tag >>> 2) + 1;
      offset = src[pos] | (src[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > src.length) throw corrupt('truncated copy');
      len = (tag >>> 2) + 1;
      offset = (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16) | (src[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + len > size) throw corrupt('copy out of range');
    if (offset >= len) {
      out.copyWithin(o, o - offset, o - offset + len);
      o += len;
    } else {
      // Overlapping: the copy repeats the last `offset` bytes.
      for (let i = 0; i < len; i++, o++) out[o] = out[o - offset];
    }
  }
  if (o !== size) throw corrupt(`decoded ${o} of ${size} bytes`);
}
