/**
 * CPython 3.11's built-in `hash()` of `str` and of 2-tuples of `str`, with `PYTHONHASHSEED=42`
 * (spec §8.1), in 32-bit halves so no BigInt is needed per token.
 *
 * - str: SipHash-1-3 (one compression round per 8-byte word, three finalization rounds; the
 *   SipHash design of Aumasson and Bernstein with CPython's round counts) keyed by the two 64-bit
 *   words CPython derives from the seed, over the string's PEP 393 buffer: one byte per code point
 *   when all are below 256, two (UTF-16LE) when all are below 65536, else four (UTF-32LE). The empty
 *   string hashes to 0 and a result of −1 becomes −2.
 * - tuple: CPython's xxHash-style combination: acc = P5; per item acc = rotl31(acc + hash·P2)·P1;
 *   then acc += len ^ (P5 ^ 3527539); 2^64 − 1 becomes 1546275796.
 *
 * A 64-bit value is a pair of int32 halves `hi`, `lo` (two's complement, read as signed int64).
 */

/**
 * The SipHash key `_Py_HashSecret` derives from `PYTHONHASHSEED=42`: 24 bytes from the LCG
 * x = x·214013 + 2531011 (mod 2^32), byte = (x >> 16) & 0xff, seeded with 42; k0 and k1 are the
 * first two 8-byte groups, little-endian.
 */
function seedKeys(seed: number): [number, number, number, number] {
  const bytes = new Uint8Array(16);
  let x = seed >>> 0;
  for (let i = 0; i < 16; i++) {
    x = (Math.imul(x, 214013) + 2531011) >>> 0;
    bytes[i] = (x >>> 16) & 0xff;
  }
  const word = (p: number): number => bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
  return [word(4), word(0), word(12), word(8)];
}

const [K0_HI, K0_LO, K1_HI, K1_LO] = seedKeys(42);

/** Result of the last hash call: `RESULT[0]` = hi, `RESULT[1]` = lo (int32 each). */
export const HASH_RESULT = new Int32Array(2);

/** Byte image of the string being hashed (PEP 393 buffer), grown on demand. */
let message = new Uint8Array(256);

/**
 * SipHash-1-3 of `message[0, n)` with the seed-42 keys, into `HASH_RESULT`. The four 64-bit state
 * words live in eight int32 locals. Every 8-byte little-endian word m (the last one holds the
 * remaining bytes and, in its top byte, n mod 256) is absorbed as v3 ^= m, one SipRound, v0 ^= m;
 * then v2 ^= 0xff and three SipRounds; the hash is v0 ^ v1 ^ v2 ^ v3.
 */
