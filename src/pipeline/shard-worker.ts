import { runExplainTask, type ExplainShardResult, type ExplainTask } from '../recipe/explain.js';
import { runRecipeTask, type RecipeShardResult, type RecipeTask } from '../recipe/recipe-task.js';
import type { TaskOutcome } from './run-shards.js';
import { runShardTask, type ShardResult, type ShardTask } from './shard-task.js';

/** The tasks worker threads run, told apart by `kind`. */
export type WorkerTask = ShardTask | RecipeTask | ExplainTask;

/** Piscina entry point: one shard task per call. */
export default function shardWorker(task: WorkerTask): Promise<ShardResult | TaskOutcome<RecipeShardResult> | TaskOutcome<ExplainShardResult>> {
  if (task.kind === 'recipe') return runRecipeTask(task);
  if (task.kind === 'explain') return runExplainTask(task);
  return runShardTask(task);
}
