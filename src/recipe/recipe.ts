import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Scalar } from 'yaml';
import { dedupStepOptions } from '../dedup/step-options.js';
import { parseResampleStep } from '../dsir/resample-step.js';
import { SieveError, type SourceIssue } from '../errors.js';
import { ExpressionError, parseRule, type CheckedExpression, type SignalCatalog } from './expression.js';

/** A rule step: `keep` drops documents where the rule is false; `keep_lines` drops lines. */
export interface RuleStep {
  readonly kind: 'keep' | 'keep_lines';
  /** Counted under this name in the manifest: given, or the rule's text. */
  readonly name: string;
  readonly source: string;
  readonly rule: CheckedExpression;
  readonly line: number;
}

/** A corpus-wide step with its options as written; the dedup and resample issues define them. */
export interface GlobalStep {
  readonly kind: 'dedup' | 'resample';
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly line: number;
}

/** A step of a recipe, in the order it runs. */
export type RecipeStep = RuleStep | GlobalStep;

/** A parsed, checked recipe. Frozen. */
export interface Recipe {
  readonly name: string;
  /** Language for language-aware signals, unless a document says otherwise. */
  readonly lang?: string;
  readonly steps: readonly RecipeStep[];
  readonly path: string;
  /** SHA-256 of the recipe text, for resume markers and manifests. */
  readonly hash: string;
}

const STEP_KINDS = ['keep', 'keep_lines', 'dedup', 'resample'] as const;
const TOP_KEYS = ['name', 'lang', 'steps', 'description'] as const;

/**
 * Parses and checks a recipe, reporting every problem at once: YAML syntax, unknown keys and step
 * kinds, and each rule's expression errors (unknown signals with suggestions, type errors), all
 * with `file:line:column`. Throws one SieveError (E_RECIPE) whose `issues` list them.
 *
 * @example
 * const recipe = parseRecipe(readFileSync('recipes/c4.yaml', 'utf8'), 'recipes/c4.yaml', catalog);
 */
export function parseRecipe(text: string, path: string, catalog: SignalCatalog): Recipe {
  const issues: SourceIssue[] = [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => lines.linePos(offset);
  const issue = (offset: number, message: string) => {
    const { line, col } = at(offset);
    issues.push({ file: path, line, column: col, message, excerpt: caret(text, line, col) });
  };
  for (const e of doc.errors) issue(e.pos[0], `YAML: ${e.message.split('\n')[0]}`);
  if (issues.length > 0) throw recipeError(path, issues);

  const root = doc.contents;
  if (!isMap(root)) {
    issue(0, 'a recipe is a mapping with `name` and `steps`');
    throw recipeError(path, issues);
  }
  let name = '';
  let lang: string | undefined;
  const steps: RecipeStep[] = [];
  const names = new Set<string>();
  let sawSteps = false;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const keyOffset = (pair.key as Node | null)?.range?.[0] ?? 0;
    if (!(TOP_KEYS as readonly string[]).includes(key)) {
      issue(keyOffset, `unknown key "${key}" (a recipe has ${TOP_KEYS.join(', ')})`);
    } else if (key === 'name' || key === 'lang') {
      const v = pair.value;
      if (!isScalar(v) || typeof v.value !== 'string' || v.value.length === 0) issue(keyOffset, `\`${key}\` must be a non-empty string`);
      else if (key === 'name') name = v.value;
      else lang = v.value;
    } else if (key === 'steps') {
      sawSteps = true;
      if (!isSeq(pair.value) || pair.value.items.length === 0) {
        issue(keyOffset, '`steps` must be a non-empty list');
        continue;
      }
      for (const item of pair.value.items) {
        const step = parseStep(item as Node, text, path, catalog, issue, (i) => issues.push(i), at);
        if (!step) continue;
        if (names.has(step.name)) {
          issue((item as Node).range?.[0] ?? 0, `two steps are named "${step.name}": give each rule a distinct name`);
        }
        names.add(step.name);
        steps.push(step);
      }
    }
  }
  if (!name && !issues.some((i) => i.message.includes('`name`'))) issue(0, 'the recipe has no `name`');
  if (!sawSteps) issue(0, 'the recipe has no `steps`');
  if (issues.length > 0) throw recipeError(path, issues);
  const hash = createHash('sha256').update(text).digest('hex');
  return Object.freeze({ name, lang, steps: Object.freeze(steps), path, hash });
}

/** Reads and parses a recipe file. */
export async function loadRecipe(path: string, catalog: SignalCatalog): Promise<Recipe> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SieveError('E_INPUT_MISSING', `cannot read recipe ${path}: ${(err as Error).message}`, { location: { file: path }, cause: err });
  }
  return parseRecipe(text, path, catalog);
}

