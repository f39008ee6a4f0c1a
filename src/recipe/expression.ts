/**
 * The recipe expression language: a hand-written lexer and Pratt parser (never `eval`), a type
 * checker that resolves signal names against a {@link SignalCatalog}, and error formatting that
 * points carets into the recipe file.
 *
 * Grammar, loosest to tightest binding:
 *
 * ```text
 * or  <  and  <  not  <  == != < <= > >= / is [not] null  <  + -  <  * / %  <  unary -  <  call, atom
 * atom := number | 'string' | "string" | null | true | false | signal | ( expr ) | fn(args)
 * fn   := between(x, lo, hi) | abs(x) | min(a, b, …) | max(a, b, …)            (per value)
 *       | sum(e) | mean(e) | min(e) | max(e) | count(cond) | frac(cond)      (over a document's lines)
 * ```
 *
 * Keywords (`and or not is null true false`) and function names are case-insensitive; signal
 * names (`[A-Za-z_][A-Za-z0-9_.:]*`, e.g. `rps_doc_word_count`, `fasttext:dclm`) are not.
 * Comparisons do not chain (`1 < x < 5` is an error; write `between(x, 1, 5)`). Spans are UTF-16
 * offsets into the expression string; columns in messages count code points. How values and
 * nulls behave at run time is described in `evaluate.ts`.
 */
import type { ErrorCode } from '../errors.js';
import { SieveError } from '../errors.js';
import { closestNames as closest } from '../suggest.js';

/** The error code of every expression error. */
export const EXPRESSION_ERROR_CODE: ErrorCode = 'E_RECIPE';

// ---------------------------------------------------------------------------------------------
// AST

/** Where a node sits in the expression string: UTF-16 offsets, `end` exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export const ARITHMETIC_OPS = ['+', '-', '*', '/', '%'] as const;
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];
export const COMPARISON_OPS = ['==', '!=', '<', '<=', '>', '>='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export type LogicalOp = 'and' | 'or';

/** The functions the language knows; names are matched case-insensitively. */
export const FUNCTIONS = ['between', 'abs', 'min', 'max', 'sum', 'mean', 'count', 'frac'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
  readonly span: Span;
}
export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
  readonly span: Span;
}
export interface NullLiteral {
  readonly kind: 'null';
  readonly span: Span;
}
export interface BoolLiteral {
  readonly kind: 'bool';
  readonly value: boolean;
  readonly span: Span;
}
export interface SignalRef {
  readonly kind: 'signal';
  readonly name: string;
  readonly span: Span;
}
/** Unary minus (a minus sign directly before a number literal is folded into the literal). */
export interface Negate {
  readonly kind: 'negate';
  readonly operand: Expr;
  readonly span: Span;
}
export interface Not {
  readonly kind: 'not';
  readonly operand: Expr;
  readonly span: Span;
}
export interface Arithmetic {
  readonly kind: 'arithmetic';
  readonly op: ArithmeticOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}
export interface Comparison {
  readonly kind: 'comparison';
  readonly op: ComparisonOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}
export interface Logical {
  readonly kind: 'logical';
  readonly op: LogicalOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly opSpan: Span;
  readonly span: Span;
}
/** `operand is null`, or `operand is not null` when `negated`. */
export interface IsNull {
  readonly kind: 'isNull';
  readonly operand: Expr;
  readonly negated: boolean;
  readonly span: Span;
}
export interface Call {
  readonly kind: 'call';
  /** Lower-cased function name. */
  readonly name: FunctionName;
  readonly args: readonly Expr[];
  readonly nameSpan: Span;
  readonly span: Span;
}

/** A parsed expression: an immutable tree discriminated by `kind`. */
export type Expr = NumberLiteral | StringLiteral | NullLiteral | BoolLiteral | SignalRef | Negate | Not | Arithmetic | Comparison | Logical | IsNull | Call;

// ---------------------------------------------------------------------------------------------
// Errors

