import { open, type FileHandle } from 'node:fs/promises';
import { SieveError, toSieveError } from '../errors.js';

const BUFFER_BYTES = 1 << 20;

/**
 * Reads a model file front to back through a 1 MiB window, so files of any size load without ever
 * holding them whole. Small fields are read synchronously after `need(n)` made them available;
 * large blocks go straight from the file into their destination buffer.
 */
export class ModelReader {
  private readonly buf = Buffer.alloc(BUFFER_BYTES);
  private start = 0;
  private end = 0;
  /** File offset of `buf[end]`. */
  private filePos = 0;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<ModelReader> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_INPUT_MISSING' : 'E_IO';
      throw toSieveError(err, code, `cannot open fastText model ${path}`, { file: path });
    }
    const size = (await handle.stat()).size;
    return new ModelReader(path, handle, size);
  }

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.filePos - (this.end - this.start);
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  /** A format error at the current offset. */
  fail(message: string): SieveError {
    return new SieveError('E_INPUT_FORMAT', `${message} in fastText model ${this.path}`, {
      location: { file: this.path, byteOffset: this.offset },
      hint: 'is it a fastText .bin or .ftz model (fastText 0.9)?',
    });
  }

  /** Whether `n` bytes are available to the synchronous readers without `need`. */
  has(n: number): boolean {
    return this.end - this.start >= n;
  }

  /** Makes `n` (≤ 1 MiB) bytes available to the synchronous readers. */
  async need(n: number): Promise<void> {
    if (this.end - this.start >= n) return;
    this.buf.copy(this.buf, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    while (this.end < n) {
      const { bytesRead } = await this.handle.read(this.buf, this.end, BUFFER_BYTES - this.end, this.filePos);
      if (bytesRead === 0) throw new SieveError('E_INPUT_TRUNCATED', `fastText model ${this.path} ends early (${this.size} bytes)`, { location: { file: this.path, byteOffset: this.filePos } });
      this.end += bytesRead;
      this.filePos += bytesRead;
    }
  }

  int8(): number {
    return this.buf.readInt8(this.start++);
  }

  int32(): number {
    const v = this.buf.readInt32LE(this.start);
    this.start += 4;
    return v;
  }

  /** An int64 that must fit a double exactly (counts and sizes do). */
  int64(): number {
    const v = this.buf.readBigInt64LE(this.start);
    this.start += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw this.fail(`int64 ${v} out of range`);
    return Number(v);
  }

  float64(): number {
    const v = this.buf.readDoubleLE(this.start);
    this.start += 8;
    return v;
  }

  /** The next NUL-terminated byte string if it is wholly buffered (valid until the next read), else undefined. */
  tryCstring(): Uint8Array | undefined {
    const nul = this.buf.indexOf(0, this.start);
    if (nul === -1 || nul >= this.end) return undefined;
    const bytes = this.buf.subarray(this.start, nul);
    this.start = nul + 1;
    return bytes;
  }

  /** A NUL-terminated byte string (a dictionary entry), without its NUL. */
  async cstring(): Promise<Uint8Array> {
    let scanFrom = this.start;
    for (;;) {
      const nul = this.buf.indexOf(0, scanFrom);
      if (nul !== -1 && nul < this.end) {
        const bytes = this.buf.subarray(this.start, nul);
        this.start = nul + 1;
        return bytes;
      }
      const have = this.end - this.start;
      if (have >= BUFFER_BYTES) throw this.fail('dictionary entry longer than 1 MiB');
      await this.need(have + 1);
      scanFrom = this.start + have;
    }
  }

  /** Fills `target` with the next `target.byteLength` bytes of the file. */
  async readInto(target: Uint8Array): Promise<void> {
    const buffered = Math.min(this.end - this.start, target.byteLength);
    target.set(this.buf.subarray(this.start, this.start + buffered));
    this.start += buffered;
    let done = buffered;
    while (done < target.byteLength) {
      const { bytesRead } = await this.handle.read(target, done, target.byteLength - done, this.filePos);
      if (bytesRead === 0) throw new SieveError('E_INPUT_TRUNCATED', `fastText model ${this.path} ends early (${this.size} bytes)`, { location: { file: this.path, byteOffset: this.filePos } });
      done += bytesRead;
      this.filePos += bytesRead;
    }
  }
}
