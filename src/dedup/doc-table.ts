/**
 * What the linking stage needs to know of each document, on disk per shard: its RPv2 `id_int`
 * (8 bytes, little-endian, `docs/<s>.idint`), its id (one JSON string per line, `docs/<s>.ids`)
 * and, for `--verify`, its full signature (512 big-endian bytes, `docs/<s>.sig`).
 */

import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNATURE_BYTES } from '../hash/index.js';
import { SieveError } from '../errors.js';

export function docTablePath(workDir: string, shard: number, kind: 'idint' | 'ids' | 'sig'): string {
  return join(workDir, 'docs', `${shard}.${kind}`);
}

/** Appends one shard's documents, in input order. */
export class DocTableWriter {
  private readonly idint: number;
  private readonly ids: number;
  private readonly sig: number | undefined;
  private count = 0;

  constructor(workDir: string, shard: number, withSignatures: boolean) {
    mkdirSync(join(workDir, 'docs'), { recursive: true });
    this.idint = openSync(docTablePath(workDir, shard, 'idint'), 'w');
    this.ids = openSync(docTablePath(workDir, shard, 'ids'), 'w');
    this.sig = withSignatures ? openSync(docTablePath(workDir, shard, 'sig'), 'w') : undefined;
  }

  get documents(): number {
    return this.count;
  }

  /**
   * Adds a batch: ids, their `id_int`s, and (with signatures) `ids.length × 512` bytes where a
   * document without a signature has any bytes (it has no keys, so it is never compared).
   */
  add(ids: readonly string[], idInts: BigUint64Array, signatures?: Uint8Array): void {
    if (ids.length === 0) return;
    writeSync(this.idint, new Uint8Array(idInts.buffer, idInts.byteOffset, 8 * ids.length));
    writeSync(this.ids, ids.map((id) => JSON.stringify(id)).join('\n') + '\n');
    if (this.sig !== undefined) {
      if (signatures === undefined || signatures.length !== ids.length * SIGNATURE_BYTES) throw new SieveError('E_USAGE', 'DocTableWriter: one 512-byte signature per document expected');
      writeSync(this.sig, signatures);
    }
    this.count += ids.length;
  }

  close(): void {
    closeSync(this.idint);
    closeSync(this.ids);
    if (this.sig !== undefined) closeSync(this.sig);
  }
}

/** A shard's `id_int`s as uint32 pairs (low, high), appended to `out` from document `base`. */
export function readIdInts(workDir: string, shard: number, out: Uint32Array, base: number): void {
  const bytes = readFileSync(docTablePath(workDir, shard, 'idint'));
  new Uint8Array(out.buffer, out.byteOffset + 8 * base, bytes.length).set(bytes);
}

/** A shard's ids, in input order. */
export function readIds(workDir: string, shard: number): string[] {
  const text = readFileSync(docTablePath(workDir, shard, 'ids'), 'utf8');
  if (text.length === 0) return [];
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as string);
}
