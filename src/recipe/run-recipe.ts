import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dedupStepOptions, type DedupStepOptions } from '../dedup/step-options.js';
import { parseResampleStep, type DsirResampleStep } from '../dsir/resample-step.js';
import { loadDsirSignalModels } from '../dsir/signal-models.js';
import { registerImportanceSignals } from '../../signals/index.js';
import { SieveError } from '../errors.js';
import { formatClassifierSpec, loadFastTextResources } from '../fasttext/index.js';
import { totalDuplicateIds, writeManifest } from '../pipeline/manifest.js';
import { readingOptions, resumeKey, signalSettings, runShards, shardInput, type ReadRunOptions } from '../pipeline/run-shards.js';
import { PACKAGE_VERSION } from '../version.js';
import { parseRecipeText, recipeStages, requireClassifiers, runRecipeTask, type RecipeShardResult, type RecipeTask } from './recipe-task.js';
import type { GlobalStep, Recipe } from './recipe.js';
import { DEFAULT_SAMPLES } from './run-samples.js';
import { dedupWorkDir, droppedPath, dsirCountsPath, resolveDedupStep, resolveResampleStep, stagedPath, stagedShards } from './corpus-steps.js';

/** Options of {@link runRecipe}. */
export interface RunRecipeOptions extends ReadRunOptions {
  /** Path of the recipe YAML. */
  readonly recipe: string;
  /** Output directory: `kept/<name>.jsonl.gz`, `manifest.json`, `rejected/`, and `signals/` with `keepSignals`. */
  readonly out: string;
  /** Also write the recipe's signals of the kept documents to `signals/<name>.signals.parquet`. @default false */
  readonly keepSignals?: boolean;
  /** Precomputed signals to reuse, joined to documents by id: directories or files. */
  readonly signals?: readonly string[];
  /** Run the shards as jobs of this queue (`redis://HOST:PORT/NAME`), processed by `sieve worker`s, instead of local threads. */
  readonly queue?: string;
  /** Documents kept as samples per rule and of the kept ones, in `samples/<name>.jsonl.gz`, for `sieve report`. @default 3 */
  readonly samples?: number;
}

/** The manifest of a recipe run: every input document is kept, dropped by a named rule, or rejected. */
export interface RunManifest {
  readonly tool: string;
  readonly command: 'run';
  readonly recipe: { readonly name: string; readonly path: string; readonly hash: string; readonly steps: readonly { readonly kind: string; readonly name: string; readonly rule?: string }[] };
  readonly options: Readonly<Record<string, string | number | boolean | null>>;
  readonly inputs: readonly Omit<RecipeShardResult, 'ok'>[];
  readonly totals: {
    readonly inputs: number;
    readonly documents: number;
    readonly kept: number;
    readonly dropped: Readonly<Record<string, number>>;
    readonly rejected: number;
    readonly characters: number;
    readonly keptCharacters: number;
    /** Documents reusing an id within their input, when there are any. */
    readonly duplicateIds?: number;
    /** Characters of the documents left after each step, by step name. */
    readonly charactersLeft: Readonly<Record<string, number>>;
  };
}

/** What {@link runRecipe} did: the manifest it wrote and how long it took. */
export interface RunSummary {
  readonly manifest: RunManifest;
  readonly manifestPath: string;
  readonly elapsedMs: number;
  /** Shards skipped because an earlier run completed them. */
  readonly resumed: number;
}

/**
 * Applies a recipe to every input shard in parallel: computes only the signals its rules name,
 * runs its steps in order (line steps rewrite the text later steps see), and writes the kept
 * documents and a manifest whose counts add up.
 *
 * @example
 * const { manifest } = await runRecipe({ recipe: 'recipes/c4.yaml', inputs: ['shards/'], out: 'out/c4' });
 */
