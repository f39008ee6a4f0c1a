import { Command, Option } from 'commander';
import { computeSignals } from '../pipeline/compute-signals.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../pipeline/shard-task.js';
import { addDsirOption, addInputOptions, addResumeOptions, inputOptions, printSummary, progressReporter, resumedNote, warnDuplicateIds, type InputCliOptions } from './common.js';
import { formatCount } from './output.js';

interface SignalsCliOptions extends InputCliOptions {
  format: OutputFormat;
  signals?: string;
}

export function signalsCommand(): Command {
  return addDsirOption(addResumeOptions(addInputOptions(
    new Command('signals')
      .description('compute quality signals for each input shard into <out>/<name>.signals.parquet (or --format rpv2|dolma)')
      .argument('<inputs...>', 'input files or directories (jsonl[.gz|.zst], parquet, warc/wet[.gz]); - for stdin'),
  )))
    .addOption(new Option('-f, --format <format>', 'output: Parquet columns, RPv2 <name>.signals.json.gz, or Dolma attributes/<name>.jsonl.gz').choices([...OUTPUT_FORMATS]).default('parquet'))
    .option('-s, --signals <names>', 'comma-separated signal names or family ids (default: all; see `sieve list-signals`)')
    .addHelpText('after', '\nExample:\n  $ sieve signals shards/ --out out/signals --workers 8 --on-error skip\n')
    .action(async (inputs: string[], opts: SignalsCliOptions) => {
      const summary = await computeSignals({
        ...inputOptions({ ...opts, out: opts.out as string }),
        inputs,
        format: opts.format,
        signals: opts.signals ? opts.signals.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
        onProgress: progressReporter(),
      });
      warnDuplicateIds(summary.manifest.inputs);
      const t = summary.manifest.totals;
      printSummary(
        'signals',
        `${formatCount(t.documents)} documents (${formatCount(t.rejected)} rejected) from ${t.inputs} input(s)${resumedNote(summary.resumed)} → ${summary.manifestPath}`,
        { ...t, resumed: summary.resumed, manifest: summary.manifestPath },
        summary.elapsedMs,
        t.documents,
      );
    });
}