/** What a formatter needs to point at an expression error. */
export interface ExpressionErrorDetail {
  /** The problem, one line, without position. */
  readonly reason: string;
  /** UTF-16 offset into the expression string. */
  readonly offset: number;
  /** UTF-16 length of the offending text (0 = a point, e.g. the end of the expression). */
  readonly length: number;
}

/** 1-based line and column of the expression's first character inside the recipe file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A parse or type error in an expression. Thrown by {@link parseExpression} and
 * {@link checkExpression} with `message === reason`; {@link parseRule} rethrows it with the
 * message `L:C reason`, the caret lines in `hint`, and `line`/`column` set.
 */
export class ExpressionError extends SieveError implements ExpressionErrorDetail {
  readonly reason: string;
  readonly offset: number;
  readonly length: number;
  /** 1-based position of the error (in the recipe file when a base position was given). */
  readonly line?: number;
  readonly column?: number;

  constructor(
    reason: string,
    offset: number,
    length: number,
    options: { message?: string; hint?: string; line?: number; column?: number; cause?: unknown } = {},
  ) {
    super(EXPRESSION_ERROR_CODE, options.message ?? reason, { hint: options.hint, cause: options.cause });
    this.reason = reason;
    this.offset = offset;
    this.length = length;
    this.line = options.line;
    this.column = options.column;
  }
}

function fail(reason: string, span: Span): never {
  throw new ExpressionError(reason, span.start, span.end - span.start);
}

/** Line and column (1-based, code points) of `offset` in `source`, shifted by `base`. */
function position(source: string, offset: number, base?: SourcePosition): { line: number; column: number; lineStart: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const column = codePoints(source.slice(lineStart, offset)) + 1;
  if (!base) return { line, column, lineStart };
  // Every line of a YAML block scalar carries the same indentation, so shift all lines alike.
  return { line: base.line + line - 1, column: base.column + column - 1, lineStart };
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Formats an error as three lines: `L:C reason`, the source line, and carets under the span
 * (to the end of that line when the span runs on). With `base`, L:C are positions in the recipe
 * file, assuming every line of the expression is indented like its first.
 */
export function formatExpressionError(source: string, err: ExpressionErrorDetail, base?: SourcePosition): string {
  const offset = Math.max(0, Math.min(err.offset, source.length));
  const { line, column, lineStart } = position(source, offset, base);
  let lineEnd = source.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = source.length;
  const text = source.slice(lineStart, lineEnd).replace(/\r$/, '');
  // Keep tabs before the caret so the carets line up under the text whatever the tab width.
  const pad = [...source.slice(lineStart, offset)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
  const spanEnd = Math.min(offset + Math.max(0, err.length), lineStart + text.length);
  const carets = '^'.repeat(Math.max(1, codePoints(source.slice(offset, spanEnd))));
  return `${line}:${column} ${err.reason}\n  ${text}\n  ${pad}${carets}`;
}

// ---------------------------------------------------------------------------------------------
// Lexer

type TokenKind = 'number' | 'string' | 'ident' | 'keyword' | 'op' | '(' | ')' | ',' | 'eof';

interface Token {
  readonly kind: TokenKind;
  /** The source text; for keywords, the lower-cased keyword. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Decoded value of number and string tokens. */
  readonly value?: number | string;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'true', 'false']);
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_.:]/;
const DIGIT = /[0-9]/;

