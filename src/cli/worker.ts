import { Command } from 'commander';
import { SieveError } from '../errors.js';

interface WorkerCliOptions {
  queue: string;
  workers: string;
  lockDuration: string;
  untilEmpty?: boolean;
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('process the shard jobs of a queue that `sieve run … --queue URL` submitted (any number of workers, on any machine that sees the same files)')
    .requiredOption('--queue <url>', 'the queue: redis://HOST:PORT/NAME')
    .option('-w, --workers <n>', 'jobs at once, one thread each', '1')
    .option('--lock-duration <ms>', "how long a job stays with a worker that stopped answering before another takes it", '30000')
    .option('--until-empty', 'exit once every job of the queue has ended (default: run until SIGINT/SIGTERM)')
    .addHelpText('after', '\nExample:\n  $ sieve run recipes/c4.yaml /shared/shards --out /shared/out/c4 --queue redis://queue-host:6379/c4 &\n  $ sieve worker --queue redis://queue-host:6379/c4 --workers 8\n')
    .action(async (opts: WorkerCliOptions) => {
      const workers = Number(opts.workers);
      const lockDuration = Number(opts.lockDuration);
      if (!Number.isInteger(workers) || workers < 1) throw new SieveError('E_USAGE', `--workers must be a positive integer, not ${opts.workers}`);
      if (!Number.isFinite(lockDuration) || lockDuration < 1000) throw new SieveError('E_USAGE', `--lock-duration must be at least 1000 ms, not ${opts.lockDuration}`);
      const { runQueueWorker } = await import('../queue/queue-worker.js');
      const summary = await runQueueWorker({
        queue: opts.queue,
        workers,
        lockDuration,
        untilEmpty: opts.untilEmpty === true,
        onJob: (e) => process.stderr.write(`${e.ok ? 'done' : 'failed'} ${e.shard}${e.message ? `: ${e.message}` : ''}\n`),
      });
      process.stderr.write(JSON.stringify({ command: 'worker', ...summary }) + '\n');
    });
}
