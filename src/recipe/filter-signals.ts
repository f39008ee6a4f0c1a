import { SieveError } from '../errors.js';
import type { RuleColumns } from './columns.js';
import { evaluateDocRule } from './evaluate.js';
import type { Recipe, RuleStep } from './recipe.js';

/** Which rule dropped each document of a signals table: -1 for kept, else the index of its first failing step. */
export interface SignalFilterResult {
  readonly verdicts: Int32Array;
  readonly kept: number;
  /** Documents dropped per step name, in recipe order. */
  readonly dropped: Readonly<Record<string, number>>;
}

/**
 * Applies a recipe's document rules to precomputed signal columns (no text), vectorised rule by
 * rule over the whole batch. Recipes with line steps need the text and are refused.
 *
 * @example
 * const result = filterSignals(recipe, columnsFromParquet(await openParquetColumns('web.signals.parquet')));
 */
export function filterSignals(recipe: Recipe, columns: RuleColumns): SignalFilterResult {
  const steps = recipe.steps.filter((s): s is RuleStep => s.kind === 'keep' || s.kind === 'keep_lines');
  const lineStep = steps.find((s) => s.kind === 'keep_lines');
  if (lineStep) throw new SieveError('E_USAGE', `step "${lineStep.name}" drops lines: it needs the documents' text, not only their signals`);
  const verdicts = new Int32Array(columns.length).fill(-1);
  const dropped: Record<string, number> = {};
  steps.forEach((step, index) => {
    const mask = evaluateDocRule(step.rule, columns);
    let n = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] === 0 && verdicts[i] === -1) {
        verdicts[i] = index;
        n++;
      }
    }
    dropped[step.name] = n;
  });
  let kept = 0;
  for (let i = 0; i < verdicts.length; i++) if (verdicts[i] === -1) kept++;
  return { verdicts, kept, dropped };
}
