/**
 * The corpus-wide steps of a recipe, resolved between two stages: a stage has staged each shard's
 * survivors (and keyed them, or counted their DSIR features); these functions decide which of them
 * the step drops and leave, per shard, the positions dropped for the next stage
 * (`<stageDir>/dropped/<slot>.bin`, ascending uint32).
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveClusters } from '../dedup/clusters.js';
import type { DedupStepOptions } from '../dedup/step-options.js';
import { countFiles, emptyCounts, mergeCounts, readCountsFile } from '../dsir/counts.js';
import { fitDsirModel, saveDsirModel } from '../dsir/model.js';
import { runDsirKeysTask, type DsirKeysResult, type DsirKeysTask } from '../dsir/resample-tasks.js';
import { selectKeys } from '../dsir/resample.js';
import type { DsirResampleStep } from '../dsir/resample-step.js';
import { runShards, type ReadRunOptions } from '../pipeline/run-shards.js';
import type { RecipeShardResult } from './recipe-task.js';

/** A stage's survivors of one shard: where they are staged, and its slot (input position). */
export interface StagedShard {
  readonly slot: number;
  readonly name: string;
  readonly documents: number;
}

export function stagedPath(stageDir: string, slot: number): string {
  return join(stageDir, `${slot}.jsonl`);
}

export function droppedPath(stageDir: string, slot: number): string {
  return join(stageDir, 'dropped', `${slot}.bin`);
}

export function dedupWorkDir(stageDir: string): string {
  return join(stageDir, 'dedup');
}

export function dsirCountsPath(stageDir: string, slot: number): string {
  return join(stageDir, 'dsir', `${slot}.counts`);
}

async function writeDropped(stageDir: string, shards: readonly StagedShard[], dropped: readonly Uint32Array[]): Promise<void> {
  await mkdir(join(stageDir, 'dropped'), { recursive: true });
  await Promise.all(shards.map((s, i) => writeFile(droppedPath(stageDir, s.slot), new Uint8Array(dropped[i].buffer, dropped[i].byteOffset, dropped[i].byteLength))));
}

export function stagedShards(results: readonly RecipeShardResult[], slots: readonly number[]): StagedShard[] {
  return results.map((r, i) => ({ slot: slots[i], name: r.name, documents: r.kept }));
}

/** Links the keyed survivors, writes `clusters.parquet` and `duplicates/` to `outDir`, and the drops. */
export async function resolveDedupStep(stageDir: string, outDir: string, options: DedupStepOptions, shards: readonly StagedShard[]): Promise<void> {
  const workDir = dedupWorkDir(stageDir);
  const clusters = resolveClusters({
    workDir,
    shardDocs: shards.map((s) => s.documents),
    keep: options.keep,
    memory: options.memory,
    verifyThreshold: options.spec.verify ? options.spec.threshold : undefined,
  });
  // The outputs are Parquet: Arrow loads only for runs with a dedup step.
  const { writeDedupOutputs } = await import('../dedup/dedup-outputs.js');
  const dropped = await writeDedupOutputs(outDir, workDir, clusters, shards.map((s) => ({ name: s.name, shardId: s.name, documents: s.documents })));
  await writeDropped(stageDir, shards, dropped);
}

/**
 * DSIR resampling of the survivors: fits a model of the step's target against the survivors
 * themselves (their feature counts, summed from each shard's part), saves it to `outDir/model.json`,
 * scores every survivor (importance + Gumbel noise of the seed and its id) in a second pass over
 * the staged files, and keeps the k best.
 */
export async function resolveResampleStep(
  stageDir: string,
  outDir: string,
  step: DsirResampleStep,
  shards: readonly StagedShard[],
  run: Pick<ReadRunOptions, 'workers' | 'onProgress'>,
): Promise<{ k: number; threshold: number | null }> {
  let raw = emptyCounts(step.features);
  for (const s of shards) {
    const part = await readCountsFile(dsirCountsPath(stageDir, s.slot), step.features);
    raw = mergeCounts(raw, part);
  }
  const target = await countFiles(step.target, step.features);
  const model = fitDsirModel(target, raw, { target: step.target, raw: ['documents reaching the step'] });
  await mkdir(outDir, { recursive: true });
  const modelPath = join(outDir, 'model.json');
  await saveDsirModel(modelPath, model);
  const documents = shards.reduce((n, s) => n + s.documents, 0);
  const k = step.k ?? Math.round((step.fraction as number) * documents);
  const keysDir = join(stageDir, 'dsir');
  const keysPath = (slot: number) => join(keysDir, `${slot}.keys`);
  const withDocs = shards.filter((s) => s.documents > 0);
  await runShards<DsirKeysTask, DsirKeysResult>({
    inputs: withDocs.map((s) => stagedPath(stageDir, s.slot)),
    out: keysDir,
    onError: 'fail',
    workers: run.workers,
    onProgress: run.onProgress,
    runInProcess: runDsirKeysTask,
    task: (shard, shared) => ({
      input: shard.path,
      name: String(withDocs[shared.slot].slot),
      outDir: keysDir,
      textField: 'text',
      idField: 'id',
      inputFormat: 'jsonl',
      onError: 'fail',
      ...shared,
      kind: 'dsir-keys',
      modelPath,
      seed: step.seed,
      keysPath: keysPath(withDocs[shared.slot].slot),
    }),
  });
  const selection = await selectKeys(
    shards.map((s) => (s.documents > 0 ? keysPath(s.slot) : undefined)),
    k,
  );
  const chosen = shards.map(() => new Set<number>());
  selection.groups.forEach((g, i) => chosen[g].add(selection.indices[i]));
  const dropped = shards.map((s, i) => {
    const out: number[] = [];
    for (let d = 0; d < s.documents; d++) if (!chosen[i].has(d)) out.push(d);
    return Uint32Array.from(out);
  });
  await writeDropped(stageDir, shards, dropped);
  let threshold: number | null = null;
  for (const key of selection.keys) threshold = threshold === null ? key : Math.min(threshold, key);
  return { k, threshold };
}
