import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Rejection } from '../document.js';
import { temporaryPath } from '../io/atomic-file.js';
import { toSieveError } from '../errors.js';

/** Rejections buffered before they are written: a few hundred kB. */
const FLUSH_LINES = 1000;

/**
 * `rejected/<name>.jsonl` of one shard, written as the rejections come: an input of millions of bad
 * lines (pretty-printed JSON, a binary file) must not be held in memory. The file keeps a temporary
 * name until `close`, and is not created at all when nothing is rejected.
 */
export class RejectionLog {
  /** Records rejected (a rejection may stand for several: a whole Parquet column, say). */
  count = 0;
  private lines: string[] = [];
  private fd: number | undefined;
  private tmp: string | undefined;
  private readonly relative: string;

  constructor(private readonly outDir: string, name: string) {
    this.relative = join('rejected', `${name}.jsonl`);
  }

  add(rejections: readonly Rejection[]): void {
    for (const r of rejections) {
      this.lines.push(JSON.stringify({ ...r.location, code: r.code, reason: r.reason, ...(r.count !== undefined ? { count: r.count } : {}) }));
      this.count += r.count ?? 1;
    }
    if (this.lines.length >= FLUSH_LINES) this.flush();
  }

  /** Writes what is left and gives the file its final name; its path relative to the output directory, or undefined when nothing was rejected. */
  async close(): Promise<string | undefined> {
    if (this.count === 0 && this.lines.length === 0) return undefined;
    const path = join(this.outDir, this.relative);
    try {
      this.flush();
      closeSync(this.fd as number);
      this.fd = undefined;
      await rename(this.tmp as string, path);
    } catch (err) {
      await this.discard();
      throw toSieveError(err, 'E_IO', `cannot write ${path}`, { file: path });
    }
    return this.relative;
  }

  /** Removes the temporary file: the shard failed, and its rejections are not reported. */
  async discard(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.tmp !== undefined) await rm(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.fd === undefined) {
      const path = join(this.outDir, this.relative);
      mkdirSync(dirname(path), { recursive: true });
      this.tmp = temporaryPath(path);
      this.fd = openSync(this.tmp, 'w');
    }
    if (this.lines.length > 0) writeSync(this.fd, this.lines.join('\n') + '\n');
    this.lines = [];
  }
}
