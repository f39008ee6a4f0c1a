import { readFile } from 'node:fs/promises';
import { SieveError } from '../errors.js';
import { readDocuments } from '../io/read-documents.js';
import { runShards, shardInput, type ReadRunOptions, type ShardInput, type TaskOutcome } from '../pipeline/run-shards.js';
import { loadFastTextResources } from '../fasttext/index.js';
import { countRejected, documentLanguage, failure, shardResources } from '../pipeline/shard-common.js';
import { DocumentState, documentColumns, keepLines } from './document-columns.js';
import { evaluateDocRule, evaluateLineRule } from './evaluate.js';
import { parseRule, type CheckedExpression, type Expr } from './expression.js';
import { classifierNames, parseRecipeText, recipeCatalog, requireClassifiers } from './recipe-task.js';
import type { Recipe, RuleStep } from './recipe.js';

/** Multipliers applied to each numeric constant of a rule for the threshold sweep. */
export const SWEEP_FACTORS = [0.5, 0.8, 0.9, 1.1, 1.25, 2] as const;

/** One shard of `sieve explain`: evaluate every rule on every document, not only up to the first failure. */
export interface ExplainTask extends ShardInput {
  readonly kind: 'explain';
  readonly recipeText: string;
  readonly recipePath: string;
}

/** Per shard: how many documents failed each combination of rules, and the sweep counts. Sums merge. */
export interface ExplainShardResult {
  readonly ok: true;
  readonly input: string;
  readonly name: string;
  readonly documents: number;
  readonly rejected: number;
  /** `[failing rule indices joined by ",", documents]`; "" = passed every rule. */
  readonly failures: readonly (readonly [string, number])[];
  /** `[rule][constant][factor]`: documents kept by the recipe with that one constant scaled. */
  readonly sweep: readonly (readonly (readonly number[])[])[];
}

/** The what-if table of a recipe over a corpus. */
export interface ExplainReport {
  readonly recipe: string;
  readonly documents: number;
  readonly rejected: number;
  /** Documents kept by the rule steps alone: corpus-wide steps are not explained. */
  readonly kept: number;
  readonly rules: readonly RuleReport[];
  /** The recipe's corpus-wide steps (dedup, resample), which explain leaves out: they depend on the whole corpus. */
  readonly notExplained: readonly string[];
}

/** One rule's line of the what-if table. */
export interface RuleReport {
  readonly name: string;
  readonly kind: 'keep' | 'keep_lines';
  /** Documents this rule fails (a line rule: documents left with no line). */
  readonly drops: number;
  /** Documents that fail this rule and no other: what it alone removes. */
  readonly dropsOnly: number;
  /** Documents the recipe would keep without this rule. */
  readonly keptWithout: number;
  /** For each numeric constant of a document rule: documents kept with it scaled by each factor. */
  readonly thresholds: readonly { readonly constant: number; readonly at: readonly { readonly value: number; readonly kept: number }[] }[];
}

interface Variant {
  readonly constant: number;
  readonly rules: readonly CheckedExpression[];
}

function ruleSteps(recipe: Recipe): RuleStep[] {
  return recipe.steps.filter((s): s is RuleStep => s.kind === 'keep' || s.kind === 'keep_lines');
}

/** The numeric literals of a rule, in source order. */
function numberLiterals(expr: Expr): { value: number; start: number; end: number }[] {
  const out: { value: number; start: number; end: number }[] = [];
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'number':
        out.push({ value: e.value, start: e.span.start, end: e.span.end });
        return;
      case 'negate':
      case 'not':
      case 'isNull':
        visit(e.operand);
        return;
      case 'arithmetic':
      case 'comparison':
      case 'logical':
        visit(e.left);
        visit(e.right);
        return;
      case 'call':
        e.args.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return out;
}

/** The document rules with each constant scaled by each sweep factor, re-parsed from the edited source. */
function sweepVariants(steps: readonly RuleStep[], classifiers: readonly string[]): Variant[][] {
  const catalog = recipeCatalog(classifiers);
  return steps.map((step) => {
    if (step.kind !== 'keep') return [];
    return numberLiterals(step.rule.ast).map((lit) => ({
      constant: lit.value,
      rules: SWEEP_FACTORS.map((f) => {
        const scaled = String(Number((lit.value * f).toPrecision(6)));
        return parseRule(step.source.slice(0, lit.start) + scaled + step.source.slice(lit.end), catalog, 'doc');
      }),
    }));
  });
}

