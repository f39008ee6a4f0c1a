/**
 * The column view a rule is evaluated over: one batch of documents as typed arrays, never
 * per-document objects. {@link columnsFromArrow} builds it from our signal table layout
 * (`src/columns/signal-columns.ts`), copying only where a type or a null has to be converted.
 */
import * as arrow from 'apache-arrow';
import { LINE_ENDS } from '../columns/signal-columns.js';
import { SieveError } from '../errors.js';
import type { ParquetColumnFile } from '../io/parquet-columns.js';

/**
 * A numeric document column. Null entries are those with `valid[i] === 0` (one byte per row,
 * when `valid` is given) and those holding NaN.
 */
export interface NumericDocColumn {
  readonly values: Float64Array;
  readonly valid?: Uint8Array;
}

/** A string document column; null entries are `null`. */
export interface StringDocColumn {
  readonly strings: readonly (string | null)[];
}

/** A document signal's values over a batch, as a rule reads them. */
export type DocColumn = NumericDocColumn | StringDocColumn;

/**
 * A line column: document `i` has the lines `values[offsets[i]] … values[offsets[i + 1] - 1]`.
 * `offsets` has `length + 1` entries; line values are never null.
 */
export interface LineColumn {
  readonly offsets: Int32Array;
  readonly values: Float64Array;
}

/** A batch of `length` documents, by signal name. Unknown names throw. */
export interface RuleColumns {
  readonly length: number;
  doc(name: string): DocColumn;
  lines(name: string): LineColumn;
}

function fieldError(message: string): SieveError {
  return new SieveError('E_INPUT_FIELD', message);
}

type AnyData = arrow.Data<arrow.DataType>;

/**
 * A {@link RuleColumns} over an Arrow table or record batch in our signal layout: document
 * signals as Float64 / Int64 (any integer or float width works) / Utf8, line signals as
 * `List<Float64>` / `List<Int64>`, each checked against `line_ends` (when present) for its line
 * counts. A single-chunk Float64 column without nulls and a `List<Float64>` column are used
 * without copying; other numbers are converted to Float64 (Int64 beyond 2^53 loses precision),
 * and nulls become NaN. Columns are converted once, on first use.
 */
export function columnsFromArrow(table: arrow.Table | arrow.RecordBatch): RuleColumns {
  const length = table.numRows;
  const child = (name: string): readonly AnyData[] => {
    const vector = table.getChild(name);
    if (!vector) {
      const names = table.schema.fields.map((f) => f.name);
      throw fieldError(`the signals table has no column "${name}" (columns: ${names.join(', ')})`);
    }
    return vector.data as readonly AnyData[];
  };
  return cachedColumns(length, {
    doc: (name) => docColumn(name, child(name), length),
    lines: (name) => lineColumn(name, child(name), length),
    lineEnds: () => (table.getChild(LINE_ENDS) ? listOffsets(LINE_ENDS, child(LINE_ENDS), length) : null),
  });
}

/**
 * A {@link RuleColumns} over a Parquet file read by our own column reader (`src/io/parquet-columns.ts`),
 * with the same layout, types and checks as {@link columnsFromArrow}; line counts are checked
 * against `line_ends` without decoding its values.
 */
export function columnsFromParquet(file: ParquetColumnFile): RuleColumns {
  const kind = (name: string) => {
    if (!file.columns.includes(name)) throw fieldError(`the signals table has no column "${name}" (columns: ${file.columns.join(', ')})`);
    return file.kind(name);
  };
  return cachedColumns(file.rows, {
    doc(name) {
      const k = kind(name);
      if (k === 'numberList') throw fieldError(`column "${name}" is a list, but a document signal in a rule must be a number or a string`);
      return k === 'string' ? { strings: file.strings(name) } : { values: file.numbers(name) };
    },
    lines(name) {
      if (kind(name) !== 'numberList') throw fieldError(`column "${name}" is not a list, but a line signal must be a list of numbers (one per line)`);
      return file.numberLists(name);
    },
    lineEnds: () => (file.kind(LINE_ENDS) === 'numberList' ? file.listOffsets(LINE_ENDS) : null),
  });
}

/** How a table's columns are read, each once: by {@link cachedColumns}. */
export interface ColumnSource {
  doc(name: string): DocColumn;
  lines(name: string): LineColumn;
  /** The offsets of the table's `line_ends`, which every line column's counts must match; null without it. */
  lineEnds?(): Int32Array | null;
}

/** A {@link RuleColumns} of `length` documents that reads each column from `source` once, on first use. */
export function cachedColumns(length: number, source: ColumnSource): RuleColumns {
  const docCache = new Map<string, DocColumn>();
  const lineCache = new Map<string, LineColumn>();
  let lineEnds: Int32Array | null | undefined;
  return {
    length,
    doc(name: string): DocColumn {
      let col = docCache.get(name);
      if (!col) {
        col = source.doc(name);
        docCache.set(name, col);
      }
      return col;
    },
    lines(name: string): LineColumn {
      let col = lineCache.get(name);
      if (!col) {
        col = source.lines(name);
        if (lineEnds === undefined) lineEnds = source.lineEnds?.() ?? null;
        if (lineEnds) checkLineCounts(name, col.offsets, lineEnds);
        lineCache.set(name, col);
      }
      return col;
    },
  };
}

