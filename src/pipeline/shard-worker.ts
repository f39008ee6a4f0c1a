import { runShardTask, type ShardResult, type ShardTask } from './shard-task.js';

/** The tasks worker threads run, told apart by `kind`. */
export type WorkerTask = ShardTask;

/** Piscina entry point: one shard task per call. */
export default function shardWorker(task: WorkerTask): Promise<ShardResult> {
  return runShardTask(task);
}