function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  const span = (start: number, end: number): Span => ({ start, end });
  while (i < n) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (IDENT_START.test(c)) {
      while (i < n && IDENT_PART.test(source[i])) i++;
      const text = source.slice(start, i);
      const lower = text.toLowerCase();
      if (KEYWORDS.has(lower)) tokens.push({ kind: 'keyword', text: lower, start, end: i });
      else tokens.push({ kind: 'ident', text, start, end: i });
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && i + 1 < n && DIGIT.test(source[i + 1]))) {
      while (i < n && DIGIT.test(source[i])) i++;
      if (source[i] === '.') {
        i++;
        while (i < n && DIGIT.test(source[i])) i++;
      }
      let ok = true;
      if (source[i] === 'e' || source[i] === 'E') {
        i++;
        if (source[i] === '+' || source[i] === '-') i++;
        if (!DIGIT.test(source[i] ?? '')) ok = false;
        while (i < n && DIGIT.test(source[i])) i++;
      }
      if (!ok || (i < n && IDENT_PART.test(source[i]))) {
        while (i < n && (IDENT_PART.test(source[i]) || ((source[i] === '+' || source[i] === '-') && /[eE]/.test(source[i - 1])))) i++;
        fail(`malformed number "${source.slice(start, i)}"`, span(start, i));
      }
      tokens.push({ kind: 'number', text: source.slice(start, i), start, end: i, value: Number(source.slice(start, i)) });
      continue;
    }
    if (c === '"' || c === "'") {
      tokens.push(lexString(source, start));
      i = tokens[tokens.length - 1].end;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (two === '<>') fail('use != for "not equal"', span(i, i + 2));
    if (two === '&&') fail('use "and" instead of &&', span(i, i + 2));
    if (two === '||') fail('use "or" instead of ||', span(i, i + 2));
    if (two === '**') fail('there is no power operator', span(i, i + 2));
    switch (c) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '<':
      case '>':
        tokens.push({ kind: 'op', text: c, start, end: i + 1 });
        i++;
        continue;
      case '(':
      case ')':
      case ',':
        tokens.push({ kind: c, text: c, start, end: i + 1 });
        i++;
        continue;
      case '=':
        fail('"=" is not an operator: use == to compare', span(i, i + 1));
      case '!':
        fail('use "not" instead of !', span(i, i + 1));
      case '&':
        fail('use "and" instead of &', span(i, i + 1));
      case '|':
        fail('use "or" instead of |', span(i, i + 1));
      case '^':
        fail('there is no power operator', span(i, i + 1));
      case '.':
        fail('unexpected "." (there is no property access; a signal name cannot start with a dot)', span(i, i + 1));
      default: {
        const ch = String.fromCodePoint(source.codePointAt(i) ?? 0);
        fail(`unexpected character ${JSON.stringify(ch)}`, span(i, i + ch.length));
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return tokens;
}

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0' };

function lexString(source: string, start: number): Token {
  const quote = source[start];
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= source.length || source[i] === '\n') {
      fail(`unterminated string (missing closing ${quote})`, { start, end: i });
    }
    const c = source[i];
    if (c === quote) break;
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = source[i + 1] ?? '';
    if (e in ESCAPES) {
      value += ESCAPES[e];
      i += 2;
    } else if (e === 'u') {
      const m = /^u(?:([0-9A-Fa-f]{4})|\{([0-9A-Fa-f]{1,6})\})/.exec(source.slice(i + 1));
      const code = m ? parseInt(m[1] ?? m[2], 16) : NaN;
      if (!m || code > 0x10ffff) fail('bad \\u escape: write \\uXXXX or \\u{X…}', { start: i, end: i + 2 });
      value += String.fromCodePoint(code);
      i += 1 + m[0].length;
    } else {
      fail(`unknown escape \\${e} (known: \\\\ \\' \\" \\n \\t \\r \\0 \\uXXXX)`, { start: i, end: i + 1 + e.length });
    }
  }
  return { kind: 'string', text: source.slice(start, i + 1), start, end: i + 1, value };
}

// ---------------------------------------------------------------------------------------------
// Parser

const BP_OR = 1;
const BP_AND = 2;
const BP_NOT = 3;
const BP_COMPARE = 4;
const BP_ADD = 5;
const BP_MUL = 6;
const BP_NEG = 7;

