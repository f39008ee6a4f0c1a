import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { CLASSIFIER_OF_SIGNAL, FASTTEXT_SIGNAL_PREFIX } from '../../signals/classifiers.js';
import { getSignal, listSignals, registerImportanceSignals } from '../../signals/index.js';
import { ShardKeyer, type DedupSpec } from '../dedup/shard-keyer.js';
import { addFeatures, emptyCounts, writeCountsFile, type DsirCorpusCounts } from '../dsir/counts.js';
import { featureBatch, type DsirFeatureSpec } from '../dsir/features.js';
import { loadDsirSignalModels } from '../dsir/signal-models.js';
import type { Document } from '../document.js';
import { SieveError } from '../errors.js';
import { DuplicateIdCounter, type DuplicateIds } from '../io/duplicate-ids.js';
import { documentLine, writeLines, type Line } from '../io/jsonl-writer.js';
import { readDocuments } from '../io/read-documents.js';
import { RejectionLog } from '../pipeline/rejection-log.js';
import { documentLanguage, failure, shardResources } from '../pipeline/shard-common.js';
import type { ShardInput, TaskOutcome } from '../pipeline/run-shards.js';
import { getBackend } from '../native.js';
import type { SignalResources } from '../signal.js';
import { DocumentState, documentColumns, keepLines } from './document-columns.js';
import { evaluateDocRule, evaluateLineRule } from './evaluate.js';
import { catalogFromSpecs, type SignalCatalog } from './expression.js';
import type { PrecomputedSignals } from './precomputed.js';
import type { KeptSignalsWriter } from './kept-signals.js';
import { signalFileModules } from './signal-files.js';
import { parseRecipe, type GlobalStep, type Recipe, type RuleStep } from './recipe.js';
import { RunObserver } from './run-observer.js';
import { readStaged, stagedLine } from './staged-documents.js';

/**
 * What a stage hands to the corpus-wide step after it: the survivors are staged to `stagePath`,
 * in order, and keyed for the dedup.
 */
export interface NextGlobalStep {
  readonly stagePath: string;
  /** A dedup step: key the survivors. */
  readonly dedup?: { readonly workDir: string; readonly shard: number; readonly spec: DedupSpec };
  /** A DSIR resample step: count the survivors' features (the raw side of its model) into `path`. */
  readonly dsirCounts?: { readonly path: string; readonly spec: DsirFeatureSpec };
}

/**
 * One shard of one stage of `sieve run`: apply the recipe's rule steps of that stage (the steps
 * between two corpus-wide steps) and write the kept documents, or stage them for the next step.
 */
export interface RecipeTask extends ShardInput {
  readonly kind: 'recipe';
  /** The recipe's text and path: each worker parses it again (a Recipe does not cross threads). */
  readonly recipeText: string;
  readonly recipePath: string;
  readonly keepSignals: boolean;
  /** Directories or files of precomputed signals (`sieve signals` Parquet, RPv2 `*.signals.json.gz`). */
  readonly signalSources?: readonly string[];
  /** Stage number: 0 reads the input; stage k reads what stage k − 1 staged. @default 0 */
  readonly stage?: number;
  /** Stage k > 0: the staged documents, and the positions among them the step before dropped (uint32, ascending). */
  readonly staged?: { readonly path: string; readonly droppedFile: string; readonly droppedBy: string };
  /** Set unless this is the last stage. */
  readonly next?: NextGlobalStep;
  /** Sample documents to keep per rule and of the kept ones, for `sieve report` (0: none). */
  readonly samples: number;
}

/** What a recipe run did with one input shard: the counts its manifest lists under `inputs`. */
export interface RecipeShardResult {
  readonly ok: true;
  readonly input: string;
  readonly name: string;
  readonly documents: number;
  readonly kept: number;
  /** Documents dropped, by the name of the first rule they failed, in recipe order. */
  readonly dropped: Readonly<Record<string, number>>;
  /** The precomputed signals file used for this shard, if any. */
  readonly signalsFrom?: string;
  readonly rejected: number;
  readonly characters: number;
  readonly keptCharacters: number;
  /** Characters of the documents left after each step, by step name; the last equals keptCharacters. */
  readonly charactersLeft: Readonly<Record<string, number>>;
  readonly outputs: readonly string[];
  readonly rejectedFile?: string;
  /** Documents reusing an id seen earlier in this input, when there are any (they are processed all the same). */
  readonly duplicateIds?: DuplicateIds;
}

export const KEPT_DIR = 'kept';

