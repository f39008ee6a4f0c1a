/**
 * How often each value occurred, with values rounded to three significant digits (integers below
 * 1,000 kept exact): small whatever the corpus size, precise enough to draw a histogram of any
 * range afterwards, and merged by adding counts, so shard order and worker count do not matter.
 */
export interface ValueCounts {
  /** Distinct rounded values, ascending. */
  readonly values: readonly number[];
  /** `counts[i]` occurrences of `values[i]`. */
  readonly counts: readonly number[];
  /** Null and non-finite values. */
  readonly nulls: number;
}

/** The value a count is kept under: `Number(v.toPrecision(3))`, integers below 1,000 as they are. */
export function roundValue(v: number): number {
  if (Number.isInteger(v) && v > -1000 && v < 1000) return v === 0 ? 0 : v;
  const fast = roundThreeDigits(v);
  const r = fast === undefined ? Number(v.toPrecision(3)) : fast;
  return r === 0 ? 0 : r;
}

/** 10^k for k = 0…22, all exact as doubles (parsed, so correctly rounded). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * `Number(v.toPrecision(3))` by arithmetic, 2–3× faster, or undefined where it cannot be sure. The
 * three digits n are |v| · 10^k rounded, for the k that puts it in [100, 1000]; the product (or
 * quotient) by an exact power of ten is one rounding off, far less than the 1e-9 margin kept from a
 * tie, so n is the digits toPrecision picks; and n / 10^k (or n · 10^-k) is one correctly rounded
 * operation on exact operands, the double nearest n·10^-k: what parsing toPrecision's text gives.
 */
function roundThreeDigits(v: number): number | undefined {
  const a = Math.abs(v);
  if (!(a >= 1e-19 && a < 1e22)) return undefined;
  const k = 2 - Math.floor(Math.log10(a));
  if (k > 22 || k < -22) return undefined;
  const s = k >= 0 ? a * POW10[k] : a / POW10[-k];
  const n = Math.round(s);
  // A tie (or near one), or log10 off by one at a power of ten: toPrecision decides.
  if (Math.abs(s - Math.floor(s) - 0.5) < 1e-9 || n < 100 || n > 1000) return undefined;
  const r = k >= 0 ? n / POW10[k] : n * POW10[-k];
  return v < 0 ? -r : r;
}

/** Integers kept exact, below 1,000 in magnitude, are counted in an array: line signals are mostly 0 and 1. */
const SMALL = 999;

/** Accumulates {@link ValueCounts}. */
export class ValueCounter {
  readonly #counts = new Map<number, number>();
  /** Counts of the integers -999…999, at `v + SMALL`. */
  #small: Uint32Array | undefined;
  #nulls = 0;

  /** Counts one value; NaN (null) and infinities count as nulls. */
  add(v: number): void {
    if (Number.isInteger(v) && v > -1000 && v < 1000) {
      (this.#small ??= new Uint32Array(2 * SMALL + 1))[v + SMALL]++;
      return;
    }
    if (!Number.isFinite(v)) {
      this.#nulls++;
      return;
    }
    const key = roundValue(v);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  addNull(): void {
    this.#nulls++;
  }

  merge(other: ValueCounts): void {
    this.#nulls += other.nulls;
    other.values.forEach((v, i) => this.#counts.set(v, (this.#counts.get(v) ?? 0) + other.counts[i]));
  }

  counts(): ValueCounts {
    const all = new Map(this.#counts);
    const small = this.#small;
    if (small) for (let i = 0; i < small.length; i++) if (small[i] > 0) all.set(i - SMALL, (all.get(i - SMALL) ?? 0) + small[i]);
    const values = [...all.keys()].sort((a, b) => a - b);
    return { values, counts: values.map((v) => all.get(v) as number), nulls: this.#nulls };
  }
}

/** Sums several {@link ValueCounts}. */
export function mergeValueCounts(parts: readonly ValueCounts[]): ValueCounts {
  const counter = new ValueCounter();
  for (const p of parts) counter.merge(p);
  return counter.counts();
}

/** Number of values counted, nulls included. */
export function totalCount(c: ValueCounts): number {
  return c.counts.reduce((a, b) => a + b, c.nulls);
}
