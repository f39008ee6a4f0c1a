/**
 * From linked documents to clusters: the components of the union-find, each with its size, its
 * `cluster_id` (the smallest `id_int`, as RPv2's `run_lsh.py`) and the one member a keep rule keeps.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { SieveError } from '../errors.js';
import { SIGNATURE_BYTES } from '../hash/index.js';
import { docTablePath, readIdInts } from './doc-table.js';
import { estimatedJaccard } from './keys.js';
import { linkBands, BYTES_PER_KEY, type LinkStats } from './link-bands.js';
import { UnionFind } from './union-find.js';

/** Which member of a cluster is kept: the smallest `id_int` (RPv2's rule), or the first in input order. */
export const KEEP_RULES = ['cluster-id', 'first'] as const;
/**
 * Which member of a cluster stays: `cluster-id` keeps the member whose `id_int` is the cluster id
 * (RPv2's rule; the first such if ids repeat), `first` the member that comes first in input order.
 */
export type KeepRule = (typeof KEEP_RULES)[number];

/** Bytes per document the clusters hold in memory: parent, id_int, size and keeper. */
export const BYTES_PER_DOCUMENT = 4 + 8 + 4 + 4;

export interface ClusterOptions {
  readonly workDir: string;
  readonly shardDocs: readonly number[];
  readonly keep: KeepRule;
  /** Bytes the whole resolution may use; what the documents do not take bounds each hash range. */
  readonly memory: number;
  /** With a threshold, linked pairs whose estimated Jaccard similarity is below it are not linked. */
  readonly verifyThreshold?: number;
  readonly onRange?: (done: number, total: number) => void;
}

/** Every document's cluster, by global index (shard base + ordinal). */
export class Clusters {
  constructor(
    /** Component root of each document. */
    private readonly root: Uint32Array,
    /** `id_int` of each document as (low, high) uint32 pairs. */
    private readonly idInt: Uint32Array,
    /** Per root: members. */
    private readonly size: Uint32Array,
    /** Per root: the member kept. */
    private readonly keeper: Uint32Array,
    /** Per root: the member with the smallest `id_int` (first on ties). */
    private readonly minIdInt: Uint32Array,
    readonly stats: LinkStats,
  ) {}

  get documents(): number {
    return this.root.length;
  }

  /** Members of the document's cluster; 1 for a document without duplicates. */
  clusterSize(doc: number): number {
    return this.size[this.root[doc]];
  }

  /** Whether the keep rule drops the document (it is in a cluster and is not the member kept). */
  dropped(doc: number): boolean {
    return this.keeper[this.root[doc]] !== doc;
  }

  idIntOf(doc: number): bigint {
    return (BigInt(this.idInt[2 * doc + 1]) << 32n) | BigInt(this.idInt[2 * doc]);
  }

  /** The smallest `id_int` in the document's cluster. */
  clusterId(doc: number): bigint {
    return this.idIntOf(this.minIdInt[this.root[doc]]);
  }

  /** How many clusters have more than one member, and how many documents they hold. */
  summary(): { clusters: number; members: number; dropped: number } {
    let clusters = 0;
    let members = 0;
    for (let d = 0; d < this.root.length; d++) {
      if (this.root[d] === d && this.size[d] > 1) {
        clusters++;
        members += this.size[d];
      }
    }
    return { clusters, members, dropped: members - clusters };
  }
}

/** Links the spilled keys of every shard and returns the clusters. */
export function resolveClusters(options: ClusterOptions): Clusters {
  const n = options.shardDocs.reduce((a, b) => a + b, 0);
  const fixed = n * BYTES_PER_DOCUMENT;
  const rangeBudget = options.memory - fixed;
  if (rangeBudget < 256 * BYTES_PER_KEY) {
    throw new SieveError('E_USAGE', `--memory ${options.memory} bytes is too small for ${n} documents: they alone need ${fixed} bytes`, {
      hint: `give at least ${Math.ceil((fixed + 256 * BYTES_PER_KEY) / 2 ** 20)} MB`,
    });
  }
  const bases: number[] = [];
  let total = 0;
  for (const docs of options.shardDocs) {
    bases.push(total);
    total += docs;
  }
  const idInt = new Uint32Array(2 * n);
  for (let s = 0; s < bases.length; s++) readIdInts(options.workDir, s, idInt, bases[s]);
  const uf = new UnionFind(n);
  const verify = options.verifyThreshold !== undefined ? signatureComparer(options.workDir, bases, options.verifyThreshold) : undefined;
  let stats: LinkStats;
  try {
    stats = linkBands(uf, { workDir: options.workDir, shardDocs: options.shardDocs, rangeBudget, accept: verify?.accept, onRange: options.onRange });
  } finally {
    verify?.close();
  }
  const root = uf.parent;
  for (let d = 0; d < n; d++) root[d] = uf.find(d);
  const size = new Uint32Array(n);
  for (let d = 0; d < n; d++) size[root[d]]++;
  // Union by smaller index makes each root its component's first member in input order.
  const minIdInt = new Uint32Array(n);
  for (let d = 0; d < n; d++) {
    const r = root[d];
    if (d === r) {
      minIdInt[r] = d;
      continue;
    }
    const m = minIdInt[r];
    const hi = idInt[2 * d + 1];
    const mhi = idInt[2 * m + 1];
    if (hi < mhi || (hi === mhi && idInt[2 * d] < idInt[2 * m])) minIdInt[r] = d;
  }
  const keeper = options.keep === 'first' ? root : minIdInt;
  return new Clusters(root, idInt, size, keeper, minIdInt, stats);
}

/** Compares documents' full signatures, read from the shards' `.sig` files. */
function signatureComparer(workDir: string, bases: readonly number[], threshold: number): { accept(a: number, b: number): boolean; close(): void } {
  const fds = new Map<number, number>();
  const a = new Uint8Array(SIGNATURE_BYTES);
  const b = new Uint8Array(SIGNATURE_BYTES);
  const read = (doc: number, into: Uint8Array) => {
    let lo = 0;
    let hi = bases.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bases[mid] <= doc) lo = mid;
      else hi = mid - 1;
    }
    let fd = fds.get(lo);
    if (fd === undefined) {
      fd = openSync(docTablePath(workDir, lo, 'sig'), 'r');
      fds.set(lo, fd);
    }
    readSync(fd, into, 0, SIGNATURE_BYTES, (doc - bases[lo]) * SIGNATURE_BYTES);
  };
  return {
    accept(x, y) {
      read(x, a);
      read(y, b);
      return estimatedJaccard(a, b) >= threshold;
    },
    close() {
      for (const fd of fds.values()) closeSync(fd);
    },
  };
}
