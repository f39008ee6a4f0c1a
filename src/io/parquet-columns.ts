/**
 * Parquet columns straight into typed arrays: the numbers, lists of numbers and strings of a signal
 * table, decoded on first use without going through WebAssembly and Arrow IPC (which cost a recipe
 * over precomputed signals four fifths of its time). It reads what Parquet writers produce for such
 * tables: PLAIN and dictionary encodings, data pages v1 and v2, uncompressed, Snappy, gzip or zstd
 * pages, flat columns and one-level lists. A column using anything else (delta encodings, nested
 * structs, LZ4, …) has no {@link ParquetColumnFile.kind}, and callers read
 * the file with parquet-wasm instead.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { SieveError, toSieveError } from '../errors.js';
import { zstdDecompress } from './byte-source.js';
import { countEqual, decodeRuns, gatherRuns, positionsBelow, runZeros, type RunSource } from './parquet-runs.js';
import { snappyDecompress } from './snappy.js';
import { intField, listField, stringField, structField, ThriftReader, type ThriftStruct } from './thrift-compact.js';

/** A list column: row `i` holds `values[offsets[i]] … values[offsets[i + 1] - 1]`. */
export interface NumberLists {
  readonly offsets: Int32Array;
  readonly values: Float64Array;
}

/** What a readable column decodes to. */
export type ColumnKind = 'number' | 'string' | 'numberList';

/** A Parquet file held in memory whose columns are decoded on first request. */
export interface ParquetColumnFile {
  readonly path: string;
  readonly rows: number;
  /** Top-level column names, in schema order. */
  readonly columns: readonly string[];
  /** How this reader decodes `name`, or undefined when it cannot (callers then use parquet-wasm). */
  kind(name: string): ColumnKind | undefined;
  /** A numeric column as float64, nulls as NaN (64-bit integers beyond 2^53 lose precision). */
  numbers(name: string): Float64Array;
  /** A list-of-numbers column; a null list has no values, a null item is NaN. */
  numberLists(name: string): NumberLists;
  /** The offsets of {@link numberLists} alone, without decoding a value (line counts, say). */
  listOffsets(name: string): Int32Array;
  /** A string (byte array) column, decoded as UTF-8. */
  strings(name: string): (string | null)[];
}

const MAGIC = 0x31524150; // "PAR1", little-endian

const enum PhysicalType {
  Int32 = 1,
  Int64 = 2,
  Float = 4,
  Double = 5,
  ByteArray = 6,
}

const enum Encoding {
  Plain = 0,
  PlainDictionary = 2,
  Rle = 3,
  RleDictionary = 8,
}

const enum Codec {
  Uncompressed = 0,
  Snappy = 1,
  Gzip = 2,
  Zstd = 6,
}

const enum PageType {
  Data = 0,
  Index = 1,
  Dictionary = 2,
  DataV2 = 3,
}

/** Malformed file contents; the caller adds the file and the column. */
function malformed(why: string): SieveError {
  return new SieveError('E_INPUT_FORMAT', why);
}

const READABLE_ENCODINGS = new Set<number>([Encoding.Plain, Encoding.PlainDictionary, Encoding.Rle, Encoding.RleDictionary]);
const READABLE_CODECS = new Set<number>([Codec.Uncompressed, Codec.Snappy, Codec.Gzip, Codec.Zstd]);

/** A top-level column whose single leaf this reader decodes. */
interface Leaf {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly type: PhysicalType;
  readonly unsigned: boolean;
  readonly maxDef: number;
  readonly maxRep: number;
  /** The definition level at which a list has an element (lists only). */
  readonly elementDef: number;
  /** Its chunk in each row group. */
  readonly chunks: readonly ThriftStruct[];
}

/**
 * Reads `path`'s footer; a column's bytes are read and decoded when it is asked for (holding the whole
 * file instead cost a 100k-document recipe a garbage collection per pass, for memory outside V8's heap).
 */
