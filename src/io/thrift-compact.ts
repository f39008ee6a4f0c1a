/**
 * A reader of Thrift's compact protocol, the encoding of Parquet's footer and page headers. It
 * decodes a struct generically, by field id, so that the Parquet reader names only the fields it
 * uses and skips the rest (statistics, indexes, encryption) by their wire types.
 */

import { SieveError } from '../errors.js';

/** A decoded value: integers as numbers (Parquet's i64 fields are offsets and counts, far below 2^53). */
export type ThriftValue = number | boolean | Uint8Array | ThriftStruct | readonly ThriftValue[];

/** A struct's fields by id. */
export type ThriftStruct = ReadonlyMap<number, ThriftValue>;

const enum Wire {
  Stop = 0,
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
}

/** Decodes compact-protocol structs from `bytes`, starting at `offset`. */
export class ThriftReader {
  #pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.#pos = offset;
  }

  /** The offset just past what has been read. */
  get offset(): number {
    return this.#pos;
  }

  readStruct(): ThriftStruct {
    const fields = new Map<number, ThriftValue>();
    let id = 0;
    for (;;) {
      const head = this.#byte();
      const type = head & 0x0f;
      if (type === Wire.Stop) return fields;
      const delta = head >> 4;
      id = delta === 0 ? this.#zigzag() : id + delta;
      fields.set(id, type === Wire.True ? true : type === Wire.False ? false : this.#value(type));
    }
  }

  #value(type: number): ThriftValue {
    switch (type) {
      case Wire.True:
      case Wire.False:
        // Inside a list a boolean is a byte of its own.
        return this.#byte() === Wire.True;
      case Wire.Byte:
        return (this.#byte() << 24) >> 24;
      case Wire.I16:
      case Wire.I32:
      case Wire.I64:
        return this.#zigzag();
      case Wire.Double: {
        const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.#need(8), 8).getFloat64(0, true);
        this.#pos += 8;
        return v;
      }
      case Wire.Binary: {
        const n = this.#varint();
        const start = this.#need(n);
        this.#pos += n;
        return this.bytes.subarray(start, start + n);
      }
      case Wire.List:
      case Wire.Set: {
        const head = this.#byte();
        const size = head >> 4 === 15 ? this.#varint() : head >> 4;
        const items: ThriftValue[] = [];
        for (let i = 0; i < size; i++) items.push(this.#value(head & 0x0f));
        return items;
      }
      case Wire.Map: {
        const size = this.#varint();
        if (size === 0) return [];
        const kinds = this.#byte();
        const entries: ThriftValue[] = [];
        for (let i = 0; i < size; i++) entries.push([this.#value(kinds >> 4), this.#value(kinds & 0x0f)]);
        return entries;
      }
      case Wire.Struct:
        return this.readStruct();
      default:
        throw new SieveError('E_INPUT_FORMAT', `unknown Thrift wire type ${type} at byte ${this.#pos}`);
    }
  }

  #need(n: number): number {
    if (this.#pos + n > this.bytes.length) throw new SieveError('E_INPUT_FORMAT', `truncated Thrift data at byte ${this.#pos}`);
    return this.#pos;
  }

  #byte(): number {
    this.#need(1);
    return this.bytes[this.#pos++];
  }

  #varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.#byte();
      // Multiplication, not shifts: values past 2^31 stay exact up to 2^53.
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
      if (scale > 2 ** 63) throw new SieveError('E_INPUT_FORMAT', `malformed Thrift varint at byte ${this.#pos}`);
    }
  }

  #zigzag(): number {
    const n = this.#varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
}

/** Field `id` of `s` as a number, or `fallback` when absent. */
export function intField(s: ThriftStruct, id: number, fallback?: number): number {
  const v = s.get(id);
  if (typeof v === 'number') return v;
  if (v === undefined && fallback !== undefined) return fallback;
  throw new SieveError('E_INPUT_FORMAT', `Thrift field ${id} is ${v === undefined ? 'missing' : 'not an integer'}`);
}

/** Field `id` of `s` as a struct, or undefined when absent. */
export function structField(s: ThriftStruct, id: number): ThriftStruct | undefined {
  const v = s.get(id);
  return v instanceof Map ? v : undefined;
}

/** Field `id` of `s` as a list (empty when absent). */
export function listField(s: ThriftStruct, id: number): readonly ThriftValue[] {
  const v = s.get(id);
  return Array.isArray(v) ? v : [];
}

/** Field `id` of `s` as a UTF-8 string, or undefined when absent. */
export function stringField(s: ThriftStruct, id: number): string | undefined {
  const v = s.get(id);
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8') : undefined;
}
