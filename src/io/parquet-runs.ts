/**
 * Parquet's RLE / bit-packed hybrid encoding (levels and dictionary indices), decoded the ways the
 * column reader needs: all values, values looked up in a dictionary, the positions of zeros (a
 * list's row starts), the count of one value. The addon's kernels (`native/src/parquet/runs.hpp`)
 * do the first three where it is built, several times faster; the JS here gives the same results
 * and errors. The JS reads run by run, so that a repeated run is handled in one step.
 */

import { SieveError } from '../errors.js';
import { nativeRuns, type NativeRuns } from '../native.js';

/** `count` values encoded `width` bits wide in `data[from, to)`. */
export interface RunSource {
  readonly data: Uint8Array;
  readonly from: number;
  readonly to: number;
  readonly width: number;
  readonly count: number;
}

/** A cursor over the runs of `count` values encoded `width` bits wide in `data[from, to)`. */
class HybridRuns {
  /** Values in the current run. */
  length = 0;
  /** Whether the current run repeats {@link value}; otherwise its values are bit-packed. */
  repeated = false;
  value = 0;
  #p: number;
  #left: number;
  #packedAt = 0;

  constructor(
    private readonly data: Uint8Array,
    from: number,
    private readonly to: number,
    readonly width: number,
    readonly count: number,
  ) {
    if (to > data.length || from > to) throw new SieveError('E_INPUT_FORMAT', 'run-length data past the end of its page');
    if (width > 32) throw new SieveError('E_INPUT_FORMAT', `bit width ${width}`);
    this.#p = from;
    this.#left = count;
  }

