import { runShardTask, type ShardResult, type ShardTask } from './shard-task.js';

/** Piscina entry point: one shard task per call. */
export default function shardWorker(task: ShardTask): Promise<ShardResult> {
  return runShardTask(task);
}
