import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveClusters } from '../dedup/clusters.js';
import { writeDedupOutputs } from '../dedup/dedup-outputs.js';
import { dedupStepOptions, type DedupStepOptions } from '../dedup/step-options.js';
import { SieveError } from '../errors.js';
import { totalDuplicateIds, writeManifest } from '../pipeline/manifest.js';
import { runShards, shardInput, type ReadRunOptions } from '../pipeline/run-shards.js';
import { withWorkDir } from '../pipeline/work-dir.js';
import { PACKAGE_VERSION } from '../version.js';
import { parseRecipeText, recipeStages, runRecipeTask, type RecipeShardResult, type RecipeTask } from './recipe-task.js';
import type { GlobalStep, Recipe } from './recipe.js';

export interface RunRecipeOptions extends ReadRunOptions {
  /** Path of the recipe YAML. */
  readonly recipe: string;
  /** Output directory: `kept/<name>.jsonl.gz`, `manifest.json`, `rejected/`, and `signals/` with `keepSignals`. */
  readonly out: string;
  /** Also write the recipe's signals of the kept documents to `signals/<name>.signals.parquet`. @default false */
  readonly keepSignals?: boolean;
  /** Precomputed signals to reuse, joined to documents by id: directories or files. */
  readonly signals?: readonly string[];
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
  };
}

export interface RunSummary {
  readonly manifest: RunManifest;
  readonly manifestPath: string;
  readonly elapsedMs: number;
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
  const recipe = parseRecipeText(recipeText, options.recipe);
  const resample = recipe.steps.find((s) => s.kind === 'resample');
  if (resample) {
    throw new SieveError('E_RECIPE', `the resample step (line ${resample.line}) is not available in this version: recipes can use keep, keep_lines and dedup`, {
      location: { file: options.recipe, line: resample.line },
    });
  }
  const onError = options.onError ?? 'fail';
  const stages = recipeStages(recipe);
  let elapsedMs = 0;
  const perStage: RecipeShardResult[][] = [];
  await withWorkDir(options.out, async (workDir) => {
    let previous: { results: RecipeShardResult[]; step: GlobalStep; stageDir: string } | undefined;
    for (let k = 0; k < stages.length; k++) {
      const then = stages[k].then;
      const stageDir = join(workDir, `stage-${k + 1}`);
      const dedupOptions = then ? (dedupStepOptions(then.options) as DedupStepOptions) : undefined;
      const staged = previous;
      const run = await runShards<RecipeTask, RecipeShardResult>({
        inputs: options.inputs,
        out: options.out,
        onError,
        workers: options.workers,
        onProgress: options.onProgress,
        runInProcess: runRecipeTask,
        task: (shard, shared) => ({
          ...shardInput(options, shard, shared),
          kind: 'recipe',
          recipeText,
          recipePath: options.recipe,
          keepSignals: options.keepSignals ?? false,
          signalSources: options.signals,
          stage: k,
          ...(staged
            ? { staged: { path: join(staged.stageDir, `${shared.slot}.jsonl`), droppedFile: join(staged.stageDir, 'dropped', `${shared.slot}.bin`), droppedBy: staged.step.name } }
            : {}),
          ...(then && dedupOptions ? { next: { stagePath: join(stageDir, `${shared.slot}.jsonl`), dedup: { workDir: join(stageDir, 'dedup'), shard: shared.slot, spec: dedupOptions.spec } } } : {}),
        }),
      });
      elapsedMs += run.elapsedMs;
      perStage.push(run.results);
      if (then && dedupOptions) {
        const started = performance.now();
        await resolveDedupStep(stageDir, dedupOutputDir(options.out, recipe, then), dedupOptions, run.results);
        elapsedMs += performance.now() - started;
        previous = { results: run.results, step: then, stageDir };
      }
    }
  });
  const results = mergeStages(perStage);
  const inputs = results.map(({ ok: _ok, ...rest }) => rest);
  const dropped: Record<string, number> = {};
  for (const step of recipe.steps) dropped[step.name] = 0;
  for (const r of results) for (const [k, v] of Object.entries(r.dropped)) dropped[k] += v;
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
      signals: options.signals?.join(',') ?? null,
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
    },
  };
  const manifestPath = await writeManifest(options.out, manifest);
  return { manifest, manifestPath, elapsedMs };
}

/** Where a dedup step writes `clusters.parquet` and `duplicates/`: `dedup/`, or `dedup-<n>/` for the n-th of several. */
function dedupOutputDir(out: string, recipe: Recipe, step: GlobalStep): string {
  const dedups = recipe.steps.filter((s) => s.kind === 'dedup');
  const n = dedups.indexOf(step);
  return join(out, n === 0 ? 'dedup' : `dedup-${n + 1}`);
}

/** Links the survivors keyed by a stage, writes the dedup's outputs, and leaves each shard's dropped positions for the next stage. */
async function resolveDedupStep(stageDir: string, outDir: string, options: DedupStepOptions, results: readonly RecipeShardResult[]): Promise<void> {
  const workDir = join(stageDir, 'dedup');
  const clusters = resolveClusters({
    workDir,
    shardDocs: results.map((r) => r.kept),
    keep: options.keep,
    memory: options.memory,
    verifyThreshold: options.spec.verify ? options.spec.threshold : undefined,
  });
  const dropped = await writeDedupOutputs(outDir, workDir, clusters, results.map((r) => ({ name: r.name, shardId: r.name, documents: r.kept })));
  await mkdir(join(stageDir, 'dropped'), { recursive: true });
  await Promise.all(dropped.map((d, s) => writeFile(join(stageDir, 'dropped', `${s}.bin`), new Uint8Array(d.buffer, d.byteOffset, d.byteLength))));
}

/** One result per input from the results of every stage: read counts from the first, kept and outputs from the last, drops from all. */
function mergeStages(stages: readonly RecipeShardResult[][]): RecipeShardResult[] {
  const first = stages[0];
  const last = stages[stages.length - 1];
  return first.map((r, i) => {
    const dropped: Record<string, number> = {};
    for (const stage of stages) for (const [k, v] of Object.entries(stage[i].dropped)) dropped[k] = (dropped[k] ?? 0) + v;
    return { ...r, kept: last[i].kept, keptCharacters: last[i].keptCharacters, outputs: last[i].outputs, dropped };
  });
}