/** A recipe split at its corpus-wide steps: the rule steps of each stage, and the step that ends it. */
export interface RecipeStage {
  readonly steps: readonly RuleStep[];
  readonly then?: GlobalStep;
}

export function recipeStages(recipe: Recipe): RecipeStage[] {
  const stages: RecipeStage[] = [];
  let steps: RuleStep[] = [];
  for (const step of recipe.steps) {
    if ('rule' in step) {
      steps.push(step);
    } else {
      stages.push({ steps, then: step });
      steps = [];
    }
  }
  stages.push({ steps });
  return stages;
}

/** The signals a recipe may name: every registered signal, and `fasttext:<name>` for the run's classifiers. */
export function recipeCatalog(classifiers: readonly string[] = []): SignalCatalog {
  return catalogFromSpecs([...listSignals().map((r) => r.signal), ...classifiers.map((name) => getSignal(FASTTEXT_SIGNAL_PREFIX + name).signal)]);
}

/** Parses the recipe against the registered signals and the run's classifiers. */
export function parseRecipeText(text: string, path: string, classifiers: readonly string[] = []): Recipe {
  return parseRecipe(text, path, recipeCatalog(classifiers));
}

/**
 * A rule on rps_doc_ml_<name>_score without `--classifier <name>=PATH` would read nulls and drop
 * every document: refuse it, unless precomputed signals may hold the scores.
 */
export function requireClassifiers(recipe: Recipe, classifiers: readonly string[], precomputed: boolean): void {
  if (precomputed) return;
  for (const step of recipe.steps) {
    if (step.kind !== 'keep' && step.kind !== 'keep_lines') continue;
    for (const signal of step.rule.signals) {
      const name = CLASSIFIER_OF_SIGNAL[signal];
      if (name !== undefined && !classifiers.includes(name)) {
        throw new SieveError('E_USAGE', `rule ${step.name} uses ${signal}, which is null without its fastText model`, {
          location: { file: recipe.path, line: step.line },
          hint: `give --classifier ${name}=MODEL.bin, or precomputed signals with --signals`,
        });
      }
    }
  }
}

/** The classifier names of a task, whose `fasttext:<name>` signals its recipe may use. */
export function classifierNames(task: ShardInput): string[] {
  return task.fasttext?.classifiers.map((c) => c.name) ?? [];
}