function infixPower(t: Token): number {
  if (t.kind === 'keyword') {
    if (t.text === 'or') return BP_OR;
    if (t.text === 'and') return BP_AND;
    if (t.text === 'is') return BP_COMPARE;
    return 0;
  }
  if (t.kind !== 'op') return 0;
  switch (t.text) {
    case '+':
    case '-':
      return BP_ADD;
    case '*':
    case '/':
    case '%':
      return BP_MUL;
    default:
      return BP_COMPARE;
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the expression';
  const text = t.text.length > 24 ? `${t.text.slice(0, 21)}...` : t.text;
  return `"${text}"`;
}

function freeze<T extends object>(node: T): T {
  return Object.freeze(node);
}

class Parser {
  private pos = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  parse(): Expr {
    if (this.peek().kind === 'eof') fail('empty expression', { start: 0, end: this.source.length });
    const expr = this.expr(0);
    const t = this.peek();
    if (t.kind !== 'eof') this.leftover(t);
    return expr;
  }

  private leftover(t: Token): never {
    const span = { start: t.start, end: t.end };
    if (t.kind === ')') fail('unbalanced ")": no matching "("', span);
    if (t.kind === ',') fail('unexpected "," (commas only separate function arguments)', span);
    if (t.kind === 'keyword' && t.text === 'not' && this.tokens[this.pos + 1].kind === 'keyword' && this.tokens[this.pos + 1].text === 'null') {
      fail('unexpected "not": write "x is not null"', span);
    }
    fail(`unexpected ${describe(t)}: is an operator missing before it?`, span);
  }

  private expr(minBp: number): Expr {
    let left = this.prefix(minBp);
    for (;;) {
      const t = this.peek();
      const bp = infixPower(t);
      if (bp === 0 || bp < minBp) return left;
      this.next();
      if (t.kind === 'keyword' && (t.text === 'and' || t.text === 'or')) {
        const right = this.expr(bp + 1);
        left = freeze({ kind: 'logical', op: t.text, left, right, opSpan: spanOf(t), span: sp(left.span.start, right.span.end) });
      } else if (bp === BP_COMPARE) {
        left = t.kind === 'keyword' ? this.isNull(left, t) : this.comparison(left, t);
        const after = this.peek();
        if (infixPower(after) === BP_COMPARE) {
          fail('comparisons do not chain: write "a < x and x < b", or between(x, a, b)', spanOf(after));
        }
      } else {
        const right = this.expr(bp + 1);
        left = freeze({ kind: 'arithmetic', op: t.text as ArithmeticOp, left, right, opSpan: spanOf(t), span: sp(left.span.start, right.span.end) });
      }
    }
  }

  private comparison(left: Expr, op: Token): Expr {
    const right = this.expr(BP_COMPARE + 1);
    return freeze({ kind: 'comparison', op: op.text as ComparisonOp, left, right, opSpan: spanOf(op), span: sp(left.span.start, right.span.end) });
  }

  private isNull(operand: Expr, is: Token): Expr {
    let t = this.next();
    let negated = false;
    if (t.kind === 'keyword' && t.text === 'not') {
      negated = true;
      t = this.next();
    }
    if (!(t.kind === 'keyword' && t.text === 'null')) {
      fail(`expected "null" after "${negated ? 'is not' : 'is'}", found ${describe(t)} (use == to compare values)`, t.kind === 'eof' ? spanOf(t) : { start: is.start, end: t.end });
    }
    return freeze({ kind: 'isNull', operand, negated, span: sp(operand.span.start, t.end) });
  }

  private prefix(minBp: number): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return freeze({ kind: 'number', value: t.value as number, span: spanOf(t) });
      case 'string':
        return freeze({ kind: 'string', value: t.value as string, span: spanOf(t) });
      case 'ident':
        if (this.peek().kind === '(') return this.call(t);
        return freeze({ kind: 'signal', name: t.text, span: spanOf(t) });
      case '(': {
        const inner = this.expr(0);
        const close = this.next();
        if (close.kind !== ')') this.unclosed(t, close);
        return inner;
      }
      case 'keyword':
        switch (t.text) {
          case 'null':
            return freeze({ kind: 'null', span: spanOf(t) });
          case 'true':
          case 'false':
            return freeze({ kind: 'bool', value: t.text === 'true', span: spanOf(t) });
          case 'not': {
            if (minBp > BP_NOT) fail('"not" needs parentheses here: write (not …)', spanOf(t));
            const operand = this.expr(BP_NOT);
            return freeze({ kind: 'not', operand, span: sp(t.start, operand.span.end) });
          }
        }
        break;
      case 'op':
        if (t.text === '-') {
          const operand = this.expr(BP_NEG);
          const span = { start: t.start, end: operand.span.end };
          if (operand.kind === 'number') return freeze({ kind: 'number', value: -operand.value, span });
          return freeze({ kind: 'negate', operand, span });
        }
        break;
    }
    this.missingOperand(t);
  }

  private missingOperand(t: Token): never {
    const prev = this.pos >= 2 ? this.tokens[this.pos - 2] : undefined;
    const after = prev ? ` after ${describe(prev)}` : '';
    if (t.kind === 'eof') fail(`expected a value${after}, but the expression ends`, spanOf(t));
    fail(`expected a value${after}, found ${describe(t)}`, spanOf(t));
  }

  private unclosed(open: Token, found: Token): never {
    if (found.kind === 'eof') fail('unclosed "(": missing ")"', spanOf(open));
    fail(`expected ")" to close "(", found ${describe(found)}`, spanOf(found));
  }

  private call(nameTok: Token): Expr {
    const lower = nameTok.text.toLowerCase();
    if (!(FUNCTIONS as readonly string[]).includes(lower)) {
      const close = closest(nameTok.text, FUNCTIONS, 2);
      const dym = close.length ? `did you mean ${close.join(' or ')}? ` : '';
      fail(`unknown function "${nameTok.text}" (${dym}functions: ${FUNCTIONS.join(', ')})`, spanOf(nameTok));
    }
    const open = this.next();
    const args: Expr[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(this.expr(0));
        const t = this.next();
        if (t.kind === ')') break;
        if (t.kind !== ',') {
          if (t.kind === 'eof') fail(`unclosed "(" of ${lower}(): missing ")"`, spanOf(open));
          fail(`expected "," or ")" in the arguments of ${lower}(), found ${describe(t)}`, spanOf(t));
        }
      }
    } else {
      this.next();
    }
    const end = this.tokens[this.pos - 1].end;
    return freeze({ kind: 'call', name: lower as FunctionName, args: Object.freeze(args), nameSpan: spanOf(nameTok), span: sp(nameTok.start, end) });
  }
}

