/**
 * `sieve worker --queue redis://HOST:PORT/NAME`: takes shard jobs from the queue and runs them in
 * worker threads, as `sieve run` would locally. A job whose worker dies is taken again by another
 * after `lockDuration` (BullMQ's stalled-job check); outputs are written under temporary names and
 * renamed, and the same task gives the same bytes, so at-least-once delivery gives exactly-once
 * results.
 */

import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Piscina } from 'piscina';
import type { TaskOutcome, ShardOutcome } from '../pipeline/run-shards.js';
import { workerFile } from '../pipeline/run-shards.js';
import type { WorkerTask } from '../pipeline/shard-worker.js';
import { failureReason } from './run-on-queue.js';
import { connectionOf, parseQueueUrl } from './queue-url.js';

export interface QueueWorkerOptions {
  /** `redis://HOST:PORT/NAME`. */
  readonly queue: string;
  /** Jobs run at once, each in its own thread. @default 1 */
  readonly workers?: number;
  /** Milliseconds a job's lock lasts without renewal; a dead worker's job is taken again after it. @default 30000 */
  readonly lockDuration?: number;
  /** Stop once the queue has jobs that all ended (none waiting, delayed or active). @default false (run until stopped) */
  readonly untilEmpty?: boolean;
  /** Called when a job ends. */
  readonly onJob?: (event: { readonly shard: string; readonly ok: boolean; readonly message?: string }) => void;
}

/** Codes that fail the same way on every try: the job is failed at once, not retried. */
const PERMANENT = /^E_(USAGE|RECIPE|INPUT_)/;

/** Runs until stopped (SIGINT/SIGTERM, `stop()`), or with `untilEmpty` until the queue is drained. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<{ processed: number; failed: number }> {
  const location = parseQueueUrl(options.queue);
  const threads = Math.max(1, options.workers ?? 1);
  const lockDuration = options.lockDuration ?? 30_000;
  const pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  let processed = 0;
  let failed = 0;
  const worker = new Worker(
    location.name,
    async (job) => {
      const outcome = (await pool.run(job.data as WorkerTask)) as TaskOutcome<ShardOutcome>;
      if (!outcome.ok) {
        const reason = failureReason(outcome.error);
        throw PERMANENT.test(outcome.error.code) ? new UnrecoverableError(reason) : new Error(reason);
      }
      return outcome;
    },
    { connection: connectionOf(location), concurrency: threads, lockDuration, stalledInterval: lockDuration, maxStalledCount: 3 },
  );
  worker.on('completed', (job) => {
    processed++;
    options.onJob?.({ shard: job.name, ok: true });
  });
  worker.on('failed', (job, err) => {
    failed++;
    options.onJob?.({ shard: job?.name ?? '?', ok: false, message: err.message });
  });
  const stop = async () => {
    await worker.close();
    await pool.destroy();
  };
  const onSignal = () => void stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (options.untilEmpty) {
      const queue = new Queue(location.name, { connection: connectionOf(location) });
      try {
        for (;;) {
          await new Promise((r) => setTimeout(r, 500));
          if (worker.closing) break;
          const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
          // A queue nobody has submitted to yet is not empty but not started: keep waiting for its jobs.
          if (c.waiting + c.active + c.delayed + c.prioritized === 0 && c.completed + c.failed > 0) break;
        }
      } finally {
        await queue.close();
      }
      await stop();
    } else {
      await new Promise<void>((resolve) => worker.on('closed', () => resolve()));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return { processed, failed };
}
