import { mergeValueCounts, type ValueCounts } from '../recipe/value-counts.js';

/** A histogram ready to draw: bin edges on one axis, and each series' count per bin. */
export interface DisplayBins {
  /** `log`: positions are log10(1 + v), for heavy-tailed non-negative values (lengths, counts). */
  readonly scale: 'linear' | 'log';
  /** One bin per integer: ticks belong on integers. */
  readonly integers: boolean;
  /** `bins + 1` edges, ascending, in value units. */
  readonly edges: readonly number[];
  /** `series[s][b]`: values of series `s` in bin `b`. */
  readonly series: readonly (readonly number[])[];
  /** Smallest and largest value counted. */
  readonly min: number;
  readonly max: number;
}

/** The position of a value on a scale (log: log10(1 + v)). */
export function scalePosition(scale: DisplayBins['scale'], v: number): number {
  return scale === 'log' ? Math.log10(1 + Math.max(0, v)) : v;
}

function fromPosition(scale: DisplayBins['scale'], p: number): number {
  return scale === 'log' ? 10 ** p - 1 : p;
}

/** The value below which `q` of the counted values lie (values ascending). */
function quantile(c: ValueCounts, q: number): number {
  const total = c.counts.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < c.values.length; i++) {
    seen += c.counts[i];
    if (seen >= q * total) return c.values[i];
  }
  return c.values[c.values.length - 1] ?? 0;
}

/**
 * Bins several series of counted values on one shared axis: one bin per integer when all values are
 * integers spanning at most `maxBins`; a log axis when values are non-negative, reach 1,000 and
 * the largest is over 5 times the 90th percentile; otherwise `maxBins` equal bins. The axis is
 * stretched to each `include` value (a rule's threshold) within one data range of the values.
 * Undefined when no series holds a value.
 */
export function displayBins(series: readonly ValueCounts[], include: readonly number[] = [], maxBins = 40): DisplayBins | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integers = true;
  for (const s of series) {
    for (const v of s.values) {
      if (v < min) min = v;
      if (v > max) max = v;
      if (!Number.isInteger(v)) integers = false;
    }
  }
  if (min > max) return undefined;
  const span = max > min ? max - min : Math.max(1, Math.abs(max));
  const reach = include.filter((v) => Number.isFinite(v) && v >= min - span && v <= max + span);
  for (const v of reach) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    if (!Number.isInteger(v)) integers = false;
  }
  let scale: DisplayBins['scale'] = 'linear';
  let edges: number[];
  const perInteger = integers && max - min + 1 <= maxBins;
  if (perInteger) {
    edges = Array.from({ length: max - min + 2 }, (_, i) => min - 0.5 + i);
  } else if (min === max) {
    edges = [min - Math.abs(min) * 0.05, min + Math.abs(min) * 0.05];
  } else {
    if (min >= 0 && max >= 1000 && max > 5 * Math.max(1, quantile(mergeValueCounts(series), 0.9))) scale = 'log';
    const lo = scalePosition(scale, min);
    const width = (scalePosition(scale, max) - lo) / maxBins;
    edges = Array.from({ length: maxBins + 1 }, (_, i) => fromPosition(scale, lo + i * width));
  }
  const bins = edges.length - 1;
  const lo = scalePosition(scale, edges[0]);
  const width = (scalePosition(scale, edges[bins]) - lo) / bins;
  const counted = series.map((s) => {
    const out = new Array<number>(bins).fill(0);
    s.values.forEach((v, i) => {
      const b = Math.min(bins - 1, Math.max(0, Math.floor((scalePosition(scale, v) - lo) / width)));
      out[b] += s.counts[i];
    });
    return out;
  });
  return { scale, integers: perInteger, edges, series: counted, min, max };
}

/** A short label for a number: 12, 0.25, 3.4k, 1.2M. */
export function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim((v / 1e9).toPrecision(3))}G`;
  if (a >= 1e6) return `${trim((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${trim((v / 1e3).toPrecision(3))}k`;
  if (Number.isInteger(v)) return String(v);
  return trim(v.toPrecision(3));
}

function trim(s: string): string {
  return s.includes('e') ? s : s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