function spanOf(t: Token): Span {
  return sp(t.start, t.end);
}

function sp(start: number, end: number): Span {
  return Object.freeze({ start, end });
}

/** Parses an expression into a frozen AST; throws {@link ExpressionError} on a syntax error. */
export function parseExpression(source: string): Expr {
  return new Parser(source, lex(source)).parse();
}

// ---------------------------------------------------------------------------------------------
// Type checking

/** What a rule needs to know about a signal: one value per document or per line, and its type. */
export interface SignalInfo {
  readonly level: 'doc' | 'line';
  readonly type: 'f64' | 'i64' | 'str' | 'bytes' | 'bands';
}

/** The signals a rule may name: name → level and type (the registry, plus any registered later). */
export type SignalCatalog = ReadonlyMap<string, SignalInfo>;

/** Builds a catalog from signal specs, e.g. `catalogFromSpecs(listSignals().map((r) => r.signal))`. */
export function catalogFromSpecs(specs: Iterable<{ readonly name: string } & SignalInfo>): SignalCatalog {
  const map = new Map<string, SignalInfo>();
  for (const s of specs) map.set(s.name, Object.freeze({ level: s.level, type: s.type }));
  return map;
}

/** `doc`: a `keep` rule, one verdict per document. `line`: a `keep_lines` rule, one per line. */
export type RuleMode = 'doc' | 'line';
export type ValueType = 'number' | 'bool' | 'string';
export type ValueLevel = 'doc' | 'line';
export type AggregateFn = 'sum' | 'mean' | 'min' | 'max' | 'count' | 'frac';

