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

/** The value a count is kept under. */
export function roundValue(v: number): number {
  if (Number.isInteger(v) && v > -1000 && v < 1000) return v === 0 ? 0 : v;
  const r = Number(v.toPrecision(3));
  return r === 0 ? 0 : r;
}

/** Accumulates {@link ValueCounts}. */
export class ValueCounter {
  readonly #counts = new Map<number, number>();
  #nulls = 0;

  /** Counts one value; NaN (null) and infinities count as nulls. */
  add(v: number): void {
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
    const values = [...this.#counts.keys()].sort((a, b) => a - b);
    return { values, counts: values.map((v) => this.#counts.get(v) as number), nulls: this.#nulls };
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
