/**
 * One shard's part of a dedup: for each document, in input order, its keys (MinHash bands of the
 * chosen threshold, or one exact key) to the spill files and its id, `id_int` and (for `--verify`)
 * signature to the document table. `sieve dedup` and the recipe `dedup` step both use it.
 */

import { rmSync } from 'node:fs';
import type * as arrow from 'apache-arrow';
import { SieveError } from '../errors.js';
import { idInts, minhashSignatures, signaturesBigEndian } from '../hash/index.js';
import type { HashBackend } from '../hash/types.js';
import { TextView } from '../text/index.js';
import { DocTableWriter } from './doc-table.js';
import { KeySpillWriter, shardKeyDir } from './key-spill.js';
import { addBandColumnKeys, addExactKeys, addSignatureKeys, bandSpec, fullSignatures } from './keys.js';

/** MinHash LSH over RPv2 signatures (near-duplicates), or one hash per document (exact duplicates). */
export const DEDUP_METHODS = ['minhash', 'exact'] as const;
/** One of {@link DEDUP_METHODS}. */
export type DedupMethod = (typeof DEDUP_METHODS)[number];

/** What an exact dedup compares: the raw text, the normalized text (spec §2.2), the url, or any field. */
export type ExactKey = 'text' | 'normalized' | 'url' | `field:${string}`;

/** How documents are compared. Plain data: it crosses to worker threads. */
export interface DedupSpec {
  readonly method: DedupMethod;
  /** MinHash: the RPv2 signature column's threshold (1.0, 0.9, 0.8 or 0.7). */
  readonly threshold: number;
  /** Exact: what is hashed. */
  readonly key: ExactKey;
  /** MinHash: keep the full signatures so linked pairs can be checked against the threshold. */
  readonly verify: boolean;
}

/** The keyable part of a document. */
export interface KeyedDocument {
  readonly id: string;
  readonly text: string;
  readonly url?: string;
  readonly meta: Readonly<Record<string, unknown>>;
}

export function parseExactKey(key: string): ExactKey {
  if (key === 'text' || key === 'normalized' || key === 'url') return key;
  if (key.startsWith('field:') && key.length > 'field:'.length) return key as ExactKey;
  throw new SieveError('E_USAGE', `--key ${key}: use text, normalized, url or field:NAME`);
}

/** The exact-dedup key of a document, or null when it has none (no url, no such field). */
function exactKey(doc: KeyedDocument, view: TextView | undefined, key: ExactKey): string | null {
  if (key === 'text') return doc.text;
  if (key === 'normalized') return (view ?? new TextView(doc.text)).normalized;
  if (key === 'url') return doc.url ?? null;
  const v = doc.meta[key.slice('field:'.length)];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export class ShardKeyer {
  private readonly keys: KeySpillWriter;
  private readonly table: DocTableWriter;
  private keyedDocs = 0;

  constructor(
    workDir: string,
    shard: number,
    private readonly spec: DedupSpec,
    private readonly backend: HashBackend,
  ) {
    // A shard redone (a retried task, a file rejected midway) starts from no keys at all.
    rmSync(shardKeyDir(workDir, shard), { recursive: true, force: true });
    this.keys = new KeySpillWriter(shardKeyDir(workDir, shard));
    this.table = new DocTableWriter(workDir, shard, spec.method === 'minhash' && spec.verify);
  }

  get documents(): number {
    return this.table.documents;
  }

  /** Documents with at least one key (a signature, or an exact key). */
  get keyed(): number {
    return this.keyedDocs;
  }

  /** Adds documents, with their text views when the caller has them. */
  addDocuments(docs: readonly KeyedDocument[], views?: readonly TextView[]): void {
    if (docs.length === 0) return;
    const first = this.table.documents;
    const ids = docs.map((d) => d.id);
    const ints = idInts(ids, { backend: this.backend });
    if (this.spec.method === 'exact') {
      this.keyedDocs += addExactKeys(this.keys, this.backend, docs.map((d, i) => exactKey(d, views?.[i], this.spec.key)), first);
      this.table.add(ids, ints);
      return;
    }
    const result = minhashSignatures(views ?? docs.map((d) => new TextView(d.text)), { backend: this.backend });
    const bigEndian = signaturesBigEndian(result);
    addSignatureKeys(this.keys, this.backend, result, bigEndian, bandSpec(this.spec.threshold), first);
    for (let d = 0; d < result.docs; d++) if (result.shingles[d] > 0) this.keyedDocs++;
    this.table.add(ids, ints, this.spec.verify ? bigEndian : undefined);
  }

  /**
   * Adds the rows of a signatures table: ours (`id` + signature columns) or RPv2's
   * `*.minhash.parquet` (`id`, `id_int`, signature columns).
   */
  addSignatureTable(table: arrow.Table, where: string): void {
    const spec = bandSpec(this.spec.threshold);
    if (this.spec.method !== 'minhash') throw new SieveError('E_USAGE', `${where} holds MinHash signatures, not documents: exact dedup needs the documents`);
    const column = table.getChild(spec.column);
    const idColumn = table.getChild('id');
    if (!column || !idColumn) throw new SieveError('E_INPUT_FORMAT', `${where} has no ${!idColumn ? 'id' : spec.column} column`, { location: { file: where } });
    const first = this.table.documents;
    const ids = Array.from(idColumn as Iterable<string | null>, (id, row) => id ?? `${where}:${first + row}`);
    const idIntColumn = table.getChild('id_int');
    const ints = idIntColumn ? BigUint64Array.from(idIntColumn.toArray() as ArrayLike<bigint>, (v) => BigInt.asUintN(64, v)) : idInts(ids, { backend: this.backend });
    this.keyedDocs += addBandColumnKeys(this.keys, this.backend, column, spec, first, where);
    let signatures: Uint8Array | undefined;
    if (this.spec.verify) {
      const full = table.getChild('signature_sim1.0');
      if (!full) throw new SieveError('E_USAGE', `--verify needs the full signatures: ${where} has no signature_sim1.0 column`, { location: { file: where } });
      signatures = fullSignatures(full, where);
    }
    this.table.add(ids, ints, signatures);
  }

  close(): void {
    this.keys.close();
    this.table.close();
  }
}
