import { Command, Option } from 'commander';
import { KEEP_RULES, type KeepRule } from '../dedup/clusters.js';
import { DEDUP_STAGES, dedup, dedupStage, type DedupStage } from '../dedup/dedup.js';
import { DEFAULT_MEMORY, parseMemory } from '../dedup/step-options.js';
import { DEDUP_THRESHOLDS } from '../dedup/keys.js';
import { DEDUP_METHODS, type DedupMethod } from '../dedup/shard-keyer.js';
import { SieveError } from '../errors.js';
import { addInputOptions, addResumeOptions, inputOptions, printSummary, progressReporter, warnDuplicateIds, type InputCliOptions } from './common.js';
import { formatCount } from './output.js';

interface DedupCliOptions extends InputCliOptions {
  method: DedupMethod;
  threshold: string;
  key: string;
  keep?: KeepRule;
  verify?: boolean;
  memory: string;
  stage?: DedupStage;
}

export function dedupCommand(): Command {
  return addResumeOptions(addInputOptions(
    new Command('dedup')
      .description('find near-duplicate (MinHash LSH) or exact duplicates across all inputs; write clusters.parquet and, per input, the documents to drop')
      .argument('<inputs...>', 'documents, or Parquet files with MinHash signature columns (sieve signals --signals minhash, RPv2 *.minhash.parquet)'),
  ))
    .addOption(new Option('--method <method>', 'near-duplicates by MinHash bands, or exact duplicates by a 128-bit hash').choices([...DEDUP_METHODS]).default('minhash'))
    .addOption(new Option('--threshold <t>', 'MinHash: the RPv2 signature column to band on').choices(DEDUP_THRESHOLDS.map((t) => t.toFixed(1))).default('0.8'))
    .option('--key <key>', 'exact: text, normalized, url or field:NAME', 'text')
    .addOption(new Option('--keep <rule>', "member kept per cluster: cluster-id (RPv2: id_int equal to the cluster id; MinHash default) or first in input order (exact default)").choices([...KEEP_RULES]))
    .option('--verify', 'MinHash: link a pair only if its estimated Jaccard similarity (full signature) reaches the threshold')
    .option('--memory <size>', 'memory for the linking stage, e.g. 512MB, 4GB', `${DEFAULT_MEMORY / 2 ** 30}GiB`)
    .addOption(new Option('--stage <stage>', 'array jobs: run one stage as task --task-index of --task-count over a shared --out (signatures, then partitions, then clusters as one task)').choices([...DEDUP_STAGES]))
    .addHelpText('after', '\nExamples:\n  $ sieve dedup shards/ --out out/dedup --threshold 0.8\n  $ sieve dedup shards/ --out out/exact --method exact --key url\n')
    .action(async (inputs: string[], opts: DedupCliOptions) => {
      const run = opts.stage ? (o: Parameters<typeof dedup>[0]) => dedupStage({ ...o, stage: opts.stage as DedupStage }) : dedup;
      const result = await run({
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
      const summary = 'manifest' in result ? result : result.summary;
      if (!summary) {
        const stage = 'stage' in result ? result.stage : '';
        process.stderr.write(JSON.stringify({ command: 'dedup', stage, seconds: Number((result.elapsedMs / 1000).toFixed(3)) }) + '\n');
        return;
      }
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
