import * as arrow from 'apache-arrow';
import type { DocValue, SignalSpec } from '../signal.js';
import { Growable, Validity } from './growable.js';

/** Name of the column holding each document's raw line end offsets (code points), which line signals align with. */
export const LINE_ENDS = 'line_ends';

/** The Arrow type a signal's values are stored as. */
export function arrowType(spec: SignalSpec): arrow.DataType {
  if (spec.type === 'bands') return new arrow.List(new arrow.Field('item', new arrow.Binary(), false));
  const scalar = scalarType({ ...spec, type: spec.type });
  return spec.level === 'line' ? new arrow.List(new arrow.Field('item', scalar, false)) : scalar;
}

function scalarType(spec: SignalSpec & { readonly type: Exclude<SignalSpec['type'], 'bands'> }): arrow.DataType {
  switch (spec.type) {
    case 'f64':
      return new arrow.Float64();
    case 'i64':
      return new arrow.Int64();
    case 'str':
      return new arrow.Utf8();
    case 'bytes':
      return new arrow.Binary();
  }
}

/**
 * The schema of a signals table: `id` first, then the document-level signals, then `line_ends`
 * and the line-level signals (each a list with one value per raw line).
 */
export function signalSchema(specs: readonly SignalSpec[], metadata: ReadonlyMap<string, string> = new Map()): arrow.Schema {
  const fields: arrow.Field[] = [new arrow.Field('id', new arrow.Utf8(), false)];
  for (const s of specs) if (s.level === 'doc') fields.push(new arrow.Field(s.name, arrowType(s), true));
  if (specs.some((s) => s.level === 'line')) {
    fields.push(new arrow.Field(LINE_ENDS, new arrow.List(new arrow.Field('item', new arrow.Uint32(), false)), false));
  }
  for (const s of specs) if (s.level === 'line') fields.push(new arrow.Field(s.name, arrowType(s), false));
  return new arrow.Schema(fields, new Map(metadata));
}


interface ColumnBuffer {
  finish(length: number): arrow.Data;
}

class NumberColumn implements ColumnBuffer {
  private readonly values = new Growable(Float64Array);
  private readonly validity = new Validity();
  constructor(private readonly type: 'f64' | 'i64') {}
  append(v: number | null): void {
    this.values.push(v ?? 0);
    this.validity.push(v !== null);
  }
  finish(length: number): arrow.Data {
    const values = this.values.toArray();
    const nullBitmap = this.validity.nullCount > 0 ? this.validity.toBitmap() : undefined;
    const nullCount = this.validity.nullCount;
    if (this.type === 'f64') return arrow.makeData({ type: new arrow.Float64(), length, nullCount, nullBitmap, data: values });
    const ints = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) ints[i] = BigInt(values[i]);
    return arrow.makeData({ type: new arrow.Int64(), length, nullCount, nullBitmap, data: ints });
  }
}

class VariableColumn implements ColumnBuffer {
  private readonly values: (string | Uint8Array | null)[] = [];
  constructor(private readonly type: arrow.Utf8 | arrow.Binary) {}
  append(v: string | Uint8Array | null): void {
    this.values.push(v);
  }
  finish(): arrow.Data {
    return arrow.vectorFromArray(this.values, this.type).data[0];
  }
}

/** `list<binary>`: per document a list of byte strings (MinHash bands), or null. */
class BandsColumn implements ColumnBuffer {
  private readonly values: (readonly Uint8Array[] | null)[] = [];
  append(v: readonly Uint8Array[] | null): void {
    this.values.push(v);
  }
  finish(length: number): arrow.Data {
    let items = 0;
    let bytes = 0;
    for (const list of this.values) {
      if (!list) continue;
      items += list.length;
      for (const b of list) bytes += b.length;
    }
    const data = new Uint8Array(bytes);
    const itemOffsets = new Int32Array(items + 1);
    const listOffsets = new Int32Array(length + 1);
    const validity = new Validity();
    let item = 0;
    let pos = 0;
    for (let d = 0; d < length; d++) {
      const list = this.values[d];
      validity.push(list !== null);
      for (const b of list ?? []) {
        data.set(b, pos);
        pos += b.length;
        itemOffsets[++item] = pos;
      }
      listOffsets[d + 1] = item;
    }
    const child = arrow.makeData({ type: new arrow.Binary(), length: items, nullCount: 0, valueOffsets: itemOffsets, data });
    const type = new arrow.List(new arrow.Field('item', new arrow.Binary(), false));
    const nullBitmap = validity.nullCount > 0 ? validity.toBitmap() : undefined;
    return arrow.makeData({ type, length, nullCount: validity.nullCount, nullBitmap, valueOffsets: listOffsets, child });
  }
}

