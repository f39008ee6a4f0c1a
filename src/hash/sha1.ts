/**
 * SHA-1 (FIPS 180-4) in plain TypeScript, written from the standard: 512-bit blocks, big-endian
 * words, an 80-word message schedule and four 20-round stages. It is the `js` backend's SHA-1 and
 * the base hash of MinHash (the first 4 digest bytes, little-endian: datasketch's `sha1_hash32`).
 */

/** Message schedule, shared by every call (each call fills it before reading it). */
const W = new Int32Array(80);
/** Padded final block(s) of a message: at most two blocks. */
const TAIL = new Uint8Array(128);
/** The five state words after the last `sha1Into`. */
const STATE = new Int32Array(5);

/** Compresses the 64-byte block at `bytes[pos]` into `STATE`. */
function compress(bytes: Uint8Array, pos: number): void {
  const w = W;
  for (let t = 0; t < 16; t++) {
    const p = pos + 4 * t;
    w[t] = (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
  }
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = STATE[0];
  let b = STATE[1];
  let c = STATE[2];
  let d = STATE[3];
  let e = STATE[4];
  let t = 0;
  for (; t < 20; t++) {
    const x = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = x;
  }
  for (; t < 40; t++) {
    const x = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = x;
  }
  for (; t < 60; t++) {
    const x = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = x;
  }
  for (; t < 80; t++) {
    const x = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = x;
  }
  STATE[0] = (STATE[0] + a) | 0;
  STATE[1] = (STATE[1] + b) | 0;
  STATE[2] = (STATE[2] + c) | 0;
  STATE[3] = (STATE[3] + d) | 0;
  STATE[4] = (STATE[4] + e) | 0;
}

/** Hashes `bytes[start, end)`, leaving the five digest words (big-endian values) in `STATE`. */
function sha1Into(bytes: Uint8Array, start: number, end: number): void {
  STATE[0] = 0x67452301;
  STATE[1] = 0xefcdab89 | 0;
  STATE[2] = 0x98badcfe | 0;
  STATE[3] = 0x10325476;
  STATE[4] = 0xc3d2e1f0 | 0;
  const length = end - start;
  let pos = start;
  for (; end - pos >= 64; pos += 64) compress(bytes, pos);
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian integer.
  const rest = end - pos;
  const tail = TAIL;
  tail.fill(0);
  for (let i = 0; i < rest; i++) tail[i] = bytes[pos + i];
  tail[rest] = 0x80;
  const blocks = rest < 56 ? 1 : 2;
  const lenAt = blocks * 64 - 8;
  const bitsHi = Math.floor(length / 0x20000000);
  const bitsLo = (length * 8) >>> 0;
  tail[lenAt] = bitsHi >>> 24;
  tail[lenAt + 1] = bitsHi >>> 16;
  tail[lenAt + 2] = bitsHi >>> 8;
  tail[lenAt + 3] = bitsHi;
  tail[lenAt + 4] = bitsLo >>> 24;
  tail[lenAt + 5] = bitsLo >>> 16;
  tail[lenAt + 6] = bitsLo >>> 8;
  tail[lenAt + 7] = bitsLo;
  compress(tail, 0);
  if (blocks === 2) compress(tail, 64);
}

/** The 20-byte SHA-1 digest of `bytes[start, end)`, written to `out[outPos, outPos + 20)`. */
export function sha1Digest(bytes: Uint8Array, start: number, end: number, out: Uint8Array, outPos: number): void {
  sha1Into(bytes, start, end);
  for (let k = 0; k < 5; k++) {
    const v = STATE[k];
    out[outPos + 4 * k] = v >>> 24;
    out[outPos + 4 * k + 1] = v >>> 16;
    out[outPos + 4 * k + 2] = v >>> 8;
    out[outPos + 4 * k + 3] = v;
  }
}

/**
 * The first 4 digest bytes of SHA-1(`bytes[start, end)`) read as a little-endian uint32: the
 * MinHash base hash (spec §6 step 4).
 */
export function sha1Hash32(bytes: Uint8Array, start: number, end: number): number {
  sha1Into(bytes, start, end);
  const v = STATE[0];
  return ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24)) >>> 0;
}

/**
 * The first 8 digest bytes of SHA-1(`bytes[start, end)`) read as a little-endian uint64, as two
 * uint32 halves `[lo, hi]` in `out` (RPv2 `id_int`, spec §5.2).
 */
export function sha1Hash64(bytes: Uint8Array, start: number, end: number, out: Uint32Array, outPos: number): void {
  sha1Into(bytes, start, end);
  const a = STATE[0];
  const b = STATE[1];
  out[outPos] = (a >>> 24) | ((a >>> 8) & 0xff00) | ((a << 8) & 0xff0000) | (a << 24);
  out[outPos + 1] = (b >>> 24) | ((b >>> 8) & 0xff00) | ((b << 8) & 0xff0000) | (b << 24);
}