function parseStep(
  item: Node,
  text: string,
  path: string,
  catalog: SignalCatalog,
  issue: (offset: number, message: string) => void,
  report: (issue: SourceIssue) => void,
  at: (offset: number) => { line: number; col: number },
): RecipeStep | undefined {
  const start = item.range?.[0] ?? 0;
  if (!isMap(item) || item.items.length !== 1) {
    issue(start, `a step is one of ${STEP_KINDS.map((k) => `\`${k}: …\``).join(', ')}`);
    return undefined;
  }
  const pair = item.items[0];
  const kind = isScalar(pair.key) ? String(pair.key.value) : '';
  const keyOffset = (pair.key as Node | null)?.range?.[0] ?? start;
  if (!(STEP_KINDS as readonly string[]).includes(kind)) {
    issue(keyOffset, `unknown step "${kind}" (steps are ${STEP_KINDS.join(', ')})`);
    return undefined;
  }
  const line = at(keyOffset).line;
  const value = pair.value as Node | null;
  if (kind === 'dedup' || kind === 'resample') {
    const options: Record<string, unknown> = isMap(value) ? (value.toJSON() as Record<string, unknown>) : {};
    if (!isMap(value)) issue(value?.range?.[0] ?? keyOffset, `\`${kind}\` takes options, e.g. ${kind === 'dedup' ? '{ method: minhash, threshold: 0.8 }' : '{ method: dsir, target: FILES, k: 1000 }'}`);
    else if (kind === 'dedup') {
      const checked = dedupStepOptions(options);
      if (Array.isArray(checked)) for (const problem of checked) issue(value.range?.[0] ?? keyOffset, problem);
    } else {
      try {
        parseResampleStep(options, path, line);
      } catch (err) {
        if (!(err instanceof SieveError)) throw err;
        for (const problem of err.issues ?? [{ message: err.message }]) issue(value.range?.[0] ?? keyOffset, problem.message);
      }
    }
    return { kind, name: typeof options.name === 'string' ? options.name : kind, options, line };
  }
  let ruleNode: Node | null = value;
  let given: string | undefined;
  if (isMap(value)) {
    ruleNode = null;
    for (const p of value.items) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      if (k === 'when') ruleNode = p.value as Node | null;
      else if (k === 'name' && isScalar(p.value) && typeof p.value.value === 'string') given = p.value.value;
      else {
        // In `{ name: x, when: f(a, b) }` YAML splits the rule at its commas: say so.
        const split = value.flow && !/^[A-Za-z_]+$/.test(k) ? '; a comma inside { … } ends the rule there: put the rule in quotes' : '';
        issue((p.key as Node | null)?.range?.[0] ?? keyOffset, `unknown key "${k}" in a ${kind} step (it takes \`name\` and \`when\`)${split}`);
      }
    }
    if (ruleNode === null) {
      issue(value.range?.[0] ?? keyOffset, `a ${kind} step with options needs \`when: <rule>\``);
      return undefined;
    }
  }
  if (!isScalar(ruleNode) || typeof ruleNode.value !== 'string') {
    issue(ruleNode?.range?.[0] ?? keyOffset, `\`${kind}\` takes a rule, e.g. \`rps_doc_word_count >= 50\``);
    return undefined;
  }
  const source = ruleNode.value;
  const base = at(scalarContentOffset(ruleNode, text));
  try {
    const rule = parseRule(source, catalog, kind === 'keep' ? 'doc' : 'line', { line: base.line, column: base.col });
    return { kind: kind === 'keep' ? 'keep' : 'keep_lines', name: given ?? source.replace(/\s+/g, ' ').trim(), source, rule, line };
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    report({ file: path, line: err.line ?? base.line, column: err.column ?? base.col, message: err.reason, excerpt: err.hint });
    return undefined;
  }
}

/** Where a scalar's text begins in the file: after a quote, or on the line after a block header. */
function scalarContentOffset(node: Scalar, text: string): number {
  const start = node.range?.[0] ?? 0;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return start + 1;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    let i = text.indexOf('\n', start) + 1;
    while (text[i] === ' ') i++;
    return i;
  }
  return start;
}

function caret(text: string, line: number, column: number): string {
  const source = text.split('\n')[line - 1] ?? '';
  return `${source}\n${' '.repeat(Math.max(0, column - 1))}^`;
}

function recipeError(path: string, issues: readonly SourceIssue[]): SieveError {
  return new SieveError('E_RECIPE', `${path}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the recipe`, { issues, location: { file: path, line: issues[0].line } });
}
