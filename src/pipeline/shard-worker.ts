import { runDedupKeysTask, type DedupKeysResult, type DedupKeysTask } from '../dedup/dedup-task.js';
import { runExplainTask, type ExplainShardResult, type ExplainTask } from '../recipe/explain.js';
import { runRecipeTask, type RecipeShardResult, type RecipeTask } from '../recipe/recipe-task.js';
import type { TaskOutcome } from './run-shards.js';
import { runShardTask, type ShardResult, type ShardTask } from './shard-task.js';

/** The tasks worker threads run, told apart by `kind`. */
export type WorkerTask = ShardTask | RecipeTask | ExplainTask | DedupKeysTask;

/** Piscina entry point: one shard task per call. */
export default function shardWorker(task: WorkerTask): Promise<ShardResult | TaskOutcome<RecipeShardResult> | TaskOutcome<ExplainShardResult> | TaskOutcome<DedupKeysResult>> {
  if (task.kind === 'recipe') return runRecipeTask(task);
  if (task.kind === 'explain') return runExplainTask(task);
  if (task.kind === 'dedup-keys') return runDedupKeysTask(task);
  return runShardTask(task);
}
