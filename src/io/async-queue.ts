/**
 * A queue one producer pushes to and one consumer iterates, so a single pass over documents can
 * feed a second writer (RPv2's `*.minhash.parquet` beside its `*.signals.json.gz`).
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private done = false;
  private error: unknown;
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.signal();
  }

  /** No more items; the consumer ends after the queued ones. */
  close(): void {
    this.done = true;
    this.signal();
  }

  /** The consumer throws `err` at its next step. */
  fail(err: unknown): void {
    this.error = err ?? new Error('queue failed');
    this.done = true;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.error !== undefined) throw this.error;
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.done) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