export async function runRecipe(options: RunRecipeOptions): Promise<RunSummary> {
  let recipeText: string;
  try {
    recipeText = await readFile(options.recipe, 'utf8');
  } catch (err) {
    throw new SieveError('E_INPUT_MISSING', `cannot read recipe ${options.recipe}: ${(err as Error).message}`, { location: { file: options.recipe }, cause: err });
  }
  if (options.dsir) {
    // Bad names or model files are reported before any shard starts.
    await loadDsirSignalModels(options.dsir);
    registerImportanceSignals(options.dsir.map((m) => m.name));
  }
  const classifiers = (options.classifiers ?? []).map((c) => c.name);
  const recipe = parseRecipeText(recipeText, options.recipe, classifiers);
  requireClassifiers(recipe, classifiers, (options.signals?.length ?? 0) > 0);
  const onError = options.onError ?? 'fail';
  if (options.queue && (options.lidModel || options.classifiers?.length)) {
    throw new SieveError('E_USAGE', 'fastText models are shared memory of one machine and do not travel through a queue: run with --workers instead of --queue, or precompute the classifier signals with sieve signals');
  }
  const fasttext = await loadFastTextResources(options);
  const stages = recipeStages(recipe);
  const slice = options.slice ?? { index: 0, count: 1 };
  if ((slice.count > 1 || options.queue) && stages.length > 1) {
    throw new SieveError('E_USAGE', `recipe ${recipe.name} has corpus-wide steps (${recipe.steps.filter((s) => !('rule' in s)).map((s) => s.name).join(', ')}), which need every shard: it cannot run as array tasks or on a queue`, {
      hint: 'split it: run its rules as array tasks, then sieve dedup --stage … over their output, then the rest',
    });
  }
  // Stage files of an interrupted run are kept for a resumed one; --force starts over.
  const workDir = join(options.out, '.work');
  if (options.force) await rm(workDir, { recursive: true, force: true });
  const keyOf = (stage: number) =>
    resumeKey({
      command: 'run',
      version: PACKAGE_VERSION,
      recipe: recipe.hash,
      stage,
      keepSignals: options.keepSignals ?? false,
      samples: options.samples ?? DEFAULT_SAMPLES,
      signals: options.signals ?? null,
      ...readingOptions(options),
      ...signalSettings(options),
    });
  let elapsedMs = 0;
  let resumed = 0;
  let previous: { step: GlobalStep; stageDir: string } | undefined;
  const perStage: RecipeShardResult[][] = [];
  try {
    for (let k = 0; k < stages.length; k++) {
      const then = stages[k].then;
      const stageDir = join(workDir, `stage-${k + 1}`);
      const step = then ? corpusStep(then, options.recipe) : undefined;
      const staged = previous;
      // BullMQ is loaded only for queue runs: it costs every other start ~100 ms.
      const dispatch = options.queue ? (await import('../queue/run-on-queue.js')).runShardsOnQueue<RecipeTask, RecipeShardResult> : runShards<RecipeTask, RecipeShardResult>;
      const run = await dispatch({
        queue: options.queue ?? '',
        runKey: keyOf(k),
        inputs: options.inputs,
        out: options.out,
        resume: { key: keyOf(k), force: options.force, ...(then ? { dir: join(stageDir, '.done') } : {}) },
        slice,
        onError,
        workers: options.workers,
        onProgress: options.onProgress,
        runInProcess: runRecipeTask,
        task: (shard, shared) => ({
          ...shardInput(options, shard, shared),
          fasttext,
          kind: 'recipe',
          recipeText,
          recipePath: options.recipe,
          keepSignals: options.keepSignals ?? false,
          signalSources: options.signals,
          samples: options.samples ?? DEFAULT_SAMPLES,
          stage: k,
          ...(staged ? { staged: { path: stagedPath(staged.stageDir, shared.slot), droppedFile: droppedPath(staged.stageDir, shared.slot), droppedBy: staged.step.name } } : {}),
          ...(step
            ? {
                next: {
                  stagePath: stagedPath(stageDir, shared.slot),
                  ...(step.kind === 'dedup'
                    ? { dedup: { workDir: dedupWorkDir(stageDir), shard: shared.slot, spec: step.options.spec } }
                    : { dsirCounts: { path: dsirCountsPath(stageDir, shared.slot), spec: step.options.features } }),
                },
              }
            : {}),
        }),
      });
      elapsedMs += run.elapsedMs;
      if (k === stages.length - 1) resumed = run.resumed;
      perStage.push(run.results);
      if (then && step) {
        const started = performance.now();
        const shards = stagedShards(run.results, run.results.map((_, slot) => slot));
        const outDir = corpusStepOutputDir(options.out, recipe, then);
        if (step.kind === 'dedup') await resolveDedupStep(stageDir, outDir, step.options, shards);
        else await resolveResampleStep(stageDir, outDir, step.options, shards, options);
        elapsedMs += performance.now() - started;
        previous = { step: then, stageDir };
      }
    }
  } catch (err) {
    // Stage files can be large: a run that failed leaves none (a killed one keeps them, to resume).
    await rm(workDir, { recursive: true, force: true });
    throw err;
  }
  await rm(workDir, { recursive: true, force: true });
  const results = mergeStages(perStage);
  const inputs = results.map(({ ok: _ok, ...rest }) => rest);
  const dropped: Record<string, number> = {};
  for (const step of recipe.steps) dropped[step.name] = 0;
  for (const r of results) for (const [k, v] of Object.entries(r.dropped)) dropped[k] += v;
  const charactersLeft: Record<string, number> = Object.fromEntries(recipe.steps.map((s) => [s.name, 0]));
  for (const r of results) for (const [k, v] of Object.entries(r.charactersLeft)) charactersLeft[k] += v;
  const sum = (f: (r: RecipeShardResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const duplicateIds = totalDuplicateIds(results);
  const manifest: RunManifest = {
    tool: `pajama-sieve ${PACKAGE_VERSION}`,
    command: 'run',
    recipe: {
      name: recipe.name,
      path: options.recipe,
      hash: recipe.hash,
      steps: recipe.steps.map((s) => ('source' in s ? { kind: s.kind, name: s.name, rule: s.source.trim() } : { kind: s.kind, name: s.name })),
    },
    options: {
      keepSignals: options.keepSignals ?? false,
      textField: options.textField ?? null,
      idField: options.idField ?? null,
      inputFormat: options.inputFormat ?? null,
      onError,
      lang: options.lang ?? recipe.lang ?? null,
      ut1: options.ut1 ?? null,
      lidModel: options.lidModel ?? null,
      classifiers: options.classifiers?.map(formatClassifierSpec).join(',') ?? null,
      signals: options.signals?.join(',') ?? null,
      samples: options.samples ?? DEFAULT_SAMPLES,
    },
    inputs,
    totals: {
      inputs: results.length,
      documents: sum((r) => r.documents),
      kept: sum((r) => r.kept),
      dropped,
      rejected: sum((r) => r.rejected),
      characters: sum((r) => r.characters),
      keptCharacters: sum((r) => r.keptCharacters),
      ...(duplicateIds > 0 ? { duplicateIds } : {}),
      charactersLeft,
    },
  };
  const manifestPath = await writeManifest(options.out, manifest, slice);
  return { manifest, manifestPath, elapsedMs, resumed };
}

/** A corpus-wide step's checked options (the recipe parser has already reported any problem). */
function corpusStep(step: GlobalStep, file: string): { kind: 'dedup'; options: DedupStepOptions } | { kind: 'resample'; options: DsirResampleStep } {
  if (step.kind === 'dedup') return { kind: 'dedup', options: dedupStepOptions(step.options) as DedupStepOptions };
  return { kind: 'resample', options: parseResampleStep(step.options, file, step.line) };
}

/**
 * Where a corpus-wide step writes what it found: `dedup/` (`clusters.parquet`, `duplicates/`) or
 * `resample/` (`model.json`), with `-<n>` for the n-th step of a kind.
 */
function corpusStepOutputDir(out: string, recipe: Recipe, step: GlobalStep): string {
  const same = recipe.steps.filter((s) => s.kind === step.kind);
  const n = same.indexOf(step);
  return join(out, n === 0 ? step.kind : `${step.kind}-${n + 1}`);
}

/** One result per input from the results of every stage: read counts from the first, kept and outputs from the last, drops from all. */
function mergeStages(stages: readonly RecipeShardResult[][]): RecipeShardResult[] {
  const first = stages[0];
  const last = stages[stages.length - 1];
  return first.map((r, i) => {
    const dropped: Record<string, number> = {};
    for (const stage of stages) for (const [k, v] of Object.entries(stage[i].dropped)) dropped[k] = (dropped[k] ?? 0) + v;
    const charactersLeft: Record<string, number> = {};
    for (const stage of stages) Object.assign(charactersLeft, stage[i].charactersLeft);
    // Stage files under .work are gone once the run ends; the report's files of every stage stay.
    const outputs = [...new Set(stages.flatMap((stage) => stage[i].outputs))].filter((o) => !o.startsWith('.work'));
    return { ...r, kept: last[i].kept, keptCharacters: last[i].keptCharacters, outputs, dropped, charactersLeft };
  });
}
