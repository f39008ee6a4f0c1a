/**
 * Vectorised evaluation of checked rules over a batch of columns: each node of the tree is
 * evaluated once for the whole batch into a typed array (or a scalar for constants), never
 * once per document.
 *
 * Values. A number is a Float64 and null is NaN (a NaN read from a column is null too); a
 * condition is a 0/1 byte and is never null; a string is a JS string or `null`.
 *
 * Null semantics:
 * - Arithmetic with a null operand gives null; so does division by zero (`x / 0`, `x % 0`), so
 *   `a / b <= 0.9` is false when `b` is 0. `%` keeps the sign of the dividend (as in C/JS, unlike
 *   Python). `abs`, unary `-` and `min(a, b, …)`/`max(a, b, …)` give null when any argument is null.
 * - Every comparison involving a null is false: for a null `x`, `x > 5`, `x <= 5`, `x == 5` and
 *   `x != 5` are all false, and so is `between(x, a, b)`. Strings compare the same way.
 * - After a comparison the logic is two-valued: `not`, `and`, `or` are plain boolean. So
 *   `not (x > 5)` is TRUE for a null `x` (the comparison was false). To drop nulls on purpose,
 *   write `x is not null and …`; `x is null` / `x is not null` test for null directly.
 * - Aggregates skip nothing. Line signal values are never null, but a line expression can be
 *   (`rps_lines_a / rps_lines_b` where b is 0, or a null document signal broadcast to its lines):
 *   then `sum`, `mean`, `min`, `max` of that document are null. `sum` of zero lines is 0;
 *   `mean`, `min`, `max` of zero lines are null; `count(cond)` is the number of lines where
 *   `cond` holds (0 for none); `frac(cond)` is count / lines, null for zero lines.
 * - In `keep_lines` rules document signals are broadcast to every line of their document.
 */
import { SieveError } from '../errors.js';
import type { RuleColumns } from './columns.js';
import type { ArithmeticOp, CheckedAggregate, CheckedExpression, CheckedNode, ComparisonOp, ValueLevel } from './expression.js';

type Num = number | Float64Array;
type Bool = boolean | Uint8Array;
type Strings = readonly (string | null)[];
type Str = string | null | Strings;

/** One verdict per document of `cols` (1 = the rule holds, keep) for a `keep` rule. */
export function evaluateDocRule(checked: CheckedExpression, cols: RuleColumns): Uint8Array {
  if (checked.mode !== 'doc') throw new SieveError('E_USAGE', 'evaluateDocRule needs a rule checked in "doc" mode (a keep rule)');
  const ev = new Evaluator(cols, checked.root);
  return toArray(ev.bool(checked.root, 'doc'), ev.n);
}

/**
 * One verdict per line (1 = keep the line) for a `keep_lines` rule: the lines of every
 * document, concatenated in offset order (document 0's lines first).
 */
export function evaluateLineRule(checked: CheckedExpression, cols: RuleColumns): Uint8Array {
  if (checked.mode !== 'line') throw new SieveError('E_USAGE', 'evaluateLineRule needs a rule checked in "line" mode (a keep_lines rule)');
  const ev = new Evaluator(cols, checked.root);
  return toArray(ev.bool(checked.root, 'line'), ev.lineCount);
}

function toArray(v: Bool, length: number): Uint8Array {
  return typeof v === 'boolean' ? new Uint8Array(length).fill(v ? 1 : 0) : v;
}

function columnError(message: string): SieveError {
  return new SieveError('E_INPUT_FIELD', message);
}

function internal(node: CheckedNode, want: string): SieveError {
  return new SieveError('E_USAGE', `internal error: a ${node.kind} node is not ${want}`);
}

function children(node: CheckedNode): readonly CheckedNode[] {
  switch (node.kind) {
    case 'const':
    case 'signal':
      return [];
    case 'negate':
    case 'abs':
    case 'not':
    case 'isNull':
      return [node.operand];
    case 'arithmetic':
    case 'comparison':
    case 'logical':
      return [node.left, node.right];
    case 'extremum':
      return node.args;
    case 'between':
      return [node.value, node.low, node.high];
    case 'aggregate':
      return [node.arg];
  }
}

