/**
 * `sieve run … --queue redis://HOST:PORT/NAME`: one BullMQ job per shard instead of local worker
 * threads. `sieve worker` processes (any number, on any machine that sees the same files) take
 * the jobs; this side waits, shows the progress of the whole run, and writes the manifest from the
 * jobs' results. Job ids are derived from the run's key and the shard, so submitting the same run
 * again adds nothing twice and picks up results already there.
 */

import { mkdir } from 'node:fs/promises';
import { Job, Queue } from 'bullmq';
import { SieveError, type ErrorCode } from '../errors.js';
import { expandInputs, type InputShard } from '../io/inputs.js';
import type { Progress, SharedState, ShardOutcome } from '../pipeline/run-shards.js';
import type { SerializedError } from '../pipeline/shard-task.js';
import { connectionOf, parseQueueUrl } from './queue-url.js';

export interface QueueRunOptions<T> {
  readonly inputs: readonly string[];
  readonly out: string;
  /** `redis://HOST:PORT/NAME`. */
  readonly queue: string;
  /** The run's resume key: jobs of the same run share it. */
  readonly runKey: string;
  readonly task: (shard: InputShard, shared: SharedState) => T;
  readonly onProgress?: (progress: Progress) => void;
  /** Tries per job before the run fails. @default 3 */
  readonly attempts?: number;
}

/** What a failed job's reason holds: the shard's error, as data. */
export function failureReason(error: SerializedError): string {
  return JSON.stringify(error);
}

function errorFromReason(reason: string, shard: string): SieveError {
  try {
    const e = JSON.parse(reason) as SerializedError;
    return new SieveError(e.code, e.message, { location: e.location, hint: e.hint });
  } catch {
    return new SieveError('E_WORKER' as ErrorCode, `shard ${shard} failed on a queue worker: ${reason}`);
  }
}

export async function runShardsOnQueue<T extends object, R extends ShardOutcome>(options: QueueRunOptions<T>): Promise<{ results: R[]; elapsedMs: number; resumed: number }> {
  const started = performance.now();
  const location = parseQueueUrl(options.queue);
  const shards = await expandInputs(options.inputs);
  if (shards.some((s) => s.path === '-')) throw new SieveError('E_USAGE', 'stdin cannot be read by queue workers: give files');
  await mkdir(options.out, { recursive: true });
  // Workers get plain data: the counters and stop flag of local threads stay here.
  const shared = { progress: new SharedArrayBuffer(16 * Math.max(1, shards.length)), stop: new SharedArrayBuffer(4) };
  const tasks = shards.map((shard, slot) => {
    const { progress: _p, stop: _s, ...task } = options.task(shard, { ...shared, slot }) as T & Partial<SharedState>;
    return task;
  });
  const queue = new Queue(location.name, { connection: connectionOf(location) });
  try {
    const attempts = options.attempts ?? 3;
    const jobs = await Promise.all(
      tasks.map((task, slot) =>
        queue.add(shards[slot].name, task, {
          jobId: `${options.runKey.slice(0, 24)}-${slot}`,
          attempts,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        }),
      ),
    );
    // A run submitted again retries the shards that failed last time. Requests go out together
    // throughout: the client pipelines them, so a poll of thousands of shards is one round trip.
    const before = await Promise.all(jobs.map((job) => job.getState()));
    await Promise.all(jobs.map((job, i) => (before[i] === 'failed' ? job.retry() : undefined)));
    const results: R[] = new Array(jobs.length);
    let done = 0;
    for (;;) {
      const pending = jobs.flatMap((_, i) => (results[i] === undefined ? [i] : []));
      // The state first, then the job: a worker's finishing script sets the state and the return
      // value at once, so a job read before its state could be completed without its result.
      const states = await Promise.all(pending.map((i) => queue.getJobState(jobs[i].id as string)));
      const ended = pending.flatMap((i, k) => (states[k] === 'completed' || states[k] === 'failed' || states[k] === 'unknown' ? [{ i, state: states[k] }] : []));
      const read = await Promise.all(ended.map(({ i, state }) => (state === 'unknown' ? undefined : Job.fromId(queue, jobs[i].id as string))));
      for (const [k, { i, state }] of ended.entries()) {
        const job = read[k];
        if (!job) throw new SieveError('E_WORKER', `the job of shard ${shards[i].path} vanished from queue ${location.name}`);
        if (state === 'failed') throw errorFromReason(job.failedReason, shards[i].path);
        if (job.returnvalue == null) throw new SieveError('E_WORKER', `the job of shard ${shards[i].path} completed without a result in queue ${location.name}`);
        results[i] = job.returnvalue as R;
        done++;
      }
      options.onProgress?.({ documents: 0, characters: 0, shardsDone: done, shards: jobs.length, bytesDone: 0, bytesTotal: 0, elapsedMs: performance.now() - started });
      if (done === jobs.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return { results, elapsedMs: performance.now() - started, resumed: 0 };
  } finally {
    await queue.close();
  }
}