interface CheckedBase {
  readonly type: ValueType;
  /** `line` when the value has one entry per line (it depends on a line signal outside any aggregate). */
  readonly level: ValueLevel;
  readonly span: Span;
}
/** A literal; `null` is the number NaN (null) — see evaluate.ts. */
export interface CheckedConst extends CheckedBase {
  readonly kind: 'const';
  readonly value: number | string | boolean;
}
export interface CheckedSignal extends CheckedBase {
  readonly kind: 'signal';
  readonly name: string;
}
export interface CheckedNegate extends CheckedBase {
  readonly kind: 'negate';
  readonly operand: CheckedNode;
}
export interface CheckedAbs extends CheckedBase {
  readonly kind: 'abs';
  readonly operand: CheckedNode;
}
export interface CheckedArithmetic extends CheckedBase {
  readonly kind: 'arithmetic';
  readonly op: ArithmeticOp;
  readonly left: CheckedNode;
  readonly right: CheckedNode;
}
/** Element-wise `min(a, b, …)` / `max(a, b, …)`. */
export interface CheckedExtremum extends CheckedBase {
  readonly kind: 'extremum';
  readonly op: 'min' | 'max';
  readonly args: readonly CheckedNode[];
}
/** Both operands have the same type (`left.type`). */
export interface CheckedComparison extends CheckedBase {
  readonly kind: 'comparison';
  readonly op: ComparisonOp;
  readonly left: CheckedNode;
  readonly right: CheckedNode;
}
export interface CheckedIsNull extends CheckedBase {
  readonly kind: 'isNull';
  readonly operand: CheckedNode;
  readonly negated: boolean;
}
export interface CheckedNot extends CheckedBase {
  readonly kind: 'not';
  readonly operand: CheckedNode;
}
export interface CheckedLogical extends CheckedBase {
  readonly kind: 'logical';
  readonly op: LogicalOp;
  readonly left: CheckedNode;
  readonly right: CheckedNode;
}
export interface CheckedBetween extends CheckedBase {
  readonly kind: 'between';
  readonly value: CheckedNode;
  readonly low: CheckedNode;
  readonly high: CheckedNode;
}
/** A line aggregate: `arg` is line-level, the result is one number per document. */
export interface CheckedAggregate extends CheckedBase {
  readonly kind: 'aggregate';
  readonly fn: AggregateFn;
  readonly arg: CheckedNode;
}

/** A resolved, typed expression tree, ready to evaluate. */
export type CheckedNode =
  | CheckedConst
  | CheckedSignal
  | CheckedNegate
  | CheckedAbs
  | CheckedArithmetic
  | CheckedExtremum
  | CheckedComparison
  | CheckedIsNull
  | CheckedNot
  | CheckedLogical
  | CheckedBetween
  | CheckedAggregate;

/** A rule that parsed and type-checked. */
export interface CheckedExpression {
  readonly mode: RuleMode;
  readonly ast: Expr;
  readonly root: CheckedNode;
  /** Every signal the rule reads, so the runner computes only those. */
  readonly signals: ReadonlySet<string>;
}

function typeName(t: ValueType): string {
  return t === 'bool' ? 'a condition' : `a ${t}`;
}

class Checker {
  readonly signals = new Set<string>();
  private inAggregate = false;

  constructor(
    private readonly catalog: SignalCatalog,
    private readonly mode: RuleMode,
  ) {}

  check(e: Expr): CheckedNode {
    switch (e.kind) {
      case 'number':
        return node({ kind: 'const', type: 'number', level: 'doc', span: e.span, value: e.value });
      case 'null':
        return node({ kind: 'const', type: 'number', level: 'doc', span: e.span, value: NaN });
      case 'string':
        return node({ kind: 'const', type: 'string', level: 'doc', span: e.span, value: e.value });
      case 'bool':
        return node({ kind: 'const', type: 'bool', level: 'doc', span: e.span, value: e.value });
      case 'signal':
        return this.signal(e);
      case 'negate': {
        const operand = this.expect(e.operand, 'number', 'unary "-" needs a number');
        return node({ kind: 'negate', type: 'number', level: operand.level, span: e.span, operand });
      }
      case 'not': {
        const operand = this.expect(e.operand, 'bool', '"not" needs a condition');
        return node({ kind: 'not', type: 'bool', level: operand.level, span: e.span, operand });
      }
      case 'arithmetic': {
        const left = this.expect(e.left, 'number', `"${e.op}" needs numbers on both sides`);
        const right = this.expect(e.right, 'number', `"${e.op}" needs numbers on both sides`);
        return node({ kind: 'arithmetic', type: 'number', level: join(left, right), span: e.span, op: e.op, left, right });
      }
      case 'logical': {
        const left = this.expect(e.left, 'bool', `"${e.op}" needs conditions on both sides`);
        const right = this.expect(e.right, 'bool', `"${e.op}" needs conditions on both sides`);
        return node({ kind: 'logical', type: 'bool', level: join(left, right), span: e.span, op: e.op, left, right });
      }
      case 'comparison':
        return this.comparison(e);
      case 'isNull': {
        const operand = this.check(e.operand);
        if (operand.type === 'bool') fail(`a condition is never null: "is ${e.negated ? 'not ' : ''}null" applies to values`, e.operand.span);
        return node({ kind: 'isNull', type: 'bool', level: operand.level, span: e.span, operand, negated: e.negated });
      }
      case 'call':
        return this.call(e);
    }
  }