class Evaluator {
  readonly n: number;
  lineCount = 0;
  /** Line offsets shared by every line column the rule reads, rebased to start at 0. */
  private offsets: Int32Array | undefined;
  private offsetsFrom = '';
  private readonly docNums = new Map<string, Float64Array>();
  private readonly docStrs = new Map<string, Strings>();
  private readonly lineNums = new Map<string, Float64Array>();
  private readonly spreadNums = new Map<string, Float64Array>();
  private readonly spreadStrs = new Map<string, Strings>();

  constructor(
    private readonly cols: RuleColumns,
    root: CheckedNode,
  ) {
    this.n = cols.length;
    // Load line columns first: broadcasting a document value needs the offsets.
    const visit = (node: CheckedNode): void => {
      if (node.kind === 'signal' && node.level === 'line') this.lineNumbers(node.name);
      for (const c of children(node)) visit(c);
    };
    visit(root);
  }

  private len(at: ValueLevel): number {
    return at === 'doc' ? this.n : this.lineCount;
  }

  // --- columns -------------------------------------------------------------------------------

  private docNumbers(name: string): Float64Array {
    let values = this.docNums.get(name);
    if (values) return values;
    const col = this.cols.doc(name);
    if (!('values' in col)) throw columnError(`column "${name}" holds strings, but the rule uses it as a number`);
    if (col.values.length !== this.n) throw columnError(`column "${name}" has ${col.values.length} values for ${this.n} documents`);
    values = col.values;
    if (col.valid) {
      const valid = col.valid;
      if (valid.length !== this.n) throw columnError(`column "${name}" has ${valid.length} validity entries for ${this.n} documents`);
      values = Float64Array.from(values);
      for (let i = 0; i < values.length; i++) if (valid[i] === 0) values[i] = NaN;
    }
    this.docNums.set(name, values);
    return values;
  }

  private docStrings(name: string): Strings {
    let strings = this.docStrs.get(name);
    if (strings) return strings;
    const col = this.cols.doc(name);
    if (!('strings' in col)) throw columnError(`column "${name}" holds numbers, but the rule uses it as a string`);
    strings = col.strings;
    if (strings.length !== this.n) throw columnError(`column "${name}" has ${strings.length} values for ${this.n} documents`);
    this.docStrs.set(name, strings);
    return strings;
  }

  private lineNumbers(name: string): Float64Array {
    let values = this.lineNums.get(name);
    if (values) return values;
    const col = this.cols.lines(name);
    let offsets = col.offsets;
    if (offsets.length !== this.n + 1) throw columnError(`line column "${name}" has ${offsets.length} offsets for ${this.n} documents (want ${this.n + 1})`);
    const base = offsets[0];
    if (base !== 0) offsets = offsets.map((o) => o - base);
    const total = offsets[this.n];
    if (total < 0 || base + total > col.values.length) throw columnError(`line column "${name}" has offsets past its ${col.values.length} values`);
    values = col.values.subarray(base, base + total);
    if (!this.offsets) {
      for (let i = 0; i < this.n; i++) if (offsets[i + 1] < offsets[i]) throw columnError(`line column "${name}" has decreasing offsets at document ${i}`);
      this.offsets = offsets;
      this.offsetsFrom = name;
      this.lineCount = total;
    } else if (offsets !== this.offsets) {
      const ref = this.offsets;
      for (let i = 0; i <= this.n; i++) {
        if (offsets[i] !== ref[i]) {
          const d = Math.max(0, i - 1);
          throw columnError(`line columns "${this.offsetsFrom}" and "${name}" disagree on the lines of document ${d} (${ref[d + 1] - ref[d]} vs ${offsets[d + 1] - offsets[d]})`);
        }
      }
    }
    this.lineNums.set(name, values);
    return values;
  }

  // --- broadcasting document values to lines -------------------------------------------------

  private spreadNum(v: Float64Array): Float64Array {
    const o = this.offsets as Int32Array;
    const out = new Float64Array(this.lineCount);
    for (let d = 0; d < this.n; d++) {
      const x = v[d];
      for (let j = o[d], e = o[d + 1]; j < e; j++) out[j] = x;
    }
    return out;
  }

