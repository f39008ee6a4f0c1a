/** Pull-style reads (lines, exact byte counts, peeks) over an async iterable of chunks. */
export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private done = false;
  private consumed = 0;
  private readonly it: AsyncIterator<Buffer>;

  constructor(chunks: AsyncIterable<Buffer>) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  /** Bytes handed out so far (the offset of the next byte). */
  get offset(): number {
    return this.consumed;
  }

  private get available(): number {
    return this.buf.length - this.pos;
  }

  /** Makes at least `n` bytes available unless the stream ends first; returns how many are. */
  async fill(n: number): Promise<number> {
    while (this.available < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      this.buf = this.available === 0 ? r.value : Buffer.concat([this.buf.subarray(this.pos), r.value]);
      this.pos = 0;
    }
    return this.available;
  }

  async peek(n: number): Promise<Buffer> {
    await this.fill(n);
    return this.buf.subarray(this.pos, this.pos + Math.min(n, this.available));
  }

  /** Reads up to `n` bytes (fewer only at the end of the stream). */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const take = Math.min(n, this.available);
    const out = this.buf.subarray(this.pos, this.pos + take);
    this.pos += take;
    this.consumed += take;
    return out;
  }

  /** Reads one line without its `\n` (and `\r`); null at the end of the stream. */
  async readLine(): Promise<Buffer | null> {
    let searchFrom = this.pos;
    for (;;) {
      const nl = this.buf.indexOf(0x0a, searchFrom);
      if (nl !== -1) {
        let end = nl;
        if (end > this.pos && this.buf[end - 1] === 0x0d) end--;
        const line = this.buf.subarray(this.pos, end);
        this.consumed += nl + 1 - this.pos;
        this.pos = nl + 1;
        return line;
      }
      if (this.done) {
        if (this.available === 0) return null;
        const line = this.buf.subarray(this.pos);
        this.consumed += this.available;
        this.pos = this.buf.length;
        return line;
      }
      searchFrom = this.buf.length - this.pos;
      await this.fill(this.available + 1);
      searchFrom += this.pos;
    }
  }

  /** Puts bytes back in front of the stream (used when a record's declared length overshot). */
  unshift(bytes: Buffer): void {
    this.buf = Buffer.concat([bytes, this.buf.subarray(this.pos)]);
    this.pos = 0;
    this.consumed -= bytes.length;
  }
}