  private expect(e: Expr, type: ValueType, what: string): CheckedNode {
    const c = this.check(e);
    if (c.type !== type) fail(`${what}, but this is ${typeName(c.type)}`, e.span);
    return c;
  }

  private signal(e: SignalRef): CheckedNode {
    const info = this.catalog.get(e.name);
    if (!info) {
      if ((FUNCTIONS as readonly string[]).includes(e.name.toLowerCase())) fail(`${e.name} is a function: write ${e.name.toLowerCase()}(…)`, e.span);
      const close = closest(e.name, [...this.catalog.keys()], 3);
      fail(`unknown signal "${e.name}"${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`, e.span);
    }
    if (info.type === 'bytes' || info.type === 'bands') fail(`signal ${e.name} holds bytes, which rules cannot use`, e.span);
    if (info.level === 'line' && info.type === 'str') fail(`line signal ${e.name} holds strings, which rules cannot use`, e.span);
    if (info.level === 'line' && this.mode === 'doc' && !this.inAggregate) {
      fail(`${e.name} is a line signal (one value per line): in a keep rule wrap it in sum, mean, min, max, count or frac, or filter lines with keep_lines`, e.span);
    }
    this.signals.add(e.name);
    return node({ kind: 'signal', type: info.type === 'str' ? 'string' : 'number', level: info.level, span: e.span, name: e.name });
  }

  private comparison(e: Comparison): CheckedNode {
    for (const side of [e.left, e.right]) {
      if (side.kind !== 'null') continue;
      if (e.op === '==' || e.op === '!=') fail(`comparing with null is never true: write "x is ${e.op === '!=' ? 'not ' : ''}null"`, side.span);
      fail('comparing with null is never true: test for null with "x is null" / "x is not null"', side.span);
    }
    const left = this.check(e.left);
    const right = this.check(e.right);
    if (left.type !== right.type) fail(`cannot compare ${typeName(left.type)} with ${typeName(right.type)}`, e.opSpan);
    if (left.type !== 'number' && e.op !== '==' && e.op !== '!=') {
      fail(`${left.type === 'string' ? 'strings' : 'conditions'} can only be compared with == or !=, not ${e.op}`, e.opSpan);
    }
    return node({ kind: 'comparison', type: 'bool', level: join(left, right), span: e.span, op: e.op, left, right });
  }

  private call(e: Call): CheckedNode {
    const n = e.args.length;
    const argc = (want: number, shape: string): void => {
      if (n !== want) fail(`${e.name}() takes ${want} argument${want === 1 ? '' : 's'} (${shape}), got ${n}`, e.span);
    };
    const numberArg = (a: Expr, i: number): CheckedNode => {
      const c = this.check(a);
      if (c.type !== 'number') fail(`${e.name}() needs numbers, but argument ${i + 1} is ${typeName(c.type)}`, a.span);
      return c;
    };
    switch (e.name) {
      case 'between': {
        argc(3, 'x, low, high');
        const [value, low, high] = e.args.map(numberArg);
        return node({ kind: 'between', type: 'bool', level: join(value, low, high), span: e.span, value, low, high });
      }
      case 'abs': {
        argc(1, 'x');
        const operand = numberArg(e.args[0], 0);
        return node({ kind: 'abs', type: 'number', level: operand.level, span: e.span, operand });
      }
      case 'min':
      case 'max':
        if (n === 0) fail(`${e.name}() needs arguments: ${e.name}(line expression) over lines, or ${e.name}(a, b, …) of values`, e.span);
        if (n === 1) return this.aggregate(e);
        {
          const args = Object.freeze(e.args.map(numberArg));
          return node({ kind: 'extremum', type: 'number', level: join(...args), span: e.span, op: e.name, args });
        }
      case 'sum':
      case 'mean':
      case 'count':
      case 'frac':
        argc(1, e.name === 'sum' || e.name === 'mean' ? 'a line expression' : 'a line condition');
        return this.aggregate(e);
    }
  }