/** Reads one shard, applies the recipe's rule steps batch by batch, writes `kept/<name>.jsonl.gz`. */
export async function runRecipeTask(task: RecipeTask): Promise<TaskOutcome<RecipeShardResult>> {
  registerImportanceSignals(task.dsir?.map((m) => m.name) ?? []);
  const recipe = parseRecipeText(task.recipeText, task.recipePath, classifierNames(task));
  const allRules = recipe.steps.filter((s): s is RuleStep => s.kind === 'keep' || s.kind === 'keep_lines');
  const steps = recipeStages(recipe)[task.stage ?? 0].steps;
  const stepNames = [...(task.staged ? [task.staged.droppedBy] : []), ...steps.map((s) => s.name)];
  const dropped: Record<string, number> = Object.fromEntries(stepNames.map((n) => [n, 0]));
  const charactersLeft: Record<string, number> = Object.fromEntries(stepNames.map((n) => [n, 0]));
  const observer = new RunObserver(allRules, task.samples);
  const rejections = new RejectionLog(task.outDir, task.name);
  const ids = new DuplicateIdCounter();
  let reportOutputs: string[] = [];
  const counts = { documents: 0, kept: 0, characters: 0, keptCharacters: 0 };
  const keptPath = join(KEPT_DIR, `${task.name}.jsonl.gz`);
  const signalsPath = join('signals', `${task.name}.signals.parquet`);
  // --keep-signals stores every rule's signals, computed on the final text.
  const signalNames = [...new Set(allRules.flatMap((s) => [...s.rule.signals]))];
  let precomputed: PrecomputedSignals | undefined;
  let signalsOut: KeptSignalsWriter | undefined;
  let reportWritten: Promise<string[]> | undefined;
  const dedup = task.next?.dedup;
  const keyer = dedup ? new ShardKeyer(dedup.workDir, dedup.shard, dedup.spec, getBackend()) : undefined;
  const dsirCounts = task.next?.dsirCounts;
  const rawCounts = dsirCounts ? emptyCounts(dsirCounts.spec) : undefined;
  try {
    const resources = await shardResources(task);
    const files = task.signalSources || task.keepSignals ? await signalFileModules() : undefined;
    if (files && task.keepSignals && !task.next) signalsOut = files.kept.keptSignalsWriter(join(task.outDir, signalsPath), signalNames);
    const signalsFile = files && task.signalSources ? files.precomputed.findSignalsFile(task.signalSources, task.name) : undefined;
    precomputed = files && signalsFile ? await files.precomputed.loadPrecomputed(signalsFile, signalNames) : undefined;
    const prefill = precomputed ? prefiller(precomputed, signalNames) : undefined;
    const progress = task.progress ? new Float64Array(task.progress) : undefined;
    const stop = task.stop ? new Int32Array(task.stop) : undefined;
    const slot = (task.slot ?? 0) * 2;
    const lang = (d: Document) => documentLanguage(d, task.lang ?? recipe.lang, resources);
    async function* keptRecords(): AsyncGenerator<Line> {
      for await (const batch of stageInput(task, lang, resources, rejections, dropped, ids)) {
        if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
        let states = batch;
        if (prefill) for (const s of states) if (!s.changed) prefill(s);
        counts.documents += states.length;
        for (const s of states) counts.characters += s.text.length;
        if (task.staged) charactersLeft[task.staged.droppedBy] += states.reduce((n, s) => n + s.text.length, 0);
        else observer.input(states);
        for (const step of steps) {
          if (states.length === 0) break;
          states = step.kind === 'keep' ? applyKeep(step, states, dropped, observer) : applyKeepLines(step, states, dropped, observer);
          for (const s of states) charactersLeft[step.name] += s.text.length;
        }
        if (!task.next) observer.kept(states);
        counts.kept += states.length;
        for (const s of states) counts.keptCharacters += s.text.length;
        if (task.next) {
          keyer?.addDocuments(states.map((s) => ({ ...s.doc, text: s.text })), states.map((s) => s.view));
          if (rawCounts && dsirCounts) addFeatures(rawCounts, featureBatch(states.map((s) => s.view), dsirCounts.spec));
          for (const s of states) yield stagedLine(s.doc, s.text, s.changed);
        } else {
          for (const s of states) yield keptRecord(s);
        }
        signalsOut?.add(states);
        if (progress) {
          progress[slot] = counts.documents;
          progress[slot + 1] = counts.characters;
        }
      }
      // Every document is seen: the report's files are written while the kept file is finished.
      // Each stage records its own steps; the report adds the files up.
      reportWritten = observer.write(task.outDir, task.stage ? `${task.name}.stage-${task.stage}` : task.name);
      reportWritten.catch(() => undefined); // awaited below; until then a failure is not unhandled
    }
    await writeLines(task.next ? task.next.stagePath : join(task.outDir, keptPath), keptRecords());
    keyer?.close();
    await signalsOut?.close();
    if (rawCounts && dsirCounts) await writeCounts(dsirCounts.path, rawCounts);
    reportOutputs = await (reportWritten as Promise<string[]>);
  } catch (err) {
    keyer?.close();
    await signalsOut?.abort(err);
    await reportWritten?.catch(() => undefined);
    const e = err instanceof SieveError ? err : new SieveError('E_IO', (err as Error).message, { cause: err });
    const wholeFile = e.severity === 'shard' || e.code === 'E_INPUT_MISSING';
    if (task.onError !== 'skip' || !wholeFile || task.staged) {
      await rejections.discard();
      return failure(task, e);
    }
    rejections.add([{ location: e.location ?? { file: task.input }, code: e.code, reason: e.message }]);
    const rejectedFile = await rejections.close();
    const none = Object.fromEntries(steps.map((s) => [s.name, 0]));
    if (task.next) {
      // Later stages read the stage file: the rejected shard goes on as an empty one.
      if (dedup) new ShardKeyer(dedup.workDir, dedup.shard, dedup.spec, getBackend()).close();
      if (dsirCounts) await writeCounts(dsirCounts.path, emptyCounts(dsirCounts.spec));
      await writeLines(task.next.stagePath, []);
    }
    return { ok: true, input: task.input, name: task.name, documents: 0, kept: 0, dropped: none, rejected: rejections.count, characters: 0, keptCharacters: 0, charactersLeft: { ...none }, outputs: [], rejectedFile };
  }
  const rejectedFile = await rejections.close();
  const main = task.next ? [relative(task.outDir, task.next.stagePath)] : task.keepSignals ? [keptPath, signalsPath] : [keptPath];
  const outputs = [...main, ...reportOutputs];
  const signalsFrom = precomputed?.path;
  const duplicateIds = ids.result();
  return {
    ok: true,
    input: task.input,
    name: task.name,
    ...counts,
    dropped,
    charactersLeft,
    rejected: rejections.count,
    outputs,
    rejectedFile,
    ...(signalsFrom ? { signalsFrom } : {}),
    ...(duplicateIds ? { duplicateIds } : {}),
  };
}