function docColumn(name: string, chunks: readonly AnyData[], length: number): DocColumn {
  const type = chunks[0]?.type;
  if (type && isString(type)) {
    const strings: (string | null)[] = new Array<string | null>(length);
    let pos = 0;
    for (const data of chunks) {
      const vector = arrow.makeVector(data);
      for (let i = 0; i < data.length; i++) strings[pos++] = (vector.get(i) as string | null) ?? null;
    }
    return { strings };
  }
  if (type && !arrow.DataType.isInt(type) && !arrow.DataType.isFloat(type)) {
    throw fieldError(`column "${name}" is ${String(type)}, but a document signal in a rule must be a number or a string`);
  }
  const single = chunks.length === 1 ? chunks[0] : undefined;
  if (single && single.values instanceof Float64Array && single.nullCount === 0) return { values: single.values.subarray(0, length) };
  const values = new Float64Array(length);
  let pos = 0;
  for (const data of chunks) {
    copyNumbers(name, data, 0, data.length, values, pos);
    if (data.nullCount > 0) {
      const bitmap = data.nullBitmap;
      for (let i = 0; i < data.length; i++) {
        const bit = data.offset + i;
        if (((bitmap[bit >> 3] >> (bit & 7)) & 1) === 0) values[pos + i] = NaN;
      }
    }
    pos += data.length;
  }
  return { values };
}

function isString(type: arrow.DataType): boolean {
  if (arrow.DataType.isDictionary(type)) return isString(type.dictionary);
  return arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isUtf8View(type);
}

/** Copies `n` numbers of `data` (a primitive numeric column) from index `start` into `out` at `pos`. */
function copyNumbers(name: string, data: AnyData, start: number, n: number, out: Float64Array, pos: number): void {
  const src: unknown = data.values;
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    // Two 32-bit halves (little-endian, as Arrow is) instead of a BigInt per value.
    const halves = new Int32Array(src.buffer, src.byteOffset + start * 8, n * 2);
    const signed = src instanceof BigInt64Array;
    for (let i = 0; i < n; i++) {
      const hi = halves[2 * i + 1];
      out[pos + i] = (signed ? hi : hi >>> 0) * 4294967296 + (halves[2 * i] >>> 0);
    }
  } else if (
    src instanceof Float64Array ||
    src instanceof Float32Array ||
    src instanceof Int32Array ||
    src instanceof Uint32Array ||
    src instanceof Int16Array ||
    src instanceof Int8Array ||
    (src instanceof Uint16Array && !arrow.DataType.isFloat(data.type)) ||
    src instanceof Uint8Array
  ) {
    out.set(src.subarray(start, start + n), pos);
  } else {
    throw fieldError(`column "${name}" has type ${String(data.type)}, which rules cannot read`);
  }
}

function lineColumn(name: string, chunks: readonly AnyData[], length: number): LineColumn {
  for (const data of chunks) {
    const itemType = data.children[0]?.type;
    if (!arrow.DataType.isList(data.type) || !itemType || !(arrow.DataType.isInt(itemType) || arrow.DataType.isFloat(itemType))) {
      throw fieldError(`column "${name}" is ${String(data.type)}, but a line signal must be a list of numbers (one per line)`);
    }
  }
  const single = chunks.length === 1 ? chunks[0] : undefined;
  if (single && single.children[0].values instanceof Float64Array) {
    const vo = single.valueOffsets as Int32Array;
    if (vo.length === length + 1 && vo[0] === 0) return { offsets: vo, values: (single.children[0].values as Float64Array).subarray(0, vo[length]) };
  }
  const offsets = listOffsets(name, chunks, length);
  const values = new Float64Array(offsets[length]);
  let pos = 0;
  for (const data of chunks) {
    const vo = data.valueOffsets as Int32Array;
    const from = vo[0];
    const to = vo[data.length];
    copyNumbers(name, data.children[0], from, to - from, values, pos);
    pos += to - from;
  }
  return { offsets, values };
}

/** The list offsets of a (possibly chunked, possibly sliced) list column, rebased to start at 0. */
function listOffsets(name: string, chunks: readonly AnyData[], length: number): Int32Array {
  const offsets = new Int32Array(length + 1);
  let row = 0;
  let base = 0;
  for (const data of chunks) {
    if (!arrow.DataType.isList(data.type)) throw fieldError(`column "${name}" is ${String(data.type)}, expected a list per document`);
    const vo = data.valueOffsets as Int32Array;
    for (let i = 1; i <= data.length; i++) offsets[row + i] = base + vo[i] - vo[0];
    row += data.length;
    base = offsets[row];
  }
  return offsets;
}

function checkLineCounts(name: string, offsets: Int32Array, lineEnds: Int32Array): void {
  for (let i = 0; i + 1 < offsets.length; i++) {
    const got = offsets[i + 1] - offsets[i];
    const want = lineEnds[i + 1] - lineEnds[i];
    if (got !== want) throw fieldError(`line signal "${name}" has ${got} values for document ${i}, but ${LINE_ENDS} has ${want} lines`);
  }
}
