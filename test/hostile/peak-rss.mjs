// Preloaded with `node --import`: writes the process's peak RSS in kB (worker threads included) to
// $SIEVE_PEAK_RSS_FILE when it exits, so a test can bound a CLI run's memory without /usr/bin/time.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.SIEVE_PEAK_RSS_FILE;
if (isMainThread && file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
