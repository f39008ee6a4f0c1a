import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { SieveError } from '../errors.js';
import { buildReport } from '../report/build-report.js';
import { DEFAULT_SAMPLES } from '../recipe/run-samples.js';

interface ReportCliOptions {
  out?: string;
  explain: boolean;
  workers: string;
  samples: string;
}

function count(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new SieveError('E_USAGE', `${flag} takes a whole number ≥ ${min}, not "${value}"`);
  return n;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('write one self-contained HTML page about a recipe run: funnel, rule overlap, signal histograms with thresholds, samples, languages and lengths')
    .argument('<run-dir>', 'the --out directory of a sieve run')
    .option('-o, --out <file>', 'HTML file to write (default: <run-dir>/report.html)')
    .option('--no-explain', 'skip the rule overlap table, which re-reads the run\'s inputs (as sieve explain does)')
    .option('-w, --workers <n>', 'worker threads for the overlap table', String(availableParallelism()))
    .option('--samples <n>', 'sample documents shown per rule and of the kept ones (at most what the run kept)', String(DEFAULT_SAMPLES))
    .addHelpText('after', '\nExample:\n  $ sieve run recipes/c4.yaml shards/ --out out/c4 --keep-signals\n  $ sieve report out/c4 --out out/c4/report.html\n')
    .action(async (run: string, opts: ReportCliOptions) => {
      const summary = await buildReport({ run, out: opts.out, explain: opts.explain, workers: count('--workers', opts.workers, 1), samples: count('--samples', opts.samples, 0) });
      const seconds = Number((summary.elapsedMs / 1000).toFixed(3));
      if (process.stderr.isTTY === true) {
        const note = summary.overlapNote ? `\n  rule overlap: ${summary.overlapNote}` : '';
        process.stderr.write(`report → ${summary.path} in ${seconds.toFixed(1)} s${note}\n`);
      } else {
        process.stderr.write(JSON.stringify({ command: 'report', report: summary.path, sections: summary.sections, overlapNote: summary.overlapNote ?? null, seconds }) + '\n');
      }
    });
}