export async function openParquetColumns(path: string): Promise<ParquetColumnFile> {
  const fail = (why: string) => new SieveError('E_INPUT_FORMAT', `not a readable Parquet file (${why})`, { location: { file: path } });
  let size: number;
  let footer: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      size = (await handle.stat()).size;
      const ends = size >= 12 ? Buffer.concat([await readRange(handle, 0, 4), await readRange(handle, size - 8, 8)]) : Buffer.alloc(0);
      if (ends.length < 12 || ends.readUInt32LE(0) !== MAGIC || ends.readUInt32LE(8) !== MAGIC) throw fail('no PAR1 magic');
      const footerLength = ends.readUInt32LE(4);
      if (footerLength + 12 > size) throw fail('footer longer than the file');
      footer = await readRange(handle, size - 8 - footerLength, footerLength);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof SieveError) throw err.location ? err : fail(err.message);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new SieveError('E_INPUT_MISSING', `input does not exist: ${path}`, { location: { file: path } });
    throw toSieveError(err, 'E_INPUT_UNREADABLE', 'cannot read the file', { file: path });
  }
  try {
    return new ColumnFile(path, size, new ThriftReader(footer).readStruct());
  } catch (err) {
    throw fail(`its footer: ${(err as Error).message}`);
  }
}

async function readRange(handle: FileHandle, start: number, length: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(length);
  for (let at = 0; at < length; ) {
    const { bytesRead } = await handle.read(bytes, at, length - at, start + at);
    if (bytesRead === 0) throw new SieveError('E_INPUT_TRUNCATED', 'the file ended early');
    at += bytesRead;
  }
  return bytes;
}

class ColumnFile implements ParquetColumnFile {
  readonly rows: number;
  readonly columns: readonly string[];
  readonly #leaves = new Map<string, Leaf>();
  /** Page bytes decompressed, and a column chunk's bytes as read: reused from page to page. */
  #scratch = Buffer.alloc(0);
  #chunkBytes = Buffer.alloc(0);

  constructor(
    readonly path: string,
    private readonly size: number,
    meta: ThriftStruct,
  ) {
    this.rows = intField(meta, 3);
    const rowGroups = listField(meta, 4) as ThriftStruct[];
    const schema = listField(meta, 2) as ThriftStruct[];
    if (!(schema[0] instanceof Map)) throw malformed('no schema');
    // Rows size the arrays: a count its row groups do not add up to is damage, not a file to trust.
    const grouped = rowGroups.reduce((n, g) => n + intField(g, 3), 0);
    if (grouped !== this.rows || this.rows >= 2 ** 31) throw malformed(`${this.rows} rows, its row groups hold ${grouped}`);
    const columns: string[] = [];
    // The schema is a tree flattened in pre-order: the root, then each field and its children.
    let at = 1;
    let leafIndex = 0;
    for (let f = intField(schema[0], 5, 0); f > 0; f--) {
      const field = leavesOf(schema, at);
      const name = stringField(schema[at], 4) ?? '';
      columns.push(name);
      if (field.leaves === 1) {
        const chunks = rowGroups.map((g) => (listField(g, 1)[leafIndex] as ThriftStruct | undefined) ?? new Map<number, never>());
        const leaf = describeLeaf(name, field.path, chunks);
        if (leaf) this.#leaves.set(name, leaf);
      }
      leafIndex += field.leaves;
      at = field.next;
    }
    this.columns = columns;
  }

  kind(name: string): ColumnKind | undefined {
    return this.#leaves.get(name)?.kind;
  }

  numbers(name: string): Float64Array {
    const leaf = this.#leaf(name, 'number');
    return this.#guard(leaf, () => this.#numbers(leaf));
  }