/** Evaluates every rule (and every sweep variant) on every document of one shard. */
export async function runExplainTask(task: ExplainTask): Promise<TaskOutcome<ExplainShardResult>> {
  const recipe = parseRecipeText(task.recipeText, task.recipePath, classifierNames(task));
  const steps = ruleSteps(recipe);
  const variants = sweepVariants(steps, classifierNames(task));
  const failures = new Map<string, number>();
  const sweep = variants.map((vs) => vs.map(() => new Array<number>(SWEEP_FACTORS.length).fill(0)));
  let rejected = 0;
  let documents = 0;
  try {
    const resources = await shardResources(task);
    const stop = task.stop ? new Int32Array(task.stop) : undefined;
    const read = readDocuments(task.input, { textField: task.textField, idField: task.idField, format: task.inputFormat, onError: task.onError, name: task.name });
    for await (const batch of read) {
      if (stop && Atomics.load(stop, 0) !== 0) throw new SieveError('E_WORKER', 'cancelled: another shard failed');
      rejected += countRejected(batch.rejected);
      const states = batch.documents.map((d) => new DocumentState(d, documentLanguage(d, task.lang ?? recipe.lang, resources), resources));
      documents += states.length;
      const fails = steps.map(() => new Uint8Array(states.length));
      const variantPass = variants.map((vs) => vs.map(() => SWEEP_FACTORS.map(() => new Uint8Array(states.length))));
      steps.forEach((step, r) => {
        if (step.kind === 'keep') {
          const cols = documentColumns(states);
          const mask = evaluateDocRule(step.rule, cols);
          for (let i = 0; i < states.length; i++) fails[r][i] = 1 - mask[i];
          variants[r].forEach((v, c) => v.rules.forEach((rule, f) => {
            variantPass[r][c][f].set(evaluateDocRule(rule, cols));
          }));
        } else {
          fails[r].set(keepLines(states, evaluateLineRule(step.rule, documentColumns(states))));
        }
      });
      for (let i = 0; i < states.length; i++) {
        const failing: number[] = [];
        for (let r = 0; r < steps.length; r++) if (fails[r][i]) failing.push(r);
        const key = failing.join(',');
        failures.set(key, (failures.get(key) ?? 0) + 1);
        for (let r = 0; r < steps.length; r++) {
          if (failing.some((x) => x !== r)) continue;
          for (let c = 0; c < variants[r].length; c++) {
            for (let f = 0; f < SWEEP_FACTORS.length; f++) sweep[r][c][f] += variantPass[r][c][f][i];
          }
        }
      }
    }
  } catch (err) {
    const e = err instanceof SieveError ? err : new SieveError('E_IO', (err as Error).message, { cause: err });
    if (task.onError !== 'skip' || !(e.severity === 'shard' || e.code === 'E_INPUT_MISSING')) return failure(task, e);
    rejected++;
  }
  return { ok: true, input: task.input, name: task.name, documents, rejected, failures: [...failures].sort(), sweep };
}

/** Options of {@link explainRecipe}. */
export interface ExplainOptions extends ReadRunOptions {
  readonly recipe: string;
  /** Where a run would write; explain writes nothing but uses it for the worker layout. */
  readonly out: string;
}

/**
 * The what-if table of a recipe: for each rule, the documents it fails, the documents only it
 * fails, the documents kept if it were removed, and the documents kept with each of its numeric
 * constants scaled by {@link SWEEP_FACTORS}.
 */
export async function explainRecipe(options: ExplainOptions): Promise<ExplainReport> {
  const recipeText = await readFile(options.recipe, 'utf8').catch((err: Error) => {
    throw new SieveError('E_INPUT_MISSING', `cannot read recipe ${options.recipe}: ${err.message}`, { location: { file: options.recipe } });
  });
  const classifiers = (options.classifiers ?? []).map((c) => c.name);
  const recipe = parseRecipeText(recipeText, options.recipe, classifiers);
  requireClassifiers(recipe, classifiers, false);
  const steps = ruleSteps(recipe);
  const variants = sweepVariants(steps, classifiers);
  const onError = options.onError ?? 'fail';
  const fasttext = await loadFastTextResources(options);
  const { results } = await runShards<ExplainTask, ExplainShardResult>({
    inputs: options.inputs,
    out: options.out,
    onError,
    workers: options.workers,
    onProgress: options.onProgress,
    runInProcess: runExplainTask,
    task: (shard, shared) => ({ ...shardInput(options, shard, shared), fasttext, kind: 'explain', recipeText, recipePath: options.recipe }),
  });
  const failures = new Map<string, number>();
  for (const r of results) for (const [k, n] of r.failures) failures.set(k, (failures.get(k) ?? 0) + n);
  const failing = [...failures].map(([k, n]) => ({ rules: k === '' ? [] : k.split(',').map(Number), n }));
  const documents = results.reduce((n, r) => n + r.documents, 0);
  return {
    recipe: recipe.name,
    documents,
    rejected: results.reduce((n, r) => n + r.rejected, 0),
    kept: failing.filter((f) => f.rules.length === 0).reduce((n, f) => n + f.n, 0),
    rules: steps.map((step, r) => ({
      name: step.name,
      kind: step.kind,
      drops: failing.filter((f) => f.rules.includes(r)).reduce((n, f) => n + f.n, 0),
      dropsOnly: failing.filter((f) => f.rules.length === 1 && f.rules[0] === r).reduce((n, f) => n + f.n, 0),
      keptWithout: failing.filter((f) => f.rules.every((x) => x === r)).reduce((n, f) => n + f.n, 0),
      thresholds: variants[r].map((v, c) => ({
        constant: v.constant,
        at: SWEEP_FACTORS.map((factor, f) => ({ value: Number((v.constant * factor).toPrecision(6)), kept: results.reduce((n, res) => n + res.sweep[r][c][f], 0) })),
      })),
    })),
    notExplained: recipe.steps.filter((s) => s.kind === 'dedup' || s.kind === 'resample').map((s) => s.name),
  };
}