  private spreadBool(v: Uint8Array): Uint8Array {
    const o = this.offsets as Int32Array;
    const out = new Uint8Array(this.lineCount);
    for (let d = 0; d < this.n; d++) if (v[d]) out.fill(1, o[d], o[d + 1]);
    return out;
  }

  private spreadStr(v: Strings): Strings {
    const o = this.offsets as Int32Array;
    const out = new Array<string | null>(this.lineCount);
    for (let d = 0; d < this.n; d++) for (let j = o[d], e = o[d + 1]; j < e; j++) out[j] = v[d];
    return out;
  }

  // --- evaluation, one function per value type ------------------------------------------------

  num(node: CheckedNode, at: ValueLevel): Num {
    if (at === 'line' && node.level === 'doc') {
      if (node.kind === 'signal') {
        let spread = this.spreadNums.get(node.name);
        if (!spread) this.spreadNums.set(node.name, (spread = this.spreadNum(this.docNumbers(node.name))));
        return spread;
      }
      const v = this.num(node, 'doc');
      return typeof v === 'number' ? v : this.spreadNum(v);
    }
    switch (node.kind) {
      case 'const':
        return node.value as number;
      case 'signal':
        return node.level === 'line' ? this.lineNumbers(node.name) : this.docNumbers(node.name);
      case 'negate':
        return map(this.num(node.operand, at), (x) => -x);
      case 'abs':
        return map(this.num(node.operand, at), Math.abs);
      case 'arithmetic':
        return arithmetic(node.op, this.num(node.left, at), this.num(node.right, at), this.len(at));
      case 'extremum': {
        let acc = this.num(node.args[0], at);
        for (let i = 1; i < node.args.length; i++) acc = extremum(node.op, acc, this.num(node.args[i], at), this.len(at));
        return acc;
      }
      case 'aggregate':
        return this.aggregate(node);
      default:
        throw internal(node, 'a number');
    }
  }

  bool(node: CheckedNode, at: ValueLevel): Bool {
    if (at === 'line' && node.level === 'doc') {
      const v = this.bool(node, 'doc');
      return typeof v === 'boolean' ? v : this.spreadBool(v);
    }
    const len = this.len(at);
    switch (node.kind) {
      case 'const':
        return node.value as boolean;
      case 'comparison':
        switch (node.left.type) {
          case 'number':
            return compareNum(node.op, this.num(node.left, at), this.num(node.right, at), len);
          case 'string':
            return compareStr(node.op, this.str(node.left, at), this.str(node.right, at), len);
          case 'bool':
            return compareBool(node.op, this.bool(node.left, at), this.bool(node.right, at), len);
        }
        break;
      case 'isNull': {
        const isNull = node.operand.type === 'string' ? stringIsNull(this.str(node.operand, at), len) : numberIsNull(this.num(node.operand, at), len);
        return node.negated ? not(isNull) : isNull;
      }
      case 'not':
        return not(this.bool(node.operand, at));
      case 'logical': {
        const left = this.bool(node.left, at);
        // A constant left side decides `false and …` / `true or …` without evaluating the right.
        if (typeof left === 'boolean' && left === (node.op === 'or')) return left;
        return logical(node.op, left, this.bool(node.right, at));
      }
      case 'between':
        return between(this.num(node.value, at), this.num(node.low, at), this.num(node.high, at), len);
    }
    throw internal(node, 'a condition');
  }

  str(node: CheckedNode, at: ValueLevel): Str {
    if (node.kind === 'const') return node.value as string;
    if (node.kind !== 'signal') throw internal(node, 'a string');
    const strings = this.docStrings(node.name);
    if (at === 'doc') return strings;
    let spread = this.spreadStrs.get(node.name);
    if (!spread) this.spreadStrs.set(node.name, (spread = this.spreadStr(strings)));
    return spread;
  }