  #numbers(leaf: Leaf): Float64Array {
    const out = new Float64Array(this.rows);
    let row = 0;
    for (const page of this.#pages(leaf)) {
      if (row + page.count > out.length) throw this.#corrupt(leaf, 'more rows than the footer says');
      if (page.present === page.count) writeNumbers(leaf, page, out, row);
      else {
        const numbers = writeNumbers(leaf, page, new Float64Array(page.present), 0);
        const def = decodeRuns(levelRuns(page.def, page.count));
        for (let i = 0, v = 0; i < page.count; i++) out[row + i] = def[i] === leaf.maxDef ? numbers[v++] : Number.NaN;
      }
      row += page.count;
    }
    return out;
  }

  numberLists(name: string): NumberLists {
    const leaf = this.#leaf(name, 'numberList');
    return this.#guard(leaf, () => {
      const entries = leaf.chunks.reduce((n, c) => n + intField(columnMeta(c), 5), 0);
      const lists = this.#lists(leaf, new Float64Array(entries));
      return { offsets: lists.offsets, values: (lists.values as Float64Array).subarray(0, lists.n) };
    });
  }

  listOffsets(name: string): Int32Array {
    const leaf = this.#leaf(name, 'numberList');
    return this.#guard(leaf, () => this.#lists(leaf, null).offsets);
  }

  #lists(leaf: Leaf, values: Float64Array | null): ListBuilder {
    const lists: ListBuilder = { offsets: new Int32Array(this.rows + 1), values, rows: 0, n: 0 };
    for (const page of this.#pages(leaf, values !== null)) {
      let fits: boolean;
      if (page.present === page.count) fits = appendRuns(lists, leaf, page, NO_HOLES);
      else {
        // Empty and null lists are few and keep the run-based path; null items take the per-entry one.
        const holes = positionsBelow(levelRuns(page.def, page.count), leaf.elementDef);
        fits = page.present === page.count - holes.length ? appendRuns(lists, leaf, page, holes) : appendLists(lists, leaf, page);
      }
      if (!fits) throw this.#corrupt(leaf, 'more rows than the footer says');
    }
    if (lists.rows !== this.rows) throw this.#corrupt(leaf, `${lists.rows} rows, the footer says ${this.rows}`);
    return lists;
  }

  strings(name: string): (string | null)[] {
    const leaf = this.#leaf(name, 'string');
    return this.#guard(leaf, () => this.#strings(leaf));
  }

  #strings(leaf: Leaf): (string | null)[] {
    const out: (string | null)[] = new Array<string | null>(this.rows).fill(null);
    let row = 0;
    for (const page of this.#pages(leaf)) {
      if (row + page.count > out.length) throw this.#corrupt(leaf, 'more rows than the footer says');
      const strings = stringValues(page);
      const def = page.present === page.count ? undefined : decodeRuns(levelRuns(page.def, page.count));
      for (let i = 0, v = 0; i < page.count; i++) out[row + i] = !def || def[i] === leaf.maxDef ? strings[v++] : null;
      row += page.count;
    }
    return out;
  }

  #leaf(name: string, kind: ColumnKind): Leaf {
    const leaf = this.#leaves.get(name);
    if (!leaf || leaf.kind !== kind) throw new SieveError('E_INPUT_FIELD', `column "${name}" of ${this.path} is not readable as ${kind}`, { location: { file: this.path } });
    return leaf;
  }

  /** Runs a decoder of `leaf`: what it finds wrong becomes an error naming the file and the column. */
  #guard<T>(leaf: Leaf, decode: () => T): T {
    try {
      return decode();
    } catch (err) {
      if (err instanceof SieveError && err.location) throw err;
      throw this.#corrupt(leaf, (err as Error).message);
    }
  }

  #corrupt(leaf: Leaf, why: string): SieveError {
    return new SieveError('E_INPUT_FORMAT', `column "${leaf.name}": ${why}`, { location: { file: this.path } });
  }

  /**
   * The data pages of `leaf` one at a time, their values still encoded (without `withValues`, not
   * even decompressed where the format allows): a page's bytes may live in a buffer that the next
   * page reuses, so each is consumed before the next is asked for.
   */
  *#pages(leaf: Leaf, withValues = true): Generator<DataPage> {
    for (const chunk of leaf.chunks) {
      const meta = columnMeta(chunk);
      const codec = intField(meta, 4);
      const bytes = this.#readChunk(meta);
      let pos = 0;
      let dictionary: Dictionary | undefined;
      while (pos < bytes.length) {
        const reader = new ThriftReader(bytes, pos);
        const header = reader.readStruct();
        const size = intField(header, 3);
        const body = bytes.subarray(reader.offset, reader.offset + size);
        if (body.length !== size) throw malformed('page past the end of its column chunk');
        pos = reader.offset + size;
        const type = intField(header, 1);
        const rawSize = intField(header, 2);
        if (!(rawSize >= 0 && rawSize < 2 ** 31)) throw malformed(`page of ${rawSize} bytes`);
        if (type === PageType.Dictionary) {
          if (!withValues) continue;
          const dh = structField(header, 7);
          if (!dh) throw malformed('dictionary page without its header');
          dictionary = readDictionary(leaf, this.#decompress(codec, body, rawSize), intField(dh, 1));
        } else if (type === PageType.Data) {
          const h = structField(header, 5);
          if (!h) throw malformed('data page without its header');
          yield dataPageV1(leaf, h, this.#decompress(codec, body, rawSize), dictionary);
        } else if (type === PageType.DataV2) {
          const h = structField(header, 8);
          if (!h) throw malformed('data page v2 without its header');
          yield dataPageV2(leaf, h, body, rawSize, dictionary, (values, valuesSize) => (withValues ? this.#decompress(codec, values, valuesSize) : values));
        } else if (type !== PageType.Index) {
          throw malformed(`unknown page type ${type}`);
        }
      }
    }
  }

  /** A column chunk's bytes (its pages), read into a buffer that the next chunk reuses. */
  #readChunk(meta: ThriftStruct): Buffer {
    const dictionaryAt = intField(meta, 11, -1);
    const start = dictionaryAt >= 0 ? Math.min(dictionaryAt, intField(meta, 9)) : intField(meta, 9);
    const length = intField(meta, 7);
    if (!(start >= 4 && length >= 0 && start + length <= this.size - 8)) throw malformed(`column chunk at ${start} of ${length} bytes lies outside the file`);
    if (this.#chunkBytes.length < length) this.#chunkBytes = Buffer.allocUnsafe(Math.max(length, 2 * this.#chunkBytes.length));
    const bytes = this.#chunkBytes.subarray(0, length);
    let fd: number | undefined;
    try {
      fd = openSync(this.path, 'r');
      for (let at = 0; at < length; ) {
        const n = readSync(fd, bytes, at, length - at, start + at);
        if (n === 0) throw new SieveError('E_INPUT_TRUNCATED', 'the file ended early (was it changed while read?)', { location: { file: this.path } });
        at += n;
      }
    } catch (err) {
      if (err instanceof SieveError) throw err;
      throw toSieveError(err, 'E_INPUT_UNREADABLE', 'cannot read the file', { file: this.path });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return bytes;
  }

  /** A page's bytes, decompressed into a buffer that the next page reuses. */
  #decompress(codec: number, body: Uint8Array, size: number): Uint8Array {
    if (codec === Codec.Uncompressed) return body;
    if (this.#scratch.length < size) this.#scratch = Buffer.allocUnsafe(Math.max(size, 2 * this.#scratch.length));
    const out = this.#scratch.subarray(0, size);
    switch (codec) {
      case Codec.Snappy:
        snappyDecompress(body, out);
        return out;
      case Codec.Zstd:
        zstdDecompress(body, out);
        return out;
      case Codec.Gzip: {
        const inflated = gunzipSync(body);
        if (inflated.length !== size) throw malformed(`page decompressed to ${inflated.length} bytes, its header says ${size}`);
        return inflated;
      }
      default:
        throw malformed(`compression codec ${codec}`);
    }
  }
}

/** A dictionary page's values, copied out of the page. */
type Dictionary = Float64Array | readonly string[];

/** A list column being assembled: `rows` started so far, `n` values (kept in `values` unless it is null). */
interface ListBuilder {
  readonly offsets: Int32Array;
  readonly values: Float64Array | null;
  rows: number;
  n: number;
}

// Both appenders keep offsets[rows] at the end of the last row started, so that a row may go on
// in the next page.

/**
 * Adds a page of a list column without null items: its values as they are, and a row starting at
 * each repetition level 0. `holes` are the entries (sorted) that are empty or null lists, which hold
 * no value. False when the page holds more rows than the column has room for.
 */
function appendRuns(lists: ListBuilder, leaf: Leaf, page: DataPage, holes: readonly number[]): boolean {
  const { offsets } = lists;
  const n = lists.n;
  if (lists.values) writeNumbers(leaf, page, lists.values, n);
  const first = lists.rows;
  const row = runZeros(levelRuns(page.rep, page.count), offsets.subarray(0, offsets.length - 1), first, n);
  if (row < 0) return false;
  // Row starts were counted in entries: the holes before each hold no value.
  for (let r = first, h = 0; r < row && holes.length > 0; r++) {
    while (h < holes.length && holes[h] < offsets[r] - n) h++;
    offsets[r] -= h;
  }
  lists.n = n + page.count - holes.length;
  offsets[row] = lists.n;
  lists.rows = row;
  return true;
}

const NO_HOLES: readonly number[] = [];

/** Adds any page of a list column, entry by entry; false when it holds more rows than there is room for. */
function appendLists(lists: ListBuilder, leaf: Leaf, page: DataPage): boolean {
  const { offsets, values } = lists;
  const capacity = offsets.length - 1;
  const numbers = values ? writeNumbers(leaf, page, new Float64Array(page.present), 0) : undefined;
  const def = decodeRuns(levelRuns(page.def, page.count));
  const rep = decodeRuns(levelRuns(page.rep, page.count));
  let row = lists.rows;
  let n = lists.n;
  for (let i = 0, v = 0; i < page.count; i++) {
    if (rep[i] === 0) {
      if (row >= capacity) return false;
      offsets[++row] = n;
    }
    const d = def[i];
    if (d >= leaf.elementDef) {
      if (values && numbers) values[n] = d === leaf.maxDef ? numbers[v++] : Number.NaN;
      offsets[row] = ++n;
    }
  }
  lists.rows = row;
  lists.n = n;
  return true;
}

/**
 * The leaves under the top-level field at `at`: their count, the path from the field to the last
 * one, and the index of the next field.
 */
function leavesOf(schema: readonly ThriftStruct[], at: number): { next: number; leaves: number; path: ThriftStruct[] } {
  let leaves = 0;
  let path: ThriftStruct[] = [];
  const walk = (i: number, trail: readonly ThriftStruct[]): number => {
    const node = schema[i];
    if (!node) throw malformed('schema shorter than its tree');
    const here = [...trail, node];
    const children = intField(node, 5, 0);
    if (children === 0) {
      leaves++;
      path = here;
      return i + 1;
    }
    let next = i + 1;
    for (let c = 0; c < children; c++) next = walk(next, here);
    return next;
  };
  const next = walk(at, []);
  return { next, leaves, path };
}

/** What of a single-leaf column this reader handles, from its schema path and chunk metadata. */
function describeLeaf(name: string, path: readonly ThriftStruct[], chunks: readonly ThriftStruct[]): Leaf | undefined {
  let maxDef = 0;
  let maxRep = 0;
  let elementDef = 0;
  for (const node of path) {
    const repetition = intField(node, 3, 0);
    if (repetition !== 0) maxDef++;
    if (repetition === 2) {
      maxRep++;
      elementDef = maxDef;
    }
  }
  const leaf = path[path.length - 1];
  const type = intField(leaf, 1, -1) as PhysicalType;
  const numeric = type === PhysicalType.Int32 || type === PhysicalType.Int64 || type === PhysicalType.Float || type === PhysicalType.Double;
  if (maxRep > 1 || (!numeric && type !== PhysicalType.ByteArray) || (maxRep === 1 && !numeric)) return undefined;
  // Decimal and time units would need scaling: left to parquet-wasm.
  const converted = intField(leaf, 6, -1);
  if (converted >= 0 && !(converted >= 11 && converted <= 18) && converted !== 0) return undefined;
  const logical = structField(leaf, 10);
  if (logical && !logical.has(1) && !logical.has(10)) return undefined;
  const intType = logical ? structField(logical, 10) : undefined;
  const unsigned = (converted >= 11 && converted <= 14) || intType?.get(2) === false;
  for (const chunk of chunks) {
    const meta = structField(chunk, 3);
    if (!meta || stringField(chunk, 1) !== undefined || chunk.has(8) /* encrypted */) return undefined;
    if (!READABLE_CODECS.has(intField(meta, 4, -1))) return undefined;
    if (listField(meta, 2).some((e) => typeof e !== 'number' || !READABLE_ENCODINGS.has(e))) return undefined;
  }
  return { name, kind: maxRep === 1 ? 'numberList' : numeric ? 'number' : 'string', type, unsigned, maxDef, maxRep, elementDef, chunks };
}

function columnMeta(chunk: ThriftStruct): ThriftStruct {
  const meta = structField(chunk, 3);
  if (!meta) throw malformed('column chunk without metadata');
  return meta;
}

/** Levels as encoded in a page, decoded only as far as a caller needs. */
interface Levels {
  readonly data: Uint8Array;
  readonly from: number;
  readonly to: number;
  readonly width: number;
}

/** A page's levels as runs; a column without such levels has all of them 0. */
function levelRuns(levels: Levels | null, count: number): RunSource {
  return levels ? { ...levels, count } : { data: ZERO_RUN, from: 0, to: ZERO_RUN.length, width: 1, count };
}

/** One repeated run of 2^27 zeros: the levels of a column that has none. */
const ZERO_RUN = Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x01, 0);

/** A data page: its levels and its values, still encoded. */
interface DataPage {
  /** Entries (values and nulls; for lists, also empty lists). */
  readonly count: number;
  /** Entries that are values. */
  readonly present: number;
  readonly def: Levels | null;
  readonly rep: Levels | null;
  readonly encoding: number;
  readonly data: Uint8Array;
  /** Where the values start in `data`. */
  readonly at: number;
  readonly dictionary: Dictionary | undefined;
}

function dataPageV1(leaf: Leaf, h: ThriftStruct, data: Uint8Array, dictionary: Dictionary | undefined): DataPage {
  const count = intField(h, 1);
  let at = 0;
  // Each level stream has its length in front of it.
  const levels = (max: number): Levels | null => {
    if (max === 0) return null;
    const length = readU32(data, at);
    const out = { data, from: at + 4, to: at + 4 + length, width: bitWidth(max) };
    at += 4 + length;
    return out;
  };
  const rep = levels(leaf.maxRep);
  const def = levels(leaf.maxDef);
  return { count, present: presentCount(leaf, def, count), def, rep, encoding: intField(h, 2), data, at, dictionary };
}

/** A page of format v2: its levels come first and uncompressed, then the values, which `values` decompresses. */
function dataPageV2(leaf: Leaf, h: ThriftStruct, body: Uint8Array, rawSize: number, dictionary: Dictionary | undefined, values: (bytes: Uint8Array, size: number) => Uint8Array): DataPage {
  const count = intField(h, 1);
  const defLength = intField(h, 5);
  const repLength = intField(h, 6);
  if (repLength + defLength > body.length) throw malformed('levels past the end of their page');
  const rep = leaf.maxRep > 0 ? { data: body, from: 0, to: repLength, width: bitWidth(leaf.maxRep) } : null;
  const def = leaf.maxDef > 0 ? { data: body, from: repLength, to: repLength + defLength, width: bitWidth(leaf.maxDef) } : null;
  const rest = body.subarray(repLength + defLength);
  // Values are compressed unless the header says otherwise.
  const data = h.get(7) !== false ? values(rest, rawSize - repLength - defLength) : rest;
  return { count, present: presentCount(leaf, def, count), def, rep, encoding: intField(h, 4), data, at: 0, dictionary };
}

function presentCount(leaf: Leaf, def: Levels | null, count: number): number {
  return def ? countEqual(levelRuns(def, count), leaf.maxDef) : count;
}

/** Writes a page's `present` numbers into `out` from `at`; returns `out`. */
function writeNumbers(leaf: Leaf, page: DataPage, out: Float64Array, at: number): Float64Array {
  const { encoding, data, present: count } = page;
  if (encoding === Encoding.Plain) {
    plainNumbers(leaf, data, page.at, count, out, at);
    return out;
  }
  if (encoding !== Encoding.RleDictionary && encoding !== Encoding.PlainDictionary) throw malformed(`value encoding ${encoding}`);
  const dictionary = page.dictionary;
  if (!(dictionary instanceof Float64Array)) throw malformed('dictionary-encoded page without a dictionary');
  if (page.at >= data.length && count > 0) throw malformed('dictionary-encoded page without its bit width');
  const runs: RunSource = { data, from: page.at + 1, to: data.length, width: data[page.at] ?? 0, count };
  gatherRuns(runs, dictionary, out.subarray(at, at + count));
  return out;
}

/** A page's present strings. */
function stringValues(page: DataPage): readonly string[] {
  const { encoding, data, present: count } = page;
  if (encoding === Encoding.Plain) return plainStrings(data, page.at, count);
  if (encoding !== Encoding.RleDictionary && encoding !== Encoding.PlainDictionary) throw malformed(`value encoding ${encoding}`);
  const dictionary = page.dictionary;
  if (!dictionary || dictionary instanceof Float64Array) throw malformed('dictionary-encoded page without a dictionary');
  if (page.at >= data.length && count > 0) throw malformed('dictionary-encoded page without its bit width');
  const indices = decodeRuns({ data, from: page.at + 1, to: data.length, width: data[page.at] ?? 0, count });
  const out: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const index = indices[i];
    if (index >= dictionary.length) throw malformed(`dictionary index ${index} of ${dictionary.length}`);
    out[i] = dictionary[index];
  }
  return out;
}

/** A dictionary page's `count` values, PLAIN-encoded, copied out of the page's bytes. */
function readDictionary(leaf: Leaf, data: Uint8Array, count: number): Dictionary {
  if (leaf.type === PhysicalType.ByteArray) return plainStrings(data, 0, count);
  const out = new Float64Array(count);
  plainNumbers(leaf, data, 0, count, out, 0);
  return out;
}

function plainStrings(data: Uint8Array, at: number, count: number): string[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: string[] = new Array<string>(count);
  let p = at;
  for (let i = 0; i < count; i++) {
    if (p + 4 > buf.length) throw malformed('byte array past the end of its page');
    const n = buf.readUInt32LE(p);
    if (p + 4 + n > buf.length) throw malformed('byte array past the end of its page');
    out[i] = buf.toString('utf8', p + 4, p + 4 + n);
    p += 4 + n;
  }
  return out;
}

/** `count` PLAIN-encoded numbers from `data` at `from`, as float64 into `out` from `at`. */
function plainNumbers(leaf: Leaf, data: Uint8Array, from: number, count: number, out: Float64Array, at: number): void {
  const width = leaf.type === PhysicalType.Int32 || leaf.type === PhysicalType.Float ? 4 : 8;
  if (from + count * width > data.length) throw malformed(`${count} values need ${count * width} bytes, the page has ${data.length - from}`);
  const bytes = data.subarray(from, from + count * width);
  if (leaf.type === PhysicalType.Double) {
    // The bytes are the values: copied as they are, wherever they start.
    new Uint8Array(out.buffer, out.byteOffset + at * 8, count * 8).set(bytes);
    return;
  }
  // Typed-array views need aligned offsets: copy the bytes first where they are not.
  const aligned = bytes.byteOffset % width === 0 ? bytes : new Uint8Array(bytes);
  const target = out.subarray(at, at + count);
  switch (leaf.type) {
    case PhysicalType.Float:
      target.set(new Float32Array(aligned.buffer, aligned.byteOffset, count));
      return;
    case PhysicalType.Int32:
      target.set(leaf.unsigned ? new Uint32Array(aligned.buffer, aligned.byteOffset, count) : new Int32Array(aligned.buffer, aligned.byteOffset, count));
      return;
    default: {
      // Two 32-bit halves per value rather than a BigInt each.
      const halves = new Int32Array(aligned.buffer, aligned.byteOffset, count * 2);
      for (let i = 0; i < count; i++) {
        const hi = halves[2 * i + 1];
        target[i] = (leaf.unsigned ? hi >>> 0 : hi) * 4294967296 + (halves[2 * i] >>> 0);
      }
    }
  }
}

function bitWidth(max: number): number {
  return 32 - Math.clz32(max);
}

function readU32(data: Uint8Array, at: number): number {
  if (at + 4 > data.length) throw malformed('truncated levels');
  return (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)) >>> 0;
}


