/**
 * From linked documents to clusters: the components of the union-find, each with its size, its
 * `cluster_id` (the smallest `id_int`, as RPv2's `run_lsh.py`) and the one member a keep rule keeps.
 */

import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SieveError } from '../errors.js';
import { SIGNATURE_BYTES } from '../hash/index.js';
import { docTablePath, readIdInts } from './doc-table.js';
import { estimatedJaccard } from './keys.js';
import { PARTITIONS } from './key-spill.js';
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

/** The memory left for hash ranges once the per-document arrays are counted; throws when too little is left. */
function rangeBudget(options: ClusterOptions, documents: number): number {
  const fixed = documents * BYTES_PER_DOCUMENT;
  const budget = options.memory - fixed;
  if (budget < 256 * BYTES_PER_KEY) {
    throw new SieveError('E_USAGE', `--memory ${options.memory} bytes is too small for ${documents} documents: they alone need ${fixed} bytes`, {
      hint: `give at least ${Math.ceil((fixed + 256 * BYTES_PER_KEY) / 2 ** 20)} MB`,
    });
  }
  return budget;
}

function shardBases(shardDocs: readonly number[]): number[] {
  const bases: number[] = [];
  let total = 0;
  for (const docs of shardDocs) {
    bases.push(total);
    total += docs;
  }
  return bases;
}

/** Links the spilled keys of every shard and returns the clusters. */
export function resolveClusters(options: ClusterOptions): Clusters {
  const n = options.shardDocs.reduce((a, b) => a + b, 0);
  const budget = rangeBudget(options, n);
  const uf = new UnionFind(n);
  const verify = options.verifyThreshold !== undefined ? signatureComparer(options.workDir, shardBases(options.shardDocs), options.verifyThreshold) : undefined;
  let stats: LinkStats;
  try {
    stats = linkBands((a, b) => uf.union(a, b), { workDir: options.workDir, shardDocs: options.shardDocs, rangeBudget: budget, accept: verify?.accept, onRange: options.onRange });
  } finally {
    verify?.close();
  }
  return components(options, uf, stats);
}

export function edgesPath(workDir: string, range: number, kind: 'bin' | 'json'): string {
  return join(workDir, 'edges', `${range}.${kind}`);
}

/**
 * The partitions stage of an array job: links the hash ranges `ranges` selects and writes each
 * one's linked pairs (`edges/<p>.bin`, uint32 pairs) and figures (`edges/<p>.json`).
 */
export function writeRangeEdges(options: ClusterOptions & { readonly ranges: (range: number) => boolean }): LinkStats {
  const total = { keys: 0, collisions: 0, refused: 0, splits: 0 };
  const budget = options.memory;
  const verify = options.verifyThreshold !== undefined ? signatureComparer(options.workDir, shardBases(options.shardDocs), options.verifyThreshold) : undefined;
  mkdirSync(join(options.workDir, 'edges'), { recursive: true });
  try {
    for (let p = 0; p < PARTITIONS; p++) {
      if (!options.ranges(p)) continue;
      const pairs: number[] = [];
      const stats = linkBands((a, b) => pairs.push(a, b), { workDir: options.workDir, shardDocs: options.shardDocs, rangeBudget: budget, accept: verify?.accept, ranges: (q) => q === p });
      writeFileSync(edgesPath(options.workDir, p, 'bin'), new Uint8Array(Uint32Array.from(pairs).buffer));
      writeFileSync(edgesPath(options.workDir, p, 'json'), JSON.stringify(stats));
      for (const k of Object.keys(total) as (keyof LinkStats)[]) total[k] += stats[k];
      options.onRange?.(p + 1, PARTITIONS);
    }
  } finally {
    verify?.close();
  }
  return total;
}

/** The clusters stage of an array job: the components of every range's linked pairs. */
export function clustersFromEdges(options: ClusterOptions): Clusters {
  const n = options.shardDocs.reduce((a, b) => a + b, 0);
  rangeBudget(options, n);
  const uf = new UnionFind(n);
  const stats = { keys: 0, collisions: 0, refused: 0, splits: 0 };
  for (let p = 0; p < PARTITIONS; p++) {
    let figures: LinkStats;
    try {
      figures = JSON.parse(readFileSync(edgesPath(options.workDir, p, 'json'), 'utf8')) as LinkStats;
    } catch {
      throw new SieveError('E_INPUT_MISSING', `hash range ${p} has not been linked: run \`sieve dedup --stage partitions\` for every task first`, { location: { file: edgesPath(options.workDir, p, 'json') } });
    }
    for (const k of Object.keys(stats) as (keyof LinkStats)[]) stats[k] += figures[k];
    const bytes = readFileSync(edgesPath(options.workDir, p, 'bin'));
    const pairs = new Uint32Array(bytes.length / 4);
    new Uint8Array(pairs.buffer).set(bytes);
    for (let i = 0; i < pairs.length; i += 2) uf.union(pairs[i], pairs[i + 1]);
  }
  return components(options, uf, stats);
}

/** Each document's component, its size, and the members the keep rule and `cluster_id` pick. */
function components(options: ClusterOptions, uf: UnionFind, stats: LinkStats): Clusters {
  const n = uf.size;
  const bases = shardBases(options.shardDocs);
  const idInt = new Uint32Array(2 * n);
  for (let s = 0; s < bases.length; s++) readIdInts(options.workDir, s, idInt, bases[s]);
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