  private aggregate(node: CheckedAggregate): Float64Array {
    const o = this.offsets as Int32Array;
    const out = new Float64Array(this.n);
    const fn = node.fn;
    if (fn === 'count' || fn === 'frac') {
      const c = this.bool(node.arg, 'line');
      const hits = typeof c === 'boolean' ? new Uint8Array(this.lineCount).fill(c ? 1 : 0) : c;
      for (let d = 0; d < this.n; d++) {
        const s = o[d];
        const e = o[d + 1];
        let k = 0;
        for (let j = s; j < e; j++) k += hits[j];
        out[d] = fn === 'count' ? k : e > s ? k / (e - s) : NaN;
      }
      return out;
    }
    const a = this.num(node.arg, 'line');
    const v = typeof a === 'number' ? new Float64Array(this.lineCount).fill(a) : a;
    // One loop per function: the choice is made once, not per document.
    if (fn === 'sum' || fn === 'mean') {
      const mean = fn === 'mean';
      for (let d = 0; d < this.n; d++) {
        const s = o[d];
        const e = o[d + 1];
        let sum = 0;
        for (let j = s; j < e; j++) sum += v[j];
        out[d] = !mean ? sum : e > s ? sum / (e - s) : NaN;
      }
      return out;
    }
    // NaN (null) sticks: once m is NaN no comparison replaces it.
    for (let d = 0; d < this.n; d++) {
      const s = o[d];
      const e = o[d + 1];
      let m = s < e ? v[s] : NaN;
      if (fn === 'min') for (let j = s + 1; j < e; j++) m = v[j] < m || v[j] !== v[j] ? v[j] : m;
      else for (let j = s + 1; j < e; j++) m = v[j] > m || v[j] !== v[j] ? v[j] : m;
      out[d] = m;
    }
    return out;
  }
}

// --- kernels ------------------------------------------------------------------------------------

function map(v: Num, f: (x: number) => number): Num {
  if (typeof v === 'number') return f(v);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = f(v[i]);
  return out;
}

function arith1(op: ArithmeticOp, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? NaN : x / y;
    case '%':
      return x % y;
  }
}

function full(v: Num, len: number): Float64Array {
  return typeof v === 'number' ? new Float64Array(len).fill(v) : v;
}

function arithmetic(op: ArithmeticOp, a: Num, b: Num, len: number): Num {
  if (typeof a === 'number' && typeof b === 'number') return arith1(op, a, b);
  const x = full(a, len);
  const y = full(b, len);
  const out = new Float64Array(len);
  switch (op) {
    case '+':
      for (let i = 0; i < len; i++) out[i] = x[i] + y[i];
      break;
    case '-':
      for (let i = 0; i < len; i++) out[i] = x[i] - y[i];
      break;
    case '*':
      for (let i = 0; i < len; i++) out[i] = x[i] * y[i];
      break;
    case '/':
      for (let i = 0; i < len; i++) {
        const d = y[i];
        out[i] = d === 0 ? NaN : x[i] / d;
      }
      break;
    case '%':
      for (let i = 0; i < len; i++) out[i] = x[i] % y[i];
      break;
  }
  return out;
}

function extremum(op: 'min' | 'max', a: Num, b: Num, len: number): Num {
  if (typeof a === 'number' && typeof b === 'number') return op === 'min' ? Math.min(a, b) : Math.max(a, b);
  const x = full(a, len);
  const y = full(b, len);
  const out = new Float64Array(len);
  // Math.min/max give NaN when either side is NaN, which is the null rule.
  if (op === 'min') for (let i = 0; i < len; i++) out[i] = Math.min(x[i], y[i]);
  else for (let i = 0; i < len; i++) out[i] = Math.max(x[i], y[i]);
  return out;
}

