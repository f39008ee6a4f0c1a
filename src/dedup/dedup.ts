import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { totalDuplicateIds, writeManifest } from '../pipeline/manifest.js';
import { readingOptions, resumeKey, runShards, shardInput, type ReadRunOptions } from '../pipeline/run-shards.js';
import { PACKAGE_VERSION } from '../version.js';
import { clustersFromEdges, resolveClusters, writeRangeEdges, type Clusters, type KeepRule } from './clusters.js';
import { CLUSTERS_FILE, duplicatesPath, writeDedupOutputs } from './dedup-outputs.js';
import { runDedupKeysTask, type DedupKeysResult, type DedupKeysTask } from './dedup-task.js';
import { bandSpec } from './keys.js';
import { DEFAULT_MEMORY } from './step-options.js';
import { parseExactKey, type DedupMethod, type DedupSpec, type ExactKey } from './shard-keyer.js';

/** The stages an array job runs one after the other, each as N tasks (`clusters` as one). */
export const DEDUP_STAGES = ['signatures', 'partitions', 'clusters'] as const;
/** One stage of a dedup split over array tasks. */
export type DedupStage = (typeof DEDUP_STAGES)[number];

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
    /** Documents reusing an id within their input, when there are any. */
    readonly duplicateIds?: number;
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
  const plan = dedupPlan(options);
  if (options.force) await rm(plan.workDir, { recursive: true, force: true });
  try {
    const { results, elapsedMs: keysMs } = await keyShards(options, plan, undefined);
    return await finishDedup(options, plan, results, keysMs, () =>
      resolveClusters({ workDir: plan.workDir, shardDocs: results.map((r) => r.documents), keep: plan.keep, memory: plan.memory, verifyThreshold: plan.spec.verify ? plan.spec.threshold : undefined }),
    );
  } catch (err) {
    // Spills can be gigabytes: a run that failed leaves none (a killed one keeps them, to resume).
    await rm(plan.workDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * One stage of a dedup split over array tasks sharing `out`: `signatures` keys this task's shards
 * (`slice`), `partitions` links this task's hash ranges (range p goes to task p mod N), and
 * `clusters` (one task) joins the ranges' links and writes the outputs and manifest.
 */
export async function dedupStage(options: DedupOptions & { readonly stage: DedupStage }): Promise<{ stage: DedupStage; elapsedMs: number; summary?: DedupSummary }> {
  const started = performance.now();
  const plan = dedupPlan(options);
  const slice = options.slice ?? { index: 0, count: 1 };
  if (options.stage === 'signatures') {
    await keyShards(options, plan, slice);
    return { stage: options.stage, elapsedMs: performance.now() - started };
  }
  const { results } = await keyShards(options, plan, undefined, 'run `sieve dedup --stage signatures` for every task first');
  const shardDocs = results.map((r) => r.documents);
  const verifyThreshold = plan.spec.verify ? plan.spec.threshold : undefined;
  if (options.stage === 'partitions') {
    writeRangeEdges({ workDir: plan.workDir, shardDocs, keep: plan.keep, memory: plan.memory, verifyThreshold, ranges: (p) => p % slice.count === slice.index });
    return { stage: options.stage, elapsedMs: performance.now() - started };
  }
  const summary = await finishDedup(options, plan, results, 0, () => clustersFromEdges({ workDir: plan.workDir, shardDocs, keep: plan.keep, memory: plan.memory, verifyThreshold }));
  return { stage: options.stage, elapsedMs: performance.now() - started, summary };
}

interface DedupPlan {
  readonly spec: DedupSpec;
  readonly keep: KeepRule;
  readonly memory: number;
  readonly onError: 'fail' | 'skip';
  readonly workDir: string;
  readonly key: string;
}

function dedupPlan(options: DedupOptions): DedupPlan {
  const spec = dedupSpec(options);
  const onError = options.onError ?? 'fail';
  return {
    spec,
    keep: options.keep ?? (spec.method === 'exact' ? 'first' : 'cluster-id'),
    memory: options.memory ?? DEFAULT_MEMORY,
    onError,
    workDir: join(options.out, '.work'),
    key: resumeKey({ command: 'dedup', version: PACKAGE_VERSION, spec, ...readingOptions(options) }),
  };
}

/** The signatures stage: each shard's keys and document table, resumable by shard. */
function keyShards(options: DedupOptions, plan: DedupPlan, slice: DedupOptions['slice'], require?: string) {
  return runShards<DedupKeysTask, DedupKeysResult>({
    inputs: options.inputs,
    out: options.out,
    resume: { key: plan.key, dir: join(plan.workDir, '.done'), force: options.force && !require, ...(require ? { require } : {}) },
    slice,
    onError: plan.onError,
    workers: options.workers,
    onProgress: options.onProgress,
    runInProcess: runDedupKeysTask,
    task: (shard, shared) => ({ ...shardInput(options, shard, shared), kind: 'dedup-keys', workDir: plan.workDir, shard: shared.slot, spec: plan.spec }),
  });
}

/** Clusters → outputs, manifest; the work directory goes once they are written. */
async function finishDedup(options: DedupOptions, plan: DedupPlan, results: readonly DedupKeysResult[], keysMs: number, cluster: () => Clusters): Promise<DedupSummary> {
  const { spec, keep, memory, workDir } = plan;
  const started = performance.now();
  const clusters = cluster();
  const dropped = await writeDedupOutputs(options.out, workDir, clusters, results.map((r) => ({ name: r.name, shardId: r.shardId, documents: r.documents })));
  await rm(workDir, { recursive: true, force: true });
  const summary = clusters.summary();
  const inputs = results.map(({ ok: _ok, ...r }, s) => ({ ...r, duplicates: dropped[s].length, outputs: [duplicatesPath(r.name)] }));
  const sum = (f: (r: DedupKeysResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const documents = sum((r) => r.documents);
  const duplicateIds = totalDuplicateIds(results);
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
      ...readingOptions(options),
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
      ...(duplicateIds > 0 ? { duplicateIds } : {}),
    },
    link: clusters.stats,
  };
  const manifestPath = await writeManifest(options.out, manifest);
  return { manifest, manifestPath, elapsedMs: keysMs + performance.now() - started };
}

export { CLUSTERS_FILE };
