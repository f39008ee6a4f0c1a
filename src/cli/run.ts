import { Command } from 'commander';
import { SieveError } from '../errors.js';
import { runRecipe } from '../recipe/run-recipe.js';
import { DEFAULT_SAMPLES } from '../recipe/run-samples.js';
import { addDsirOption, addInputOptions, addResumeOptions, inputOptions, printSummary, progressReporter, resumedNote, warnDuplicateIds, type InputCliOptions } from './common.js';
import { formatCount } from './output.js';

interface RunCliOptions extends InputCliOptions {
  keepSignals?: boolean;
  signals?: string[];
  samples: string;
  queue?: string;
}

export function runCommand(): Command {
  return addDsirOption(addResumeOptions(addInputOptions(
    new Command('run')
      .description('apply a recipe: write the kept documents to <out>/kept/<name>.jsonl.gz and a manifest of what each rule dropped')
      .argument('<recipe>', 'recipe YAML (see recipes/)')
      .argument('<inputs...>', 'input files or directories; - for stdin'),
  )))
    .option('--signals <path>', 'precomputed signals to reuse, joined by id: a sieve signals output directory or file, or RPv2 *.signals.json.gz (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .option('--queue <url>', 'submit one job per shard to this queue (redis://HOST:PORT/NAME) for `sieve worker`s, and wait for them')
    .option('--keep-signals', 'also write the recipe\'s signals of the kept documents to <out>/signals/<name>.signals.parquet')
    .option('--samples <n>', 'documents to keep as samples per rule and of the kept ones, per input, for sieve report (0: none)', String(DEFAULT_SAMPLES))
    .addHelpText('after', '\nExample:\n  $ sieve run recipes/c4.yaml shards/ --out out/c4\n')
    .action(async (recipe: string, inputs: string[], opts: RunCliOptions) => {
      const samples = Number(opts.samples);
      if (!Number.isInteger(samples) || samples < 0) throw new SieveError('E_USAGE', `--samples takes a whole number ≥ 0, not "${opts.samples}"`);
      const summary = await runRecipe({ ...inputOptions({ ...opts, out: opts.out as string }), recipe, inputs, signals: opts.signals, keepSignals: opts.keepSignals === true, samples, queue: opts.queue, onProgress: progressReporter() });
      warnDuplicateIds(summary.manifest.inputs);
      const t = summary.manifest.totals;
      const share = t.documents > 0 ? ` (${((100 * t.kept) / t.documents).toFixed(1)} %)` : '';
      printSummary(
        'run',
        `kept ${formatCount(t.kept)} of ${formatCount(t.documents)} documents${share}, ${formatCount(t.rejected)} rejected${resumedNote(summary.resumed)} → ${summary.manifestPath}`,
        { resumed: summary.resumed, inputs: t.inputs, documents: t.documents, kept: t.kept, dropped: t.dropped, rejected: t.rejected, manifest: summary.manifestPath },
        summary.elapsedMs,
        t.documents,
      );
    });
}
