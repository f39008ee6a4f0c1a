import { Command, Option } from 'commander';
import { KEEP_RULES, type KeepRule } from '../dedup/clusters.js';
import { dedup } from '../dedup/dedup.js';
import { DEFAULT_MEMORY, parseMemory } from '../dedup/step-options.js';
import { DEDUP_THRESHOLDS } from '../dedup/keys.js';
import { DEDUP_METHODS, type DedupMethod } from '../dedup/shard-keyer.js';
import { SieveError } from '../errors.js';
import { addInputOptions, inputOptions, printSummary, progressReporter, warnDuplicateIds, type InputCliOptions } from './common.js';
import { formatCount } from './output.js';

interface DedupCliOptions extends InputCliOptions {
  method: DedupMethod;
  threshold: string;
  key: string;
  keep?: KeepRule;
  verify?: boolean;
  memory: string;
}

export function dedupCommand(): Command {
  return addInputOptions(
    new Command('dedup')
      .description('find near-duplicate (MinHash LSH) or exact duplicates across all inputs; write clusters.parquet and, per input, the documents to drop')
      .argument('<inputs...>', 'documents, or Parquet files with MinHash signature columns (sieve signals --signals minhash, RPv2 *.minhash.parquet)'),
  )
    .addOption(new Option('--method <method>', 'near-duplicates by MinHash bands, or exact duplicates by a 128-bit hash').choices([...DEDUP_METHODS]).default('minhash'))
    .addOption(new Option('--threshold <t>', 'MinHash: the RPv2 signature column to band on').choices(DEDUP_THRESHOLDS.map((t) => t.toFixed(1))).default('0.8'))
    .option('--key <key>', 'exact: text, normalized, url or field:NAME', 'text')
    .addOption(new Option('--keep <rule>', "member kept per cluster: cluster-id (RPv2: id_int equal to the cluster id; MinHash default) or first in input order (exact default)").choices([...KEEP_RULES]))
    .option('--verify', 'MinHash: link a pair only if its estimated Jaccard similarity (full signature) reaches the threshold')
    .option('--memory <size>', 'memory for the linking stage, e.g. 512MB, 4GB', `${DEFAULT_MEMORY / 2 ** 30}GiB`)
    .addHelpText('after', '\nExamples:\n  $ sieve dedup shards/ --out out/dedup --threshold 0.8\n  $ sieve dedup shards/ --out out/exact --method exact --key url\n')
    .action(async (inputs: string[], opts: DedupCliOptions) => {
      const summary = await dedup({
        ...inputOptions({ ...opts, out: opts.out as string }),
        inputs,
        method: opts.method,
        threshold: Number(opts.threshold),
        key: opts.key,
        keep: opts.keep,
        verify: opts.verify === true,
        memory: memoryOption(opts.memory),
        onProgress: progressReporter(),
      });
      warnDuplicateIds(summary.manifest.inputs);
      const t = summary.manifest.totals;
      printSummary(
        'dedup',
        `${formatCount(t.duplicates)} duplicates in ${formatCount(t.clusters)} clusters among ${formatCount(t.documents)} documents, ${formatCount(t.rejected)} rejected → ${summary.manifestPath}`,
        { inputs: t.inputs, documents: t.documents, clusters: t.clusters, duplicates: t.duplicates, kept: t.kept, rejected: t.rejected, manifest: summary.manifestPath },
        summary.elapsedMs,
        t.documents,
      );
    });
}

function memoryOption(text: string): number {
  const bytes = parseMemory(text);
  if (bytes === undefined) throw new SieveError('E_USAGE', `--memory ${text}: give a size such as 512MB or 2GB`);
  return bytes;
}
