import { Command, Option } from 'commander';
import { writeDsirFeatures } from '../dsir/features-task.js';
import { DSIR_FEATURE_KINDS, checkFeatureSpec, type DsirFeatureKind, type DsirFeatureSpec } from '../dsir/features.js';
import { fitDsirFiles } from '../dsir/fit.js';
import { resampleDsir } from '../dsir/resample.js';
import { SieveError } from '../errors.js';
import { FORMATS, type Format } from '../io/formats.js';
import { addInputOptions, inputOptions, printSummary, progressReporter, type InputCliOptions } from './common.js';
import { formatCount } from './output.js';

interface FeatureCliOptions {
  features: DsirFeatureKind;
  buckets: string;
}

function addFeatureOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--features <kind>', 'rpv2: RedPajama v2 features (raw WordPunct tokens, case kept); dsir: the DSIR paper\'s (lower-cased text)')
        .choices([...DSIR_FEATURE_KINDS])
        .default('rpv2'),
    )
    .option('--buckets <n>', 'hash buckets', '10000');
}

/** A number option: an error naming the option, never NaN passed on. */
function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new SieveError('E_USAGE', `${name} takes a number, got "${value}"`);
  return n;
}

function featureSpec(opts: FeatureCliOptions): DsirFeatureSpec {
  return checkFeatureSpec({ kind: opts.features, buckets: numberOption('--buckets', opts.buckets) });
}

function featuresCommand(): Command {
  return addFeatureOptions(
    addInputOptions(
      new Command('features')
        .description('write each input\'s DSIR hashed unigram+bigram counts to <out>/<name>.dsir_hash_features.jsonl.gz ({"id", "nonzero": [[bucket, count], …]}, the reference\'s layout)')
        .argument('<inputs...>', 'input files or directories; - for stdin'),
      { signalOptions: false },
    ),
  )
    .addHelpText('after', '\nExample:\n  $ sieve dsir features shards/ --out out/features\n')
    .action(async (inputs: string[], opts: InputCliOptions & FeatureCliOptions) => {
      const { results, elapsedMs } = await writeDsirFeatures({ ...inputOptions({ ...opts, out: opts.out as string }), inputs, features: featureSpec(opts), onProgress: progressReporter() });
      const documents = results.reduce((n, r) => n + r.documents, 0);
      const rejected = results.reduce((n, r) => n + r.rejected, 0);
      printSummary('dsir features', `${formatCount(documents)} documents (${formatCount(rejected)} rejected) from ${results.length} input(s) → ${opts.out}`, { inputs: results.length, documents, rejected }, elapsedMs, documents);
    });
}

interface FitCliOptions extends FeatureCliOptions {
  target: string[];
  raw: string[];
  out: string;
  textField?: string;
  idField?: string;
  inputFormat?: Format;
  onError: 'fail' | 'skip';
}

function fitCommand(): Command {
  return addFeatureOptions(
    new Command('fit')
      .description('fit a DSIR model: hashed n-gram counts and mean token count (Poisson λ) of a target corpus and of the raw pool, in one JSON file')
      .requiredOption('--target <files...>', 'files or directories of the corpus to select toward')
      .requiredOption('--raw <files...>', 'files or directories of the raw pool the weights will rank')
      .requiredOption('-o, --out <model>', 'model file to write (JSON)')
      .option('--text-field <field>', 'field holding the text (default: text, then raw_content)')
      .option('--id-field <field>', 'field holding the id')
      .addOption(new Option('--input-format <format>', 'input format, instead of detecting it').choices([...FORMATS]))
      .addOption(new Option('--on-error <mode>', 'on a bad record: stop (fail) or skip it and count it').choices(['fail', 'skip']).default('fail')),
  )
    .addHelpText('after', '\nExample:\n  $ sieve dsir fit --target wiki.jsonl.gz --raw pool/ --out wiki.dsir.json\n')
    .action(async (opts: FitCliOptions) => {
      const { model, rejected, elapsedMs } = await fitDsirFiles({
        target: opts.target,
        raw: opts.raw,
        out: opts.out,
        features: featureSpec(opts),
        textField: opts.textField,
        idField: opts.idField,
        format: opts.inputFormat,
        onError: opts.onError,
      });
      const { target, raw } = model;
      printSummary(
        'dsir fit',
        `target ${formatCount(target.documents)} documents (λ ${target.lambda.toFixed(1)}), raw ${formatCount(raw.documents)} documents (λ ${raw.lambda.toFixed(1)}), ${formatCount(rejected.target + rejected.raw)} rejected → ${opts.out}`,
        { target: { documents: target.documents, tokens: target.tokens, lambda: target.lambda }, raw: { documents: raw.documents, tokens: raw.tokens, lambda: raw.lambda }, rejected, model: opts.out },
        elapsedMs,
        target.documents + raw.documents,
      );
    });
}

interface ResampleCliOptions extends InputCliOptions {
  model: string;
  k?: string;
  fraction?: string;
  seed: string;
}

function resampleCommand(): Command {
  return addInputOptions(
    new Command('resample')
      .description('select k documents (or a fraction) by importance resampling toward a DSIR model\'s target: <out>/kept/<name>.jsonl.gz and a manifest')
      .argument('<inputs...>', 'input files or directories (the raw pool)'),
    { signalOptions: false },
  )
    .requiredOption('--model <file>', 'model file from `sieve dsir fit`')
    .option('--k <n>', 'documents to select')
    .option('--fraction <f>', 'share of the documents to select, 0 … 1')
    .option('--seed <s>', 'seed of the Gumbel noise (integer 0 … 2^64 − 1)', '0')
    .addHelpText('after', '\nExample:\n  $ sieve dsir resample --model wiki.dsir.json --k 100000 pool/ --out out/wiki-like --seed 7\n')
    .action(async (inputs: string[], opts: ResampleCliOptions) => {
      const summary = await resampleDsir({
        ...inputOptions({ ...opts, out: opts.out as string }),
        inputs,
        model: opts.model,
        k: numberOption('--k', opts.k),
        fraction: numberOption('--fraction', opts.fraction),
        seed: opts.seed,
        onProgress: progressReporter(),
      });
      const t = summary.manifest.totals;
      printSummary(
        'dsir resample',
        `kept ${formatCount(t.kept)} of ${formatCount(t.documents)} documents, ${formatCount(t.rejected)} rejected → ${summary.manifestPath}`,
        { inputs: t.inputs, documents: t.documents, kept: t.kept, rejected: t.rejected, manifest: summary.manifestPath },
        summary.elapsedMs,
        t.documents,
      );
    });
}

export function dsirCommand(): Command {
  return new Command('dsir')
    .description('DSIR (Xie et al. 2023): hashed n-gram features, fit a target/raw model, resample a pool toward the target')
    .addCommand(featuresCommand())
    .addCommand(fitCommand())
    .addCommand(resampleCommand());
}
