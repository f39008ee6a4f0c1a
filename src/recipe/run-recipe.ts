import { readFile } from 'node:fs/promises';
import { SieveError } from '../errors.js';
import { writeManifest } from '../pipeline/manifest.js';
import { runShards, shardInput, type ReadRunOptions } from '../pipeline/run-shards.js';
import { PACKAGE_VERSION } from '../version.js';
import { parseRecipeText, runRecipeTask, type RecipeShardResult, type RecipeTask } from './recipe-task.js';
import { DEFAULT_SAMPLES } from './run-samples.js';

export interface RunRecipeOptions extends ReadRunOptions {
  /** Path of the recipe YAML. */
  readonly recipe: string;
  /** Output directory: `kept/<name>.jsonl.gz`, `manifest.json`, `rejected/`, and `signals/` with `keepSignals`. */
  readonly out: string;
  /** Also write the recipe's signals of the kept documents to `signals/<name>.signals.parquet`. @default false */
  readonly keepSignals?: boolean;
  /** Precomputed signals to reuse, joined to documents by id: directories or files. */
  readonly signals?: readonly string[];
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
    /** Characters of the documents left after each step, by step name. */
    readonly charactersLeft: Readonly<Record<string, number>>;
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
  const global = recipe.steps.find((s) => s.kind === 'dedup' || s.kind === 'resample');
  if (global) {
    throw new SieveError('E_RECIPE', `the ${global.kind} step (line ${global.line}) is not available in this version: recipes can use keep and keep_lines`, {
      location: { file: options.recipe, line: global.line },
    });
  }
  const onError = options.onError ?? 'fail';
  const { results, elapsedMs } = await runShards<RecipeTask, RecipeShardResult>({
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
      samples: options.samples ?? DEFAULT_SAMPLES,
    }),
  });
  const inputs = results.map(({ ok: _ok, ...rest }) => rest);
  const dropped: Record<string, number> = {};
  for (const step of recipe.steps) dropped[step.name] = 0;
  for (const r of results) for (const [k, v] of Object.entries(r.dropped)) dropped[k] += v;
  const charactersLeft: Record<string, number> = Object.fromEntries(recipe.steps.map((s) => [s.name, 0]));
  for (const r of results) for (const [k, v] of Object.entries(r.charactersLeft)) charactersLeft[k] += v;
  const sum = (f: (r: RecipeShardResult) => number) => results.reduce((n, r) => n + f(r), 0);
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
      charactersLeft,
    },
  };
  const manifestPath = await writeManifest(options.out, manifest);
  return { manifest, manifestPath, elapsedMs };
}
