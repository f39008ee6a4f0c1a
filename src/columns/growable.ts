type NumericArray = Float64Array | Uint32Array | Int32Array | Uint8Array;
type NumericArrayCtor<T extends NumericArray> = { new (length: number): T };

/** An append-only typed array that doubles its capacity; hot-loop storage for column values. */
export class Growable<T extends NumericArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly ctor: NumericArrayCtor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(capacity);
  }

  private reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const next = new this.ctor(cap);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  pushAll(values: ArrayLike<number>): void {
    this.reserve(values.length);
    if (ArrayBuffer.isView(values)) {
      this.data.set(values as never, this.length);
    } else {
      for (let i = 0; i < values.length; i++) this.data[this.length + i] = values[i];
    }
    this.length += values.length;
  }

  /** Sets bits in an element already pushed. */
  orAt(index: number, bits: number): void {
    this.data[index] |= bits;
  }

  /** A copy trimmed to the filled length. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** A validity bitmap (Arrow layout: bit i of byte i>>3, least significant bit first). */
export class Validity {
  private readonly bytes = new Growable(Uint8Array, 128);
  length = 0;
  nullCount = 0;

  push(valid: boolean): void {
    const bit = this.length & 7;
    if (bit === 0) this.bytes.push(0);
    if (valid) {
      this.bytes.orAt(this.length >> 3, 1 << bit);
    } else {
      this.nullCount++;
    }
    this.length++;
  }

  toBitmap(): Uint8Array {
    return this.bytes.toArray();
  }
}
