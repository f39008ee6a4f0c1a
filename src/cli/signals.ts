import { Command, Option } from 'commander';
import { computeSignals, type Progress } from '../pipeline/compute-signals.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../pipeline/shard-task.js';
import { FORMATS, type Format } from '../io/formats.js';
import { formatCount, formatDuration } from './output.js';
import { availableParallelism } from 'node:os';

export function signalsCommand(): Command {
  return new Command('signals')
    .description('compute quality signals for each input shard into <out>/<name>.signals.parquet (or --format rpv2|dolma)')
    .argument('<inputs...>', 'input files or directories (jsonl[.gz|.zst], parquet, warc/wet[.gz]); - for stdin')
    .requiredOption('-o, --out <dir>', 'output directory')
    .addOption(new Option('-f, --format <format>', 'output: Parquet columns, RPv2 <name>.signals.json.gz, or Dolma attributes/<name>.jsonl.gz').choices([...OUTPUT_FORMATS]).default('parquet'))
    .option('--ut1 <dir>', 'UT1 blacklist directory (<dir>/<category>/domains) for rps_doc_ut1_blacklist')
    .option('-s, --signals <names>', 'comma-separated signal names or family ids (default: all; see `sieve list-signals`)')
    .option('-w, --workers <n>', 'worker threads, one shard each', String(availableParallelism()))
    .option('--text-field <field>', 'field holding the text (default: text, then raw_content)')
    .option('--id-field <field>', 'field holding the id (default: id, else the RPv2 id, else <name>:<line>)')
    .addOption(new Option('--input-format <format>', 'input format, instead of detecting it from names and content').choices([...FORMATS]))
    .addOption(new Option('--on-error <mode>', 'on a bad record: stop (fail) or record it in <out>/rejected and go on (skip)').choices(['fail', 'skip']).default('fail'))
    .option('--lang <code>', 'language for language-aware signals when documents do not say (default: the document\'s language field, else en)')
    .addHelpText('after', '\nExample:\n  $ sieve signals shards/ --out out/signals --workers 8 --on-error skip\n')
    .action(async (inputs: string[], opts: SignalsCliOptions) => {
      const tty = process.stderr.isTTY === true;
      const summary = await computeSignals({
        inputs,
        out: opts.out,
        signals: opts.signals ? opts.signals.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
        workers: Number.parseInt(opts.workers, 10),
        format: opts.format,
        ut1: opts.ut1,
        textField: opts.textField,
        idField: opts.idField,
        inputFormat: opts.inputFormat,
        onError: opts.onError,
        lang: opts.lang,
        onProgress: tty ? (p) => process.stderr.write(`\r${progressLine(p)}\x1b[K`) : undefined,
      });
      const t = summary.manifest.totals;
      const seconds = summary.elapsedMs / 1000;
      if (tty) {
        process.stderr.write(`\r\x1b[K${formatCount(t.documents)} documents (${formatCount(t.rejected)} rejected) from ${t.inputs} input(s) in ${seconds.toFixed(1)} s → ${summary.manifestPath}\n`);
      } else {
        process.stderr.write(JSON.stringify({ command: 'signals', ...t, seconds: Number(seconds.toFixed(3)), docsPerSecond: Math.round(t.documents / Math.max(seconds, 1e-9)), manifest: summary.manifestPath }) + '\n');
      }
    });
}

interface SignalsCliOptions {
  out: string;
  format: OutputFormat;
  ut1?: string;
  signals?: string;
  workers: string;
  textField?: string;
  idField?: string;
  inputFormat?: Format;
  onError: 'fail' | 'skip';
  lang?: string;
}

function progressLine(p: Progress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = p.documents / Math.max(seconds, 1e-9);
  const eta = p.bytesDone > 0 ? ((p.bytesTotal - p.bytesDone) / p.bytesDone) * p.elapsedMs : Number.NaN;
  return `${formatCount(p.documents)} docs  ${(p.characters / 1e6).toFixed(1)} M chars  ${(p.bytesDone / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)} MB  ${formatCount(Math.round(rate))} docs/s  shards ${p.shardsDone}/${p.shards}  ETA ${formatDuration(eta)}`;
}