  private aggregate(e: Call): CheckedNode {
    const fn = e.name as AggregateFn;
    if (this.mode === 'line') fail(`${fn}() aggregates over a document's lines, which keep_lines rules cannot do: each line is judged on its own`, e.span);
    if (this.inAggregate) fail(`aggregates cannot be nested (${fn}() inside another aggregate)`, e.span);
    this.inAggregate = true;
    const arg = this.check(e.args[0]);
    this.inAggregate = false;
    const counting = fn === 'count' || fn === 'frac';
    if (counting && arg.type !== 'bool') fail(`${fn}() needs a condition on lines, e.g. ${fn}(rps_lines_num_words >= 5), but this is ${typeName(arg.type)}`, e.args[0].span);
    if (!counting && arg.type !== 'number') fail(`${fn}() needs a number per line, but this is ${typeName(arg.type)}`, e.args[0].span);
    if (arg.level !== 'line') {
      const alt = fn === 'min' || fn === 'max' ? `; for the ${fn === 'min' ? 'smaller' : 'larger'} of values write ${fn}(a, b)` : '';
      fail(`${fn}() aggregates over lines, but its argument uses no line signal${alt}`, e.args[0].span);
    }
    return node({ kind: 'aggregate', type: 'number', level: 'doc', span: e.span, fn, arg });
  }
}

function node<T extends CheckedNode>(n: T): T {
  return Object.freeze(n);
}

function join(...nodes: CheckedNode[]): ValueLevel {
  return nodes.some((n) => n.level === 'line') ? 'line' : 'doc';
}

/**
 * Resolves names and checks types and levels. `mode` `doc` (a `keep` rule): line signals only
 * inside aggregates. `line` (a `keep_lines` rule): line signals are per line, document signals
 * broadcast to every line of their document, no aggregates, and at least one line signal.
 * Throws {@link ExpressionError}.
 */
export function checkExpression(ast: Expr, catalog: SignalCatalog, mode: RuleMode): CheckedExpression {
  const checker = new Checker(catalog, mode);
  const root = checker.check(ast);
  if (root.type !== 'bool') {
    fail(`a rule must be a condition (true or false), but this is ${typeName(root.type)}: compare it, e.g. "… > 0"`, ast.span);
  }
  if (mode === 'line' && root.level !== 'line') {
    fail('a keep_lines rule must use a line signal (rps_lines_…); for a document-level condition use keep', ast.span);
  }
  return Object.freeze({ mode, ast, root, signals: checker.signals });
}

/**
 * Parses and checks a rule. On error throws an {@link ExpressionError} (a SieveError) whose
 * message is one line `L:C reason` and whose `hint` holds the source line and carets. `base` is
 * where the expression starts in the recipe file (1-based), so positions point into that file.
 */
export function parseRule(source: string, catalog: SignalCatalog, mode: RuleMode, base?: SourcePosition): CheckedExpression {
  try {
    return checkExpression(parseExpression(source), catalog, mode);
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    const formatted = formatExpressionError(source, err, base);
    const cut = formatted.indexOf('\n');
    const { line, column } = position(source, err.offset, base);
    throw new ExpressionError(err.reason, err.offset, err.length, { message: formatted.slice(0, cut), hint: formatted.slice(cut + 1), line, column, cause: err });
  }
}
