import { runDedupKeysTask, type DedupKeysResult, type DedupKeysTask } from '../dedup/dedup-task.js';
import { runDsirFeaturesTask, type DsirFeaturesTask } from '../dsir/features-task.js';
import { runDsirKeysTask, runDsirSelectTask, type DsirKeysResult, type DsirKeysTask, type DsirSelectResult, type DsirSelectTask } from '../dsir/resample-tasks.js';
import { runExplainTask, type ExplainShardResult, type ExplainTask } from '../recipe/explain.js';
import { runRecipeTask, type RecipeShardResult, type RecipeTask } from '../recipe/recipe-task.js';
import * as kept from '../recipe/kept-signals.js';
import * as precomputed from '../recipe/precomputed.js';
import { provideSignalFileModules } from '../recipe/signal-files.js';
import type { TaskOutcome } from './run-shards.js';
import { runShardTask, type ShardResult, type ShardTask } from './shard-task.js';

provideSignalFileModules({ kept, precomputed });

/** The tasks worker threads run, told apart by `kind`. */
export type WorkerTask = ShardTask | RecipeTask | ExplainTask | DedupKeysTask | DsirFeaturesTask | DsirKeysTask | DsirSelectTask;

/** Piscina entry point: one shard task per call. */
export default function shardWorker(
  task: WorkerTask,
): Promise<ShardResult | TaskOutcome<RecipeShardResult> | TaskOutcome<ExplainShardResult> | TaskOutcome<DedupKeysResult> | TaskOutcome<DsirKeysResult> | TaskOutcome<DsirSelectResult>> {
  if (task.kind === 'recipe') return runRecipeTask(task);
  if (task.kind === 'explain') return runExplainTask(task);
  if (task.kind === 'dedup-keys') return runDedupKeysTask(task);
  if (task.kind === 'dsir-features') return runDsirFeaturesTask(task);
  if (task.kind === 'dsir-keys') return runDsirKeysTask(task);
  if (task.kind === 'dsir-select') return runDsirSelectTask(task);
  return runShardTask(task);
}