/**
 * The documents a stage starts from, as recipe states, batch by batch: the input (stage 0, with
 * its rejections logged and its repeated ids counted), or the previous stage's survivors less
 * those its corpus-wide step dropped (counted under that step's name).
 */
async function* stageInput(
  task: RecipeTask,
  lang: (d: Document) => string,
  resources: SignalResources,
  rejections: RejectionLog,
  dropped: Record<string, number>,
  ids: DuplicateIdCounter,
): AsyncGenerator<DocumentState[]> {
  if (!task.staged) {
    const read = readDocuments(task.input, { textField: task.textField, idField: task.idField, format: task.inputFormat, onError: task.onError, name: task.name, keepRaw: true });
    for await (const batch of read) {
      rejections.add(batch.rejected);
      ids.add(batch.documents.map((d) => d.id), (i) => batch.documents[i].location);
      yield batch.documents.map((d) => new DocumentState(d, lang(d), resources));
    }
    return;
  }
  const drop = readUint32File(task.staged.droppedFile);
  let position = 0;
  let next = 0;
  for await (const batch of readStaged(task.staged.path, 'fail')) {
    const states: DocumentState[] = [];
    for (const staged of batch) {
      if (next < drop.length && drop[next] === position++) {
        next++;
        dropped[task.staged.droppedBy]++;
        continue;
      }
      const state = new DocumentState(staged.doc, lang(staged.doc), resources);
      state.changed = staged.changed;
      states.push(state);
    }
    yield states;
  }
}

async function writeCounts(path: string, counts: DsirCorpusCounts): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeCountsFile(path, counts);
}

/** A file of little-endian uint32 values. */
export function readUint32File(path: string): Uint32Array {
  const bytes = readFileSync(path);
  const out = new Uint32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * Seeds each document's signal values from the precomputed table (joined by id), so nothing is
 * recomputed until a line step changes the text. Signals the table lacks are computed as usual.
 */
function prefiller(pre: PrecomputedSignals, names: readonly string[]): (s: DocumentState) => void {
  const present = names.filter((n) => pre.names.has(n));
  const line = present.filter((n) => getSignal(n).signal.level === 'line');
  const doc = present.filter((n) => getSignal(n).signal.level === 'doc' && getSignal(n).signal.type !== 'str');
  return (s) => {
    const row = pre.row.get(s.doc.id);
    if (row === undefined) return;
    for (const n of doc) {
      const col = pre.columns.doc(n);
      const v = 'values' in col ? col.values[row] : Number.NaN;
      s.values.set(n, Number.isNaN(v) || ('valid' in col && col.valid?.[row] === 0) ? null : v);
    }
    for (const n of line) {
      const col = pre.columns.lines(n);
      s.values.set(n, col.values.subarray(col.offsets[row], col.offsets[row + 1]));
      s.knownLines = col.offsets[row + 1] - col.offsets[row];
    }
  };
}

/** A document rule over the batch: documents where it is false are dropped and counted under its name. */
function applyKeep(step: RuleStep, states: DocumentState[], dropped: Record<string, number>, observer: RunObserver): DocumentState[] {
  const cols = documentColumns(states);
  const mask = evaluateDocRule(step.rule, cols);
  observer.keep(step, cols, states, mask);
  const next: DocumentState[] = [];
  for (let i = 0; i < states.length; i++) {
    if (mask[i] === 1) next.push(states[i]);
    else dropped[step.name]++;
  }
  return next;
}

/** A line rule: documents keep the lines where it holds; one left with no line is dropped under the rule's name. */
function applyKeepLines(step: RuleStep, states: DocumentState[], dropped: Record<string, number>, observer: RunObserver): DocumentState[] {
  const cols = documentColumns(states);
  const mask = evaluateLineRule(step.rule, cols);
  observer.keepLines(step, cols, states, mask);
  const emptied = keepLines(states, mask);
  dropped[step.name] += emptied.reduce((n, e) => n + e, 0);
  return states.filter((_, i) => emptied[i] === 0);
}

/** The input record as it was, with only the text replaced when lines were dropped. */
function keptRecord(s: DocumentState): string | Uint8Array {
  const doc = s.doc;
  if (!s.changed) return documentLine(doc);
  if (doc.raw !== undefined && doc.textField) {
    const record = JSON.parse(doc.raw) as Record<string, unknown>;
    record[doc.textField] = s.text;
    return JSON.stringify(record);
  }
  return documentLine(doc, s.text);
}