function compare1(op: ComparisonOp, x: number, y: number): boolean {
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x < y || x > y; // false when either is NaN, unlike !==
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

const FLIPPED: Record<ComparisonOp, ComparisonOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function compareNum(op: ComparisonOp, a: Num, b: Num, len: number): Bool {
  if (typeof a === 'number') {
    if (typeof b === 'number') return compare1(op, a, b);
    return compareNum(FLIPPED[op], b, a, len);
  }
  const out = new Uint8Array(len);
  if (typeof b === 'number') {
    if (b !== b) return out;
    switch (op) {
      case '==':
        for (let i = 0; i < len; i++) out[i] = a[i] === b ? 1 : 0;
        break;
      case '!=':
        for (let i = 0; i < len; i++) out[i] = a[i] < b || a[i] > b ? 1 : 0;
        break;
      case '<':
        for (let i = 0; i < len; i++) out[i] = a[i] < b ? 1 : 0;
        break;
      case '<=':
        for (let i = 0; i < len; i++) out[i] = a[i] <= b ? 1 : 0;
        break;
      case '>':
        for (let i = 0; i < len; i++) out[i] = a[i] > b ? 1 : 0;
        break;
      case '>=':
        for (let i = 0; i < len; i++) out[i] = a[i] >= b ? 1 : 0;
        break;
    }
    return out;
  }
  switch (op) {
    case '==':
      for (let i = 0; i < len; i++) out[i] = a[i] === b[i] ? 1 : 0;
      break;
    case '!=':
      for (let i = 0; i < len; i++) out[i] = a[i] < b[i] || a[i] > b[i] ? 1 : 0;
      break;
    case '<':
      for (let i = 0; i < len; i++) out[i] = a[i] < b[i] ? 1 : 0;
      break;
    case '<=':
      for (let i = 0; i < len; i++) out[i] = a[i] <= b[i] ? 1 : 0;
      break;
    case '>':
      for (let i = 0; i < len; i++) out[i] = a[i] > b[i] ? 1 : 0;
      break;
    case '>=':
      for (let i = 0; i < len; i++) out[i] = a[i] >= b[i] ? 1 : 0;
      break;
  }
  return out;
}

function between(v: Num, lo: Num, hi: Num, len: number): Bool {
  if (typeof v === 'number' && typeof lo === 'number' && typeof hi === 'number') return v >= lo && v <= hi;
  if (typeof v !== 'number' && typeof lo === 'number' && typeof hi === 'number') {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = v[i] >= lo && v[i] <= hi ? 1 : 0;
    return out;
  }
  return logical('and', compareNum('>=', v, lo, len), compareNum('<=', v, hi, len));
}

function compareStr(op: ComparisonOp, a: Str, b: Str, len: number): Bool {
  const eq = op === '==';
  const test = (x: string | null, y: string | null): boolean => x !== null && y !== null && (x === y) === eq;
  if (!Array.isArray(a) && !Array.isArray(b)) return test(a as string | null, b as string | null);
  const out = new Uint8Array(len);
  const x = a as Str;
  const y = b as Str;
  for (let i = 0; i < len; i++) {
    out[i] = test(Array.isArray(x) ? (x as Strings)[i] : (x as string | null), Array.isArray(y) ? (y as Strings)[i] : (y as string | null)) ? 1 : 0;
  }
  return out;
}

function compareBool(op: ComparisonOp, a: Bool, b: Bool, len: number): Bool {
  const eq = op === '==';
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a === b) === eq;
  const x = typeof a === 'boolean' ? new Uint8Array(len).fill(a ? 1 : 0) : a;
  const y = typeof b === 'boolean' ? new Uint8Array(len).fill(b ? 1 : 0) : b;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (x[i] === y[i]) === eq ? 1 : 0;
  return out;
}

function numberIsNull(v: Num, len: number): Bool {
  if (typeof v === 'number') return v !== v;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = v[i] !== v[i] ? 1 : 0;
  return out;
}

function stringIsNull(v: Str, len: number): Bool {
  if (!Array.isArray(v)) return v === null;
  const s = v as Strings;
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = s[i] === null ? 1 : 0;
  return out;
}

/** Negates in place: every condition array is freshly computed and used once. */
function not(v: Bool): Bool {
  if (typeof v === 'boolean') return !v;
  for (let i = 0; i < v.length; i++) v[i] ^= 1;
  return v;
}

/** Combines into `a` in place (fresh, used once); a constant side decides or passes through. */
function logical(op: 'and' | 'or', a: Bool, b: Bool): Bool {
  if (typeof a === 'boolean') return op === 'and' ? (a ? b : false) : a ? true : b;
  if (typeof b === 'boolean') return op === 'and' ? (b ? a : false) : b ? true : a;
  if (op === 'and') for (let i = 0; i < a.length; i++) a[i] &= b[i];
  else for (let i = 0; i < a.length; i++) a[i] |= b[i];
  return a;
}