  /** Moves to the next run; false once all `count` values have been read. */
  next(): boolean {
    if (this.#left === 0) return false;
    const data = this.data;
    let p = this.#p;
    if (p >= this.to) check(-1);
    // Integer operations throughout: a position computed by division would be a double, and
    // indexing with doubles is several times slower.
    let header = data[p++];
    if (header >= 0x80) {
      header &= 0x7f;
      for (let shift = 7; ; shift += 7) {
        if (p >= this.to || shift > 28) check(-1);
        const b = data[p++];
        header |= (b & 0x7f) << shift;
        if ((b & 0x80) === 0) break;
      }
      if (header < 0) check(-1);
    }
    if ((header & 1) === 0) {
      this.repeated = true;
      this.length = Math.min(header >>> 1, this.#left);
      const bytes = (this.width + 7) >> 3;
      if (p + bytes > this.to) check(-1);
      let value = 0;
      for (let i = 0; i < bytes; i++) value += data[p + i] * 2 ** (8 * i);
      this.value = value;
      p += bytes;
    } else {
      const groups = header >>> 1;
      this.repeated = false;
      this.length = Math.min(groups * 8, this.#left);
      this.#packedAt = p;
      p += groups * this.width;
      if (p > this.to) check(-1);
    }
    this.#p = p;
    this.#left -= this.length;
    return true;
  }

  /** Values `first … first + n - 1` of the current bit-packed run, into `out` from index `at`. */
  unpack(out: Uint32Array, at: number, first: number, n: number): void {
    const data = this.data;
    const width = this.width;
    const start = this.#packedAt * 8 + first * width;
    // Values are packed from the least significant bit of each byte onwards.
    if (width === 1) {
      for (let i = at, bit = start; i < at + n; i++, bit++) out[i] = (data[bit >> 3] >> (bit & 7)) & 1;
    } else if (width <= 24) {
      // A value lies within the four bytes from the one it starts in; near the end of the data,
      // read byte by byte so as not to read past it (an out-of-bounds read slows the whole loop).
      const mask = (1 << width) - 1;
      const last = data.length - 4;
      for (let i = at, bit = start; i < at + n; i++, bit += width) {
        const b = bit >> 3;
        const word = b <= last ? data[b] | (data[b + 1] << 8) | (data[b + 2] << 16) | (data[b + 3] << 24) : tailWord(data, b);
        out[i] = (word >>> (bit & 7)) & mask;
      }
    } else {
      for (let i = at, bit = start; i < at + n; i++, bit += width) {
        let value = 0;
        for (let b = 0; b < width; b++) value += ((data[(bit + b) >> 3] >> ((bit + b) & 7)) & 1) * 2 ** b;
        out[i] = value;
      }
    }
  }
}

/** The up to four bytes of `data` from `b`, little-endian, as one word. */
function tailWord(data: Uint8Array, b: number): number {
  let word = 0;
  for (let i = 0; i < 4 && b + i < data.length; i++) word |= data[b + i] << (8 * i);
  return word;
}

/** Bit-packed values are unpacked this many at a time into a scratch array. */
const UNPACK_CHUNK = 512;

/** The addon's statuses (`native/src/parquet/runs.hpp`); the JS throws the same messages. */
const STATUS: Readonly<Record<number, string>> = {
  [-1]: 'run-length data ends early or runs past its end',
  [-2]: 'dictionary index beyond the dictionary',
};
const OVERFLOW = -3;

function check(status: number): number {
  if (status < 0) throw new SieveError('E_INPUT_FORMAT', STATUS[status] ?? `run-length data status ${status}`);
  return status;
}

function cursor(src: RunSource): HybridRuns {
  return new HybridRuns(src.data, src.from, src.to, src.width, src.count);
}

/** All values of `src`. */
export function decodeRuns(src: RunSource, native: NativeRuns | null = nativeRuns()): Uint32Array {
  const out = new Uint32Array(src.count);
  if (native) {
    check(native.decodeRuns(src.data, src.from, src.to, src.width, src.count, out));
    return out;
  }
  const runs = cursor(src);
  for (let n = 0; runs.next(); n += runs.length) {
    if (runs.repeated) out.fill(runs.value, n, n + runs.length);
    else runs.unpack(out, n, 0, runs.length);
  }
  return out;
}

/** `dictionary[v]` for each value `v` of `src`, into `out` (at least `src.count` long). */
export function gatherRuns(src: RunSource, dictionary: Float64Array, out: Float64Array, native: NativeRuns | null = nativeRuns()): void {
  if (out.length < src.count) throw new SieveError('E_INPUT_FORMAT', `${src.count} values do not fit ${out.length}`);
  if (native) {
    check(native.gatherRuns(src.data, src.from, src.to, src.width, src.count, dictionary, out));
    return;
  }
  const runs = cursor(src);
  const scratch = new Uint32Array(UNPACK_CHUNK);
  const size = dictionary.length;
  for (let o = 0; runs.next(); o += runs.length) {
    if (runs.repeated) {
      if (runs.value >= size) check(-2);
      out.fill(dictionary[runs.value], o, o + runs.length);
      continue;
    }
    for (let j = 0; j < runs.length; j += UNPACK_CHUNK) {
      const k = Math.min(UNPACK_CHUNK, runs.length - j);
      runs.unpack(scratch, 0, j, k);
      for (let m = 0; m < k; m++) {
        const index = scratch[m];
        if (index >= size) check(-2);
        out[o + j + m] = dictionary[index];
      }
    }
  }
}

/**
 * For each value of `src` that is 0 (in repetition levels, a row starting), `offsets[row++] = base + i`
 * from `row` on. Returns the new row, or -1 when `offsets` has no room for them all.
 */
export function runZeros(src: RunSource, offsets: Int32Array, row: number, base: number, native: NativeRuns | null = nativeRuns()): number {
  if (native) {
    const status = native.runZeros(src.data, src.from, src.to, src.width, src.count, offsets, row, base);
    return status === OVERFLOW ? -1 : check(status);
  }
  const runs = cursor(src);
  const capacity = offsets.length;
  const scratch = new Uint32Array(UNPACK_CHUNK);
  for (let i = 0; runs.next(); i += runs.length) {
    if (runs.repeated) {
      if (runs.value !== 0) continue;
      if (row + runs.length > capacity) return -1;
      for (let k = 0; k < runs.length; k++) offsets[row++] = base + i + k;
      continue;
    }
    for (let j = 0; j < runs.length; j += UNPACK_CHUNK) {
      const k = Math.min(UNPACK_CHUNK, runs.length - j);
      runs.unpack(scratch, 0, j, k);
      for (let m = 0; m < k; m++) {
        if (scratch[m] !== 0) continue;
        if (row >= capacity) return -1;
        offsets[row++] = base + i + j + m;
      }
    }
  }
  return row;
}

/** How many values of `src` equal `value` (in JS alone: definition levels are mostly one run). */
export function countEqual(src: RunSource, value: number): number {
  const runs = cursor(src);
  const scratch = new Uint32Array(UNPACK_CHUNK);
  let count = 0;
  while (runs.next()) {
    if (runs.repeated) {
      if (runs.value === value) count += runs.length;
      continue;
    }
    for (let i = 0; i < runs.length; i += UNPACK_CHUNK) {
      const k = Math.min(UNPACK_CHUNK, runs.length - i);
      runs.unpack(scratch, 0, i, k);
      for (let j = 0; j < k; j++) if (scratch[j] === value) count++;
    }
  }
  return count;
}

/** The positions of the values of `src` below `threshold`, in order (JS alone: they are few). */
export function positionsBelow(src: RunSource, threshold: number): number[] {
  const runs = cursor(src);
  const scratch = new Uint32Array(UNPACK_CHUNK);
  const out: number[] = [];
  for (let i = 0; runs.next(); i += runs.length) {
    if (runs.repeated) {
      if (runs.value < threshold) for (let k = 0; k < runs.length; k++) out.push(i + k);
      continue;
    }
    for (let j = 0; j < runs.length; j += UNPACK_CHUNK) {
      const k = Math.min(UNPACK_CHUNK, runs.length - j);
      runs.unpack(scratch, 0, j, k);
      for (let m = 0; m < k; m++) if (scratch[m] < threshold) out.push(i + j + m);
    }
  }
  return out;
}
