/**
 * `sieve dsir features`: each input's hashed features in the reference's layout,
 * `<out>/<name>.dsir_hash_features.jsonl.gz` (`{"id", "nonzero": [[bucket, count], …]}`).
 */

import { join } from 'node:path';
import { writeLines } from '../io/jsonl-writer.js';
import { runShards, shardInput, type ReadRunOptions } from '../pipeline/run-shards.js';
import type { ShardInput } from '../pipeline/run-shards.js';
import type { ShardResult } from '../pipeline/shard-task.js';
import { RPV2_FEATURES, featuresLine, textFeatureBatch, type DsirFeatureSpec } from './features.js';
import { shardCounts, shardDocuments, shardDone, shardFailed } from './shard-stream.js';

/** One shard of `sieve dsir features`. */
export interface DsirFeaturesTask extends ShardInput {
  readonly kind: 'dsir-features';
  readonly features: DsirFeatureSpec;
}

export function featuresOutputPath(name: string): string {
  return `${name}.dsir_hash_features.jsonl.gz`;
}

export async function runDsirFeaturesTask(task: DsirFeaturesTask): Promise<ShardResult> {
  const counts = shardCounts(task);
  const output = featuresOutputPath(task.name);
  async function* lines(): AsyncGenerator<string> {
    for await (const docs of shardDocuments(task, counts)) {
      const features = textFeatureBatch(
        docs.map((d) => d.text),
        task.features,
      );
      for (let d = 0; d < docs.length; d++) yield featuresLine(docs[d].id, features.counts, d);
    }
  }
  try {
    await writeLines(join(task.outDir, output), lines());
  } catch (err) {
    return shardFailed(task, err, counts);
  }
  return shardDone(task, counts, [output]);
}

/** Options of {@link writeDsirFeatures}. */
export interface DsirFeaturesOptions extends ReadRunOptions {
  readonly out: string;
  /** @default RPv2's: `rpv2`, 10,000 buckets */
  readonly features?: DsirFeatureSpec;
}

/**
 * Writes every input's DSIR features (one line per document, in input order) and returns the
 * per-input results.
 *
 * @example
 * await writeDsirFeatures({ inputs: ['web.jsonl.gz'], out: 'out/features' });
 */
export async function writeDsirFeatures(options: DsirFeaturesOptions): Promise<{ results: Extract<ShardResult, { ok: true }>[]; elapsedMs: number }> {
  const features = options.features ?? RPV2_FEATURES;
  return runShards<DsirFeaturesTask, Extract<ShardResult, { ok: true }>>({
    inputs: options.inputs,
    out: options.out,
    onError: options.onError ?? 'fail',
    workers: options.workers,
    onProgress: options.onProgress,
    runInProcess: runDsirFeaturesTask,
    task: (shard, shared) => ({ ...shardInput(options, shard, shared), kind: 'dsir-features', features }),
  });
}