class ListColumn implements ColumnBuffer {
  private readonly values: Growable<Float64Array | Uint32Array>;
  private readonly offsets = new Growable(Int32Array);
  constructor(private readonly type: 'f64' | 'i64' | 'u32') {
    this.values = type === 'u32' ? new Growable(Uint32Array) : new Growable(Float64Array);
    this.offsets.push(0);
  }
  append(values: ArrayLike<number>): void {
    this.values.pushAll(values);
    this.offsets.push(this.values.length);
  }
  finish(length: number): arrow.Data {
    const raw = this.values.toArray();
    let child: arrow.Data;
    if (this.type === 'u32') {
      child = arrow.makeData({ type: new arrow.Uint32(), length: raw.length, data: raw as Uint32Array });
    } else if (this.type === 'f64') {
      child = arrow.makeData({ type: new arrow.Float64(), length: raw.length, data: raw as Float64Array });
    } else {
      const ints = new BigInt64Array(raw.length);
      for (let i = 0; i < raw.length; i++) ints[i] = BigInt(raw[i]);
      child = arrow.makeData({ type: new arrow.Int64(), length: raw.length, data: ints });
    }
    const type = new arrow.List(new arrow.Field('item', child.type, false));
    return arrow.makeData({ type, length, nullCount: 0, valueOffsets: this.offsets.toArray(), child });
  }
}

/**
 * Accumulates one row per document (id, document-level values, line ends, line-level values)
 * in typed arrays, and turns them into one Arrow record batch.
 */
export class SignalBatchBuilder {
  readonly schema: arrow.Schema;
  private ids: string[] = [];
  private docColumns: (NumberColumn | VariableColumn | BandsColumn)[] = [];
  private lineEnds: ListColumn | undefined;
  private lineColumns: ListColumn[] = [];

  constructor(
    private readonly specs: readonly SignalSpec[],
    metadata?: ReadonlyMap<string, string>,
  ) {
    this.schema = signalSchema(specs, metadata);
    this.reset();
  }

  private reset(): void {
    this.ids = [];
    this.docColumns = [];
    this.lineColumns = [];
    this.lineEnds = undefined;
    for (const s of this.specs) {
      if (s.level === 'line') this.lineColumns.push(new ListColumn(s.type === 'i64' ? 'i64' : 'f64'));
      else if (s.type === 'f64' || s.type === 'i64') this.docColumns.push(new NumberColumn(s.type));
      else if (s.type === 'bands') this.docColumns.push(new BandsColumn());
      else this.docColumns.push(new VariableColumn(s.type === 'str' ? new arrow.Utf8() : new arrow.Binary()));
    }
    if (this.lineColumns.length > 0) this.lineEnds = new ListColumn('u32');
  }

  get length(): number {
    return this.ids.length;
  }

  /**
   * Adds a row. `docValues` follow the document-level specs in order; `lineValues` the
   * line-level specs, each with one value per line of `lineEnds`.
   */
  append(id: string, docValues: readonly DocValue[], lineEnds: Uint32Array | undefined, lineValues: readonly ArrayLike<number>[]): void {
    this.ids.push(id);
    for (let i = 0; i < this.docColumns.length; i++) {
      const col = this.docColumns[i];
      const v = docValues[i];
      if (col instanceof NumberColumn) col.append(v as number | null);
      else if (col instanceof BandsColumn) col.append(v as readonly Uint8Array[] | null);
      else col.append(v as string | Uint8Array | null);
    }
    if (this.lineEnds) this.lineEnds.append(lineEnds ?? new Uint32Array(0));
    for (let i = 0; i < this.lineColumns.length; i++) this.lineColumns[i].append(lineValues[i]);
  }

  /** The rows so far as one record batch (possibly empty), and a fresh builder state. */
  flush(): arrow.RecordBatch {
    const length = this.ids.length;
    const children: arrow.Data[] = [arrow.vectorFromArray(this.ids, new arrow.Utf8()).data[0]];
    for (const c of this.docColumns) children.push(c.finish(length));
    if (this.lineEnds) children.push(this.lineEnds.finish(length));
    for (const c of this.lineColumns) children.push(c.finish(length));
    const data = arrow.makeData({ type: new arrow.Struct(this.schema.fields), length, nullCount: 0, children });
    this.reset();
    return new arrow.RecordBatch(this.schema, data);
  }
}
