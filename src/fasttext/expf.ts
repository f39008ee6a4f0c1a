/**
 * glibc's single-precision `expf` (glibc ≥ 2.28, the algorithm of ARM's optimized-routines), bit
 * for bit. fastText calls `std::exp` on floats, and glibc's result is not always the correctly
 * rounded float (its error bound is 0.502 ulp), so `Math.fround(Math.exp(x))` differs from it
 * once in a few thousand calls: enough to move a reported probability by one float32 ulp.
 *
 * The method: with N = 32, write x·N/ln 2 = k + r (k the nearest integer, |r| ≤ 1/2), then
 * exp(x) = 2^(k/N) · 2^(r/N), the first factor from a table, the second a cubic in r, all in
 * double, and round the product to float once.
 */

const N = 32;
const INV_LN2_N = 1.4426950408889634 * N;
/** 1.5·2^52: adding it rounds a double of magnitude < 2^51 to an integer, ties to even. */
const SHIFT = 6755399441055744;
/**
 * glibc's polynomial for 2^(r/N): coefficients of r³, r², r (0x1.c6af84b912394p-5,
 * 0x1.ebfce50fac4f3p-3, 0x1.62e42ff0c52d6p-1), divided by N³, N², N (exact: N is a power of 2).
 */
const C0 = 0.05550361559341535 / (N * N * N);
const C1 = 0.2402284522445722 / (N * N);
const C2 = 0.6931471806916203 / N;
/** Beyond these floats (0x1.62e42ep6, -0x1.9fe368p6) expf overflows to Infinity or underflows to 0. */
const OVERFLOW = 88.72283172607422;
const UNDERFLOW = -103.97207641601562;

/** 2^(j/N) for j < N, each the double nearest the exact value, computed here in 200-bit fixed point. */
const TABLE = (() => {
  const bits = 200n;
  const one = 1n << bits;
  let root = 2n * one;
  for (let i = 0; i < 5; i++) root = isqrt(root << bits); // 2^(1/2), 2^(1/4), …, 2^(1/32)
  const table = new Float64Array(N);
  let power = one;
  for (let j = 0; j < N; j++) {
    table[j] = nearestDouble(power, bits);
    power = (power * root) >> bits;
  }
  return table;
})();

/** 2^e for the integer exponents a result can take (-150..128), by exact doubling. */
const POW2_MIN = -160;
const POW2 = (() => {
  const powers = new Float64Array(300);
  powers[0] = 2 ** POW2_MIN;
  for (let i = 1; i < powers.length; i++) powers[i] = powers[i - 1] * 2;
  return powers;
})();

function isqrt(n: bigint): bigint {
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** The double nearest `v / 2^bits` for `1 ≤ v / 2^bits < 2`, ties to even. */
function nearestDouble(v: bigint, bits: bigint): number {
  const drop = bits - 52n;
  let mantissa = v >> drop;
  const rest = v - (mantissa << drop);
  const half = 1n << (drop - 1n);
  if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa++;
  return Number(mantissa) / 2 ** 52;
}

/** glibc `expf(x)` for a float32 `x`. */
export function expf(x: number): number {
  if (!(Math.abs(x) < 88)) {
    if (x === -Infinity) return 0;
    if (Number.isNaN(x) || x === Infinity) return x;
    if (x > OVERFLOW) return Infinity;
    if (x < UNDERFLOW) return 0;
  }
  const z = INV_LN2_N * x;
  const kd = z + SHIFT - SHIFT;
  const r = z - kd;
  const j = ((kd % N) + N) % N;
  const s = TABLE[j] * POW2[(kd - j) / N - POW2_MIN];
  const p = C0 * r + C1;
  const y = (p * (r * r) + (C2 * r + 1)) * s;
  return Math.fround(y);
}