function siphash13(n: number): void {
  const m = message;
  // v0 = k0 ^ "somepseu", v1 = k1 ^ "dorandom", v2 = k0 ^ "lygenera", v3 = k1 ^ "tedbytes"
  let v0h = K0_HI ^ 0x736f6d65;
  let v0l = K0_LO ^ 0x70736575;
  let v1h = K1_HI ^ 0x646f7261;
  let v1l = K1_LO ^ 0x6e646f6d;
  let v2h = K0_HI ^ 0x6c796765;
  let v2l = K0_LO ^ 0x6e657261;
  let v3h = K1_HI ^ 0x74656462;
  let v3l = K1_LO ^ 0x79746573;
  const words = (n >>> 3) + 1;
  // Rounds 0 .. words-1 absorb a word each; rounds words .. words+2 finalize.
  for (let r = 0; r < words + 3; r++) {
    let mh = 0;
    let ml = 0;
    if (r < words) {
      const p = 8 * r;
      if (r < words - 1) {
        ml = m[p] | (m[p + 1] << 8) | (m[p + 2] << 16) | (m[p + 3] << 24);
        mh = m[p + 4] | (m[p + 5] << 8) | (m[p + 6] << 16) | (m[p + 7] << 24);
      } else {
        mh = (n & 0xff) << 24;
        for (let i = 0; p + i < n; i++) {
          if (i < 4) ml |= m[p + i] << (8 * i);
          else mh |= m[p + i] << (8 * (i - 4));
        }
      }
      v3h ^= mh;
      v3l ^= ml;
    } else if (r === words) {
      v2l ^= 0xff;
    }
    // SipRound. v0 += v1; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
    let lo = (v0l + v1l) | 0;
    v0h = (v0h + v1h + ((lo >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0;
    v0l = lo;
    let th = (v1h << 13) | (v1l >>> 19);
    let tl = (v1l << 13) | (v1h >>> 19);
    v1h = th ^ v0h;
    v1l = tl ^ v0l;
    th = v0h;
    v0h = v0l;
    v0l = th;
    // v2 += v3; v3 = rotl(v3, 16) ^ v2
    lo = (v2l + v3l) | 0;
    v2h = (v2h + v3h + ((lo >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0;
    v2l = lo;
    th = (v3h << 16) | (v3l >>> 16);
    tl = (v3l << 16) | (v3h >>> 16);
    v3h = th ^ v2h;
    v3l = tl ^ v2l;
    // v0 += v3; v3 = rotl(v3, 21) ^ v0
    lo = (v0l + v3l) | 0;
    v0h = (v0h + v3h + ((lo >>> 0) < (v0l >>> 0) ? 1 : 0)) | 0;
    v0l = lo;
    th = (v3h << 21) | (v3l >>> 11);
    tl = (v3l << 21) | (v3h >>> 11);
    v3h = th ^ v0h;
    v3l = tl ^ v0l;
    // v2 += v1; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)
    lo = (v2l + v1l) | 0;
    v2h = (v2h + v1h + ((lo >>> 0) < (v2l >>> 0) ? 1 : 0)) | 0;
    v2l = lo;
    th = (v1h << 17) | (v1l >>> 15);
    tl = (v1l << 17) | (v1h >>> 15);
    v1h = th ^ v2h;
    v1l = tl ^ v2l;
    th = v2h;
    v2h = v2l;
    v2l = th;
    if (r < words) {
      v0h ^= mh;
      v0l ^= ml;
    }
  }
  HASH_RESULT[0] = v0h ^ v1h ^ v2h ^ v3h;
  HASH_RESULT[1] = v0l ^ v1l ^ v2l ^ v3l;
}

/**
 * CPython `hash(s)` for the string whose UTF-16 code units are `units[start, end)`, into
 * `HASH_RESULT`. A surrogate pair is one astral code point; a lone surrogate is a code point of its
 * own (as Python keeps it), so the byte image matches the `str` Python builds from the same text.
 */
export function pyStrHashUnits(units: Uint16Array, start: number, end: number): void {
  const count = end - start;
  if (count === 0) {
    HASH_RESULT[0] = 0;
    HASH_RESULT[1] = 0;
    return;
  }
  let max = 0;
  let pairs = 0;
  for (let i = start; i < end; i++) {
    const c = units[i];
    if (c > max) max = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = units[i + 1];
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  let n: number;
  if (pairs > 0) {
    n = 4 * (count - pairs);
    if (message.length < n) message = new Uint8Array(2 * n);
    const m = message;
    let p = 0;
    for (let i = start; i < end; i++) {
      let cp = units[i];
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < end) {
        const d = units[i + 1];
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          i++;
        }
      }
      m[p] = cp;
      m[p + 1] = cp >>> 8;
      m[p + 2] = cp >>> 16;
      m[p + 3] = 0;
      p += 4;
    }
  } else if (max > 0xff) {
    n = 2 * count;
    if (message.length < n) message = new Uint8Array(2 * n);
    const m = message;
    for (let i = 0; i < count; i++) {
      const c = units[start + i];
      m[2 * i] = c;
      m[2 * i + 1] = c >>> 8;
    }
  } else {
    n = count;
    if (message.length < n) message = new Uint8Array(2 * n);
    const m = message;
    for (let i = 0; i < count; i++) m[i] = units[start + i];
  }
  siphash13(n);
  if (HASH_RESULT[0] === -1 && HASH_RESULT[1] === -1) HASH_RESULT[1] = -2;
}

/** Low 32 bits of the 64-bit product of two uint32 values is `Math.imul`; this is the high 32. */
function mulHi32(a: number, b: number): number {
  const ua = a >>> 0;
  const ub = b >>> 0;
  const lo = Math.imul(ua, ub) >>> 0;
  // The double product is within 2^11 of the exact one, so rounding recovers the high word exactly.
  return Math.round((ua * ub - lo) * 2.3283064365386963e-10) | 0;
}

const P1_HI = 0x9e3779b1 | 0;
const P1_LO = 0x85ebca87 | 0;
const P2_HI = 0xc2b2ae3d | 0;
const P2_LO = 0x27d4eb4f | 0;
/** P5 ^ 3527539 plus the tuple length 2 folded in: the constant added at the end of a 2-tuple hash. */
const PAIR_TAIL_HI = 0x27d4eb2f;
const PAIR_TAIL_LO = (0x165667c5 ^ 3527539 ^ 2) | 0;
const P5_HI = 0x27d4eb2f;
const P5_LO = 0x165667c5;

/**
 * CPython `hash((x, y))` for two items whose hashes are (`xh`, `xl`) and (`yh`, `yl`), into
 * `HASH_RESULT`.
 */
export function pyPairHash(xh: number, xl: number, yh: number, yl: number): void {
  let ah = P5_HI;
  let al = P5_LO;
  for (let k = 0; k < 2; k++) {
    const eh = k === 0 ? xh : yh;
    const el = k === 0 ? xl : yl;
    // acc += e * P2 (mod 2^64)
    const ml = Math.imul(el, P2_LO);
    const mh = (mulHi32(el, P2_LO) + Math.imul(el, P2_HI) + Math.imul(eh, P2_LO)) | 0;
    const lo = (al + ml) | 0;
    ah = (ah + mh + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
    al = lo;
    // acc = rotl(acc, 31)
    const rh = (ah << 31) | (al >>> 1);
    const rl = (al << 31) | (ah >>> 1);
    // acc *= P1 (mod 2^64)
    ah = (mulHi32(rl, P1_LO) + Math.imul(rl, P1_HI) + Math.imul(rh, P1_LO)) | 0;
    al = Math.imul(rl, P1_LO);
  }
  const lo = (al + PAIR_TAIL_LO) | 0;
  ah = (ah + PAIR_TAIL_HI + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
  al = lo;
  if (ah === -1 && al === -1) {
    HASH_RESULT[0] = 0;
    HASH_RESULT[1] = 1546275796;
    return;
  }
  HASH_RESULT[0] = ah;
  HASH_RESULT[1] = al;
}

/**
 * `abs(h) % m` for the signed int64 `h` = (`hi`, `lo`), as Python computes it (|−2^63| = 2^63 is
 * fine: the magnitude is read unsigned). Exact for m ≤ 2^24.
 */
export function absMod(hi: number, lo: number, m: number): number {
  let h = hi >>> 0;
  let l = lo >>> 0;
  if (hi < 0) {
    // Two's-complement negation.
    l = (~lo + 1) >>> 0;
    h = (~hi + (l === 0 ? 1 : 0)) >>> 0;
  }
  return ((h % m) * (4294967296 % m) + (l % m)) % m;
}
