import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { parseClassifierSpec } from '../fasttext/index.js';
import { SieveError } from '../errors.js';
import { parseDsirRef, type DsirModelRef } from '../dsir/signal-models.js';
import { FORMATS, type Format } from '../io/formats.js';
import { formatLocation } from '../errors.js';
import type { DuplicateIds } from '../io/duplicate-ids.js';
import { totalDuplicateIds } from '../pipeline/manifest.js';
import type { Progress } from '../pipeline/run-shards.js';
import { formatCount, formatDuration, printable } from './output.js';

/** Options every command that reads documents takes. */
export interface InputCliOptions {
  out?: string;
  workers: string;
  textField?: string;
  idField?: string;
  inputFormat?: Format;
  onError: 'fail' | 'skip';
  lang?: string;
  ut1?: string;
  lidModel?: string;
  classifier?: string[];
  force?: boolean;
  taskIndex?: string;
  taskCount?: string;
  dsir?: DsirModelRef[];
}

/**
 * Adds the reading, parallelism and error options shared by `signals`, `run`, `explain` and the
 * `dsir` commands (which compute no language-aware signal: `signalOptions: false`).
 */
export function addInputOptions(command: Command, { out = true, signalOptions = true } = {}): Command {
  if (out) command.requiredOption('-o, --out <dir>', 'output directory');
  command
    .option('-w, --workers <n>', 'worker threads, one shard each', String(availableParallelism()))
    .option('--text-field <field>', 'field holding the text (default: text, then raw_content)')
    .option('--id-field <field>', 'field holding the id (default: id, else the RPv2 id, else <name>:<line>)')
    .addOption(new Option('--input-format <format>', 'input format, instead of detecting it from names and content').choices([...FORMATS]))
    .addOption(new Option('--on-error <mode>', 'on a bad record: stop (fail) or record it in <out>/rejected and go on (skip)').choices(['fail', 'skip']).default('fail'));
  if (!signalOptions) return command;
  return command
    .option('--lang <code>', "language for language-aware signals (default: the document's language field, else the --lid-model prediction, else en)")
    .option('--ut1 <dir>', 'UT1 blacklist directory (<dir>/<category>/domains) for rps_doc_ut1_blacklist')
    .option('--lid-model <path>', "fastText language-id model (lid.176.bin/.ftz) for ccnet_language(_score) where the input lacks them, and the language of documents that do not say")
    .option(
      '--classifier <name=path>',
      'fastText classifier, repeatable: wikiref, palm and wikipedia give rps_doc_ml_<name>_score; every NAME gives fasttext:NAME, the probability of LABEL in NAME:LABEL=PATH (default: the model\'s first label)',
      (v: string, all: string[] = []) => [...all, v],
    );
}

/** Adds `--force` and the array-job options of commands that write one output per shard. */
export function addResumeOptions(command: Command): Command {
  return command
    .option('--force', 'redo shards an earlier run completed (their done markers are otherwise trusted)')
    .option('--task-index <i>', 'array job: run the shards i, i + N, i + 2N, … (default: SLURM_ARRAY_TASK_ID, or JOB_COMPLETION_INDEX)')
    .option('--task-count <n>', 'array job: the number of tasks N (default: SLURM_ARRAY_TASK_COUNT)');
}

/**
 * This process's share of an array job, from `--task-index/--task-count` or the scheduler's
 * environment: SLURM (`SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_COUNT`)
 * or a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, with `--task-count`).
 */
