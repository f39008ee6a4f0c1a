import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManifest } from '../pipeline/manifest.js';
import { runShards, shardInput, type ReadRunOptions } from '../pipeline/run-shards.js';
import { PACKAGE_VERSION } from '../version.js';
import { resolveClusters, type KeepRule } from './clusters.js';
import { CLUSTERS_FILE, duplicatesPath, writeDedupOutputs } from './dedup-outputs.js';
import { runDedupKeysTask, type DedupKeysResult, type DedupKeysTask } from './dedup-task.js';
import { bandSpec } from './keys.js';
import { DEFAULT_MEMORY } from './step-options.js';
import { parseExactKey, type DedupMethod, type DedupSpec, type ExactKey } from './shard-keyer.js';

/** Options of {@link dedup}. */
export interface DedupOptions extends ReadRunOptions {
  /** Output directory: `clusters.parquet`, `duplicates/`, `manifest.json`, `rejected/`. */
  readonly out: string;
  /** @default 'minhash' */
  readonly method?: DedupMethod;
  /** MinHash: the RPv2 signature column to band on (1.0, 0.9, 0.8, 0.7). @default 0.8 */
  readonly threshold?: number;
  /** Exact: what is compared. @default 'text' */
  readonly key?: ExactKey | string;
  /** @default 'cluster-id' for MinHash (RPv2's rule), 'first' for exact */
  readonly keep?: KeepRule;
  /** MinHash: check each linked pair's estimated Jaccard similarity against the threshold. @default false */
  readonly verify?: boolean;
  /** Bytes the linking stage may hold in memory. @default 1 GiB */
  readonly memory?: number;
}

/** A dedup's `manifest.json`: its options, and per input and in total what was read, clustered and dropped. */
export interface DedupManifest {
  readonly tool: string;
  readonly command: 'dedup';
  readonly options: Readonly<Record<string, string | number | boolean | null>>;
  readonly inputs: readonly (Omit<DedupKeysResult, 'ok'> & { readonly duplicates: number; readonly outputs: readonly string[] })[];
  readonly totals: {
    readonly inputs: number;
    readonly documents: number;
    readonly rejected: number;
    /** Documents with a key (a signature, or an exact key); the others can be no one's duplicate. */
    readonly keyed: number;
    readonly clusters: number;
    readonly clusterMembers: number;
    readonly duplicates: number;
    readonly kept: number;
  };
  readonly link: { readonly keys: number; readonly collisions: number; readonly refused: number; readonly splits: number };
}

/** What {@link dedup} did: the manifest it wrote and how long it took. */
export interface DedupSummary {
  readonly manifest: DedupManifest;
  readonly manifestPath: string;
  readonly elapsedMs: number;
}


/** The comparison a dedup run makes, from its options. */
export function dedupSpec(options: Pick<DedupOptions, 'method' | 'threshold' | 'key' | 'verify'>): DedupSpec {
  const method = options.method ?? 'minhash';
  const threshold = options.threshold ?? 0.8;
  if (method === 'minhash') bandSpec(threshold);
  return { method, threshold, key: parseExactKey(options.key ?? 'text'), verify: method === 'minhash' && (options.verify ?? false) };
}

/**
 * Finds near-duplicate (MinHash LSH, RPv2's bands) or exact duplicates across all inputs, in memory
 * bounded by `memory`: keys are spilled by hash range and linked one range at a time, clusters are
 * connected components, and one member per cluster is kept.
 *
 * @example
 * const { manifest } = await dedup({ inputs: ['shards/'], out: 'out/dedup', threshold: 0.8 });
 * manifest.totals.duplicates; // documents listed in out/dedup/duplicates/
 */
export async function dedup(options: DedupOptions): Promise<DedupSummary> {
  const spec = dedupSpec(options);
  const keep = options.keep ?? (spec.method === 'exact' ? 'first' : 'cluster-id');
  const memory = options.memory ?? DEFAULT_MEMORY;
  const onError = options.onError ?? 'fail';
  const workDir = join(options.out, '.work');
  await rm(workDir, { recursive: true, force: true });
  const { results, elapsedMs: keysMs } = await runShards<DedupKeysTask, DedupKeysResult>({
    inputs: options.inputs,
    out: options.out,
    onError,
    workers: options.workers,
    onProgress: options.onProgress,
    runInProcess: runDedupKeysTask,
    task: (shard, shared) => ({ ...shardInput(options, shard, shared), kind: 'dedup-keys', workDir, shard: shared.slot, spec }),
  });
  const started = performance.now();
  const clusters = resolveClusters({
    workDir,
    shardDocs: results.map((r) => r.documents),
    keep,
    memory,
    verifyThreshold: spec.verify ? spec.threshold : undefined,
  });
  const dropped = await writeDedupOutputs(options.out, workDir, clusters, results.map((r) => ({ name: r.name, shardId: r.shardId, documents: r.documents })));
  await rm(workDir, { recursive: true, force: true });
  const summary = clusters.summary();
  const inputs = results.map(({ ok: _ok, ...r }, s) => ({ ...r, duplicates: dropped[s].length, outputs: [duplicatesPath(r.name)] }));
  const sum = (f: (r: DedupKeysResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const documents = sum((r) => r.documents);
  const manifest: DedupManifest = {
    tool: `pajama-sieve ${PACKAGE_VERSION}`,
    command: 'dedup',
    options: {
      method: spec.method,
      threshold: spec.method === 'minhash' ? spec.threshold : null,
      key: spec.method === 'exact' ? spec.key : null,
      keep,
      verify: spec.verify,
      memory,
      textField: options.textField ?? null,
      idField: options.idField ?? null,
      inputFormat: options.inputFormat ?? null,
      onError,
    },
    inputs,
    totals: {
      inputs: results.length,
      documents,
      rejected: sum((r) => r.rejected),
      keyed: sum((r) => r.keyed),
      clusters: summary.clusters,
      clusterMembers: summary.members,
      duplicates: summary.dropped,
      kept: documents - summary.dropped,
    },
    link: clusters.stats,
  };
  const manifestPath = await writeManifest(options.out, manifest);
  return { manifest, manifestPath, elapsedMs: keysMs + performance.now() - started };
}

export { CLUSTERS_FILE };
