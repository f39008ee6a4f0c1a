/**
 * XXH64 (Yann Collet's xxHash, 64-bit variant, as its public specification describes it) in 32-bit
 * halves: no BigInt per input. Four accumulators eat 32-byte stripes (acc = rotl31(acc + lane·P2)·P1),
 * are merged, then the tail is folded in 8, 4 and 1 bytes at a time and the result is avalanched.
 * Used as the content hash for exact dedup; equal to `xxhash.xxh64(data, seed)` of the Python and C
 * libraries.
 */

const P1H = 0x9e3779b1 | 0;
const P1L = 0x85ebca87 | 0;
const P2H = 0xc2b2ae3d | 0;
const P2L = 0x27d4eb4f | 0;
const P3H = 0x165667b1;
const P3L = 0x9e3779f9 | 0;
const P4H = 0x85ebca77 | 0;
const P4L = 0xc2b2ae63 | 0;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;

// The 64-bit result of the helpers below (hi, lo as int32).
let rh = 0;
let rl = 0;

function mulHi32(a: number, b: number): number {
  const ua = a >>> 0;
  const ub = b >>> 0;
  // The double product is within 2^11 of the exact one, so rounding recovers the high word exactly.
  return Math.round((ua * ub - (Math.imul(ua, ub) >>> 0)) * 2.3283064365386963e-10) | 0;
}

/** (ah, al) · (bh, bl) mod 2^64 into (rh, rl). */
function mul(ah: number, al: number, bh: number, bl: number): void {
  rh = (mulHi32(al, bl) + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
  rl = Math.imul(al, bl);
}

/** (ah, al) + (bh, bl) mod 2^64 into (rh, rl). */
function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = (al + bl) | 0;
  rh = (ah + bh + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
  rl = lo;
}

/** rotl((h, l), s) for 0 < s < 32, into (rh, rl). */
function rotl(h: number, l: number, s: number): void {
  rh = (h << s) | (l >>> (32 - s));
  rl = (l << s) | (h >>> (32 - s));
}

/** One accumulator round: rotl31(acc + lane·P2)·P1, into (rh, rl). */
function round(acch: number, accl: number, laneh: number, lanel: number): void {
  mul(laneh, lanel, P2H, P2L);
  add(acch, accl, rh, rl);
  rotl(rh, rl, 31);
  mul(rh, rl, P1H, P1L);
}

/** Merge of one stripe accumulator: (acc ^ round(0, v))·P1 + P4, into (rh, rl). */
function mergeRound(acch: number, accl: number, vh: number, vl: number): void {
  round(0, 0, vh, vl);
  mul(acch ^ rh, accl ^ rl, P1H, P1L);
  add(rh, rl, P4H, P4L);
}

function read32(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

/**
 * XXH64 of `bytes[start, end)` with the 64-bit `seed` (hi, lo), written as (lo, hi) uint32 into
 * `out[outPos]`, `out[outPos + 1]` (a little-endian uint64 when `out` views a BigUint64Array).
 */
export function xxhash64Into(
  bytes: Uint8Array,
  start: number,
  end: number,
  seedHi: number,
  seedLo: number,
  out: Uint32Array,
  outPos: number,
): void {
  const length = end - start;
  let p = start;
  let hh: number;
  let hl: number;
  if (length >= 32) {
    add(seedHi, seedLo, P1H, P1L);
    add(rh, rl, P2H, P2L);
    let v1h = rh;
    let v1l = rl;
    add(seedHi, seedLo, P2H, P2L);
    let v2h = rh;
    let v2l = rl;
    let v3h = seedHi;
    let v3l = seedLo;
    // seed - P1 = seed + (2^64 - P1)
    add(seedHi, seedLo, ~P1H + (P1L === 0 ? 1 : 0), (-P1L) | 0);
    let v4h = rh;
    let v4l = rl;
    const limit = end - 32;
    for (; p <= limit; p += 32) {
      round(v1h, v1l, read32(bytes, p + 4), read32(bytes, p));
      v1h = rh;
      v1l = rl;
      round(v2h, v2l, read32(bytes, p + 12), read32(bytes, p + 8));
      v2h = rh;
      v2l = rl;
      round(v3h, v3l, read32(bytes, p + 20), read32(bytes, p + 16));
      v3h = rh;
      v3l = rl;
      round(v4h, v4l, read32(bytes, p + 28), read32(bytes, p + 24));
      v4h = rh;
      v4l = rl;
    }
    rotl(v1h, v1l, 1);
    hh = rh;
    hl = rl;
    rotl(v2h, v2l, 7);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    rotl(v3h, v3l, 12);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    rotl(v4h, v4l, 18);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    mergeRound(hh, hl, v1h, v1l);
    mergeRound(rh, rl, v2h, v2l);
    mergeRound(rh, rl, v3h, v3l);
    mergeRound(rh, rl, v4h, v4l);
    hh = rh;
    hl = rl;
  } else {
    add(seedHi, seedLo, P5H, P5L);
    hh = rh;
    hl = rl;
  }
  // acc += length (lengths below 2^32 here: offsets are uint32)
  add(hh, hl, 0, length | 0);
  hh = rh;
  hl = rl;
  for (; p + 8 <= end; p += 8) {
    round(0, 0, read32(bytes, p + 4), read32(bytes, p));
    hh ^= rh;
    hl ^= rl;
    rotl(hh, hl, 27);
    mul(rh, rl, P1H, P1L);
    add(rh, rl, P4H, P4L);
    hh = rh;
    hl = rl;
  }
  if (p + 4 <= end) {
    mul(0, read32(bytes, p), P1H, P1L);
    hh ^= rh;
    hl ^= rl;
    rotl(hh, hl, 23);
    mul(rh, rl, P2H, P2L);
    add(rh, rl, P3H, P3L);
    hh = rh;
    hl = rl;
    p += 4;
  }
  for (; p < end; p++) {
    mul(0, bytes[p], P5H, P5L);
    hh ^= rh;
    hl ^= rl;
    rotl(hh, hl, 11);
    mul(rh, rl, P1H, P1L);
    hh = rh;
    hl = rl;
  }
  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
  mul(hh, hl ^ (hh >>> 1), P2H, P2L);
  mul(rh ^ (rh >>> 29), rl ^ ((rl >>> 29) | (rh << 3)), P3H, P3L);
  hh = rh;
  hl = rl ^ rh;
  out[outPos] = hl;
  out[outPos + 1] = hh;
}
