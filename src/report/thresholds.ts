import { parseExpression, type ComparisonOp, type Expr } from '../recipe/expression.js';

/** A constant a rule compares a signal with directly: `signal op value`. */
export interface Threshold {
  readonly signal: string;
  readonly op: ComparisonOp;
  readonly value: number;
}

const FLIPPED: Readonly<Record<ComparisonOp, ComparisonOp>> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/**
 * The thresholds of a rule: its comparisons of a bare signal with a number (either side) and its
 * `between(signal, lo, hi)` calls, found through `and`, `or` and `not`. Comparisons of derived
 * values (`mean(…) <= 0.9`, `a / b > 2`) cut something other than the signal and are left out.
 */
export function ruleThresholds(source: string): Threshold[] {
  const out: Threshold[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === 'logical') {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === 'not') {
      visit(e.operand);
    } else if (e.kind === 'comparison') {
      if (e.left.kind === 'signal' && e.right.kind === 'number') out.push({ signal: e.left.name, op: e.op, value: e.right.value });
      else if (e.left.kind === 'number' && e.right.kind === 'signal') out.push({ signal: e.right.name, op: FLIPPED[e.op], value: e.left.value });
    } else if (e.kind === 'call' && e.name === 'between') {
      const [x, lo, hi] = e.args;
      if (x?.kind === 'signal' && lo?.kind === 'number') out.push({ signal: x.name, op: '>=', value: lo.value });
      if (x?.kind === 'signal' && hi?.kind === 'number') out.push({ signal: x.name, op: '<=', value: hi.value });
    }
  };
  visit(parseExpression(source));
  return out;
}