export function taskSlice(opts: Pick<InputCliOptions, 'taskIndex' | 'taskCount'>, env: NodeJS.ProcessEnv = process.env): { index: number; count: number } {
  const slurmId = env.SLURM_ARRAY_TASK_ID;
  const indexText = opts.taskIndex ?? (slurmId !== undefined ? String(Number(slurmId) - Number(env.SLURM_ARRAY_TASK_MIN ?? 0)) : env.JOB_COMPLETION_INDEX);
  const countText = opts.taskCount ?? (slurmId !== undefined ? env.SLURM_ARRAY_TASK_COUNT : undefined);
  if (indexText === undefined && countText === undefined) return { index: 0, count: 1 };
  const index = Number(indexText ?? 0);
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1) throw new SieveError('E_USAGE', `--task-count must be a positive integer${countText === undefined ? ' (give it with --task-index or JOB_COMPLETION_INDEX)' : `, not ${countText}`}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new SieveError('E_USAGE', `--task-index must be an integer from 0 to ${count - 1}, not ${indexText}`);
  return { index, count };
}

/** Adds `--dsir NAME=MODEL` (repeatable): the importance signals of a DSIR model (`sieve dsir fit`). */
export function addDsirOption(command: Command): Command {
  return command.option(
    '--dsir <name=model>',
    'DSIR model for rps_doc_<name>_importance[_length_correction] (repeatable; books, openwebtext, wikipedia give the RPv2 keys)',
    (value: string, all: DsirModelRef[] = []) => [...all, parseDsirRef(value)],
  );
}

/** The library options the shared CLI options stand for. */
export function inputOptions(opts: InputCliOptions & { out: string }) {
  return {
    out: opts.out,
    workers: Number.parseInt(opts.workers, 10),
    textField: opts.textField,
    idField: opts.idField,
    inputFormat: opts.inputFormat,
    onError: opts.onError,
    lang: opts.lang,
    ut1: opts.ut1,
    lidModel: opts.lidModel,
    classifiers: opts.classifier?.map(parseClassifierSpec),
    force: opts.force === true,
    slice: taskSlice(opts),
    dsir: opts.dsir,
  };
}

/** A live progress line on stderr when it is a terminal; nothing otherwise (the summary line says it all). */
export function progressReporter(): ((p: Progress) => void) | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  return (p) => process.stderr.write(`\r${progressLine(p)}\x1b[K`);
}

function progressLine(p: Progress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = p.documents / Math.max(seconds, 1e-9);
  const eta = p.bytesDone > 0 ? ((p.bytesTotal - p.bytesDone) / p.bytesDone) * p.elapsedMs : Number.NaN;
  return `${formatCount(p.documents)} docs  ${(p.characters / 1e6).toFixed(1)} M chars  ${(p.bytesDone / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)} MB  ${formatCount(Math.round(rate))} docs/s  shards ${p.shardsDone}/${p.shards}  ETA ${formatDuration(eta)}`;
}

/** `; 3 shard(s) done by an earlier run, skipped (--force redoes them)` when a run resumed. */
export function resumedNote(resumed: number): string {
  return resumed > 0 ? `; ${resumed} shard(s) done by an earlier run, skipped (--force redoes them)` : '';
}

/** Ends a run: a human line on a terminal, else one JSON line for scripts. */
export function printSummary(command: string, human: string, fields: Record<string, unknown>, elapsedMs: number, documents: number): void {
  const seconds = elapsedMs / 1000;
  if (process.stderr.isTTY === true) {
    process.stderr.write(`\r\x1b[K${human} in ${seconds.toFixed(1)} s\n`);
  } else {
    process.stderr.write(JSON.stringify({ command, ...fields, seconds: Number(seconds.toFixed(3)), docsPerSecond: Math.round(documents / Math.max(seconds, 1e-9)) }) + '\n');
  }
}

/** One warning line when documents reuse ids within their inputs: they were all processed, but joins by id need unique ones. */
export function warnDuplicateIds(inputs: readonly { readonly duplicateIds?: DuplicateIds }[]): void {
  const found = inputs.flatMap((i) => (i.duplicateIds ? [i.duplicateIds] : []));
  if (found.length === 0) return;
  const { id, location } = found[0].first;
  process.stderr.write(
    `sieve: warning: ${formatCount(totalDuplicateIds(inputs))} documents reuse an id seen earlier in their input (${found.length} of ${inputs.length} inputs; first ${printable(JSON.stringify(id))} at ${printable(formatLocation(location))}); all were processed, but joining by id (sieve run --signals) needs unique ids\n`,
  );
}
