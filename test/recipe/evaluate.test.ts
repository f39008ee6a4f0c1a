import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as arrow from 'apache-arrow';
import { SignalBatchBuilder } from '../../src/columns/signal-columns.js';
import { SieveError } from '../../src/errors.js';
import { writeParquet } from '../../src/io/parquet-writer.js';
import { readParquetBatches } from '../../src/io/parquet.js';
import type { DocColumn, LineColumn, RuleColumns } from '../../src/recipe/columns.js';
import { columnsFromArrow } from '../../src/recipe/columns.js';
import { evaluateDocRule, evaluateLineRule } from '../../src/recipe/evaluate.js';
import type { RuleMode, SignalCatalog } from '../../src/recipe/expression.js';
import { catalogFromSpecs, parseRule } from '../../src/recipe/expression.js';
import type { SignalSpec } from '../../src/signal.js';
import { seededRandom, tempDir } from '../helpers.js';

// --- a small in-memory batch --------------------------------------------------------------------

type DocValue = number | string | null;

/** Documents as plain rows: the reference evaluator reads these, the vectorised one columns. */
interface Row {
  readonly doc: Readonly<Record<string, DocValue>>;
  readonly lines: Readonly<Record<string, readonly number[]>>;
}

const CATALOG: SignalCatalog = catalogFromSpecs([
  { name: 'd_int', level: 'doc', type: 'i64' },
  { name: 'd_f', level: 'doc', type: 'f64' },
  { name: 'd_z', level: 'doc', type: 'f64' },
  { name: 's', level: 'doc', type: 'str' },
  { name: 'l_a', level: 'line', type: 'f64' },
  { name: 'l_b', level: 'line', type: 'i64' },
]);

/** Numbers with nulls as a `valid` byte array for `nullsAsValid` names, as NaN for the others. */
function columnsOf(rows: readonly Row[], nullsAsValid: readonly string[] = []): RuleColumns {
  return {
    length: rows.length,
    doc(name: string): DocColumn {
      const vals = rows.map((r) => r.doc[name]);
      if (vals.some((v) => typeof v === 'string')) return { strings: vals as (string | null)[] };
      if (nullsAsValid.includes(name)) {
        return { values: Float64Array.from(vals, (v) => (v === null ? 12345 : (v as number))), valid: Uint8Array.from(vals, (v) => (v === null ? 0 : 1)) };
      }
      return { values: Float64Array.from(vals, (v) => (v === null ? NaN : (v as number))) };
    },
    lines(name: string): LineColumn {
      const offsets = new Int32Array(rows.length + 1);
      const values: number[] = [];
      rows.forEach((r, i) => {
        values.push(...r.lines[name]);
        offsets[i + 1] = values.length;
      });
      return { offsets, values: Float64Array.from(values) };
    },
  };
}

function randomRows(rng: () => number, n: number): Row[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const nLines = rng() < 0.2 ? 0 : 1 + Math.floor(rng() * 5);
    rows.push({
      doc: {
        d_int: rng() < 0.15 ? null : Math.floor(rng() * 21),
        d_f: rng() < 0.15 ? null : Math.round((rng() * 4 - 2) * 4) / 4,
        d_z: pick([0, 1, 2, 3]),
        s: pick(['en', 'de', null, 'fr']),
      },
      lines: {
        l_a: Array.from({ length: nLines }, () => pick([0, 0.5, 1, 2])),
        l_b: Array.from({ length: nLines }, () => Math.floor(rng() * 7)),
      },
    });
  }
  return rows;
}

// --- random expressions, a printer, and a naive per-row reference evaluator ---------------------

type G =
  | { t: 'num'; v: number | null }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'sig'; name: string; line: boolean }
  | { t: 'neg' | 'abs'; a: G }
  | { t: 'ar'; op: '+' | '-' | '*' | '/' | '%'; a: G; b: G }
  | { t: 'ext'; op: 'min' | 'max'; args: G[] }
  | { t: 'agg'; fn: 'sum' | 'mean' | 'min' | 'max' | 'count' | 'frac'; a: G }
  | { t: 'cmp'; op: string; ty: 'num' | 'str' | 'bool'; a: G; b: G }
  | { t: 'isnull'; neg: boolean; a: G }
  | { t: 'not'; a: G }
  | { t: 'log'; op: 'and' | 'or'; a: G; b: G }
  | { t: 'between'; a: G; lo: G; hi: G };

interface Cx {
  readonly lineOk: boolean;
  readonly aggOk: boolean;
}

class Gen {
  constructor(private readonly rng: () => number) {}
  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rng() * xs.length)];
  }
  private chance(p: number): boolean {
    return this.rng() < p;
  }

  num(depth: number, cx: Cx, nullOk = true): G {
    const leaf = depth <= 0 || this.chance(0.3);
    if (leaf) {
      const r = this.rng();
      if (r < 0.3) return { t: 'num', v: nullOk && this.chance(0.1) ? null : this.pick([0, 1, 2, 3, 0.5, -1, -0.25, 10, 1.5]) };
      if (cx.lineOk && r < 0.7) return { t: 'sig', name: this.pick(['l_a', 'l_b']), line: true };
      return { t: 'sig', name: this.pick(['d_int', 'd_f', 'd_z']), line: false };
    }
    const kinds = ['neg', 'abs', 'ar', 'ar', 'ar', 'ext', ...(cx.aggOk ? ['agg', 'agg', 'agg'] : [])];
    switch (this.pick(kinds)) {
      case 'neg':
        return { t: 'neg', a: this.num(depth - 1, cx, false) };
      case 'abs':
        return { t: 'abs', a: this.num(depth - 1, cx) };
      case 'ar':
        return { t: 'ar', op: this.pick(['+', '-', '*', '/', '%'] as const), a: this.num(depth - 1, cx), b: this.num(depth - 1, cx) };
      case 'ext':
        return { t: 'ext', op: this.pick(['min', 'max'] as const), args: Array.from({ length: 2 + Math.floor(this.rng() * 2) }, () => this.num(depth - 1, cx)) };
      default:
        return this.aggregate(depth);
    }
  }

  private aggregate(depth: number): G {
    const inner: Cx = { lineOk: true, aggOk: false };
    const fn = this.pick(['sum', 'mean', 'min', 'max', 'count', 'frac'] as const);
    if (fn === 'count' || fn === 'frac') {
      let a = this.bool(depth - 1, inner);
      if (!hasLine(a)) a = { t: 'log', op: 'and', a, b: { t: 'cmp', op: '>=', ty: 'num', a: { t: 'sig', name: 'l_b', line: true }, b: { t: 'num', v: 2 } } };
      return { t: 'agg', fn, a };
    }
    let a = this.num(depth - 1, inner);
    if (!hasLine(a)) a = { t: 'ar', op: '+', a, b: { t: 'sig', name: 'l_a', line: true } };
    return { t: 'agg', fn, a };
  }

  private str(): G {
    return this.chance(0.7) ? { t: 'sig', name: 's', line: false } : { t: 'str', v: this.pick(['en', 'de', 'xx']) };
  }

  bool(depth: number, cx: Cx): G {
    const cmpNum = (): G => ({ t: 'cmp', op: this.pick(['==', '!=', '<', '<=', '>', '>=']), ty: 'num', a: this.num(depth - 1, cx, false), b: this.num(depth - 1, cx, false) });
    if (depth <= 0) return cmpNum();
    const r = this.rng();
    if (r < 0.3) return cmpNum();
    if (r < 0.38) return { t: 'cmp', op: this.pick(['==', '!=']), ty: 'str', a: this.str(), b: this.str() };
    if (r < 0.46) return { t: 'isnull', neg: this.chance(0.5), a: this.chance(0.3) ? this.str() : this.num(depth - 1, cx) };
    if (r < 0.56) return { t: 'not', a: this.bool(depth - 1, cx) };
    if (r < 0.84) return { t: 'log', op: this.pick(['and', 'or'] as const), a: this.bool(depth - 1, cx), b: this.bool(depth - 1, cx) };
    if (r < 0.92) return { t: 'between', a: this.num(depth - 1, cx), lo: this.num(depth - 1, cx), hi: this.num(depth - 1, cx) };
    if (r < 0.96) return { t: 'cmp', op: this.pick(['==', '!=']), ty: 'bool', a: this.bool(depth - 1, cx), b: this.bool(depth - 1, cx) };
    return { t: 'bool', v: this.chance(0.5) };
  }
}

function hasLine(g: G): boolean {
  switch (g.t) {
    case 'sig':
      return g.line;
    case 'num':
    case 'str':
    case 'bool':
      return false;
    case 'agg':
      return false; // an aggregate is one value per document
    case 'ext':
      return g.args.some(hasLine);
    case 'between':
      return hasLine(g.a) || hasLine(g.lo) || hasLine(g.hi);
    case 'neg':
    case 'abs':
    case 'not':
    case 'isnull':
      return hasLine(g.a);
    default:
      return hasLine(g.a) || hasLine(g.b);
  }
}

/** Prints with as few parentheses as the precedence table allows, plus a few random extra ones. */
function print(g: G, rng: () => number): string {
  const kw = (k: string): string => (rng() < 0.2 ? k.toUpperCase() : k);
  const sp = (): string => (rng() < 0.2 ? '  ' : ' ');
  const at = (child: G, min: number): string => {
    const [s, prec] = go(child);
    return prec < min || rng() < 0.08 ? `(${s})` : s;
  };
  const go = (x: G): [string, number] => {
    switch (x.t) {
      case 'num':
        return x.v === null ? [kw('null'), 8] : [String(x.v), x.v < 0 ? 7 : 8];
      case 'str':
        return [rng() < 0.5 ? `'${x.v}'` : `"${x.v}"`, 8];
      case 'bool':
        return [kw(String(x.v)), 8];
      case 'sig':
        return [x.name, 8];
      case 'neg': {
        const s = at(x.a, 7);
        return [`-${s.startsWith('-') ? ' ' : ''}${s}`, 7];
      }
      case 'abs':
        return [`${kw('abs')}(${at(x.a, 0)})`, 8];
      case 'ext':
        return [`${x.op}(${x.args.map((a) => at(a, 0)).join(`,${sp()}`)})`, 8];
      case 'agg':
        return [`${kw(x.fn)}(${at(x.a, 0)})`, 8];
      case 'between':
        return [`between(${at(x.a, 0)}, ${at(x.lo, 0)}, ${at(x.hi, 0)})`, 8];
      case 'ar': {
        const p = x.op === '+' || x.op === '-' ? 5 : 6;
        return [`${at(x.a, p)}${sp()}${x.op}${sp()}${at(x.b, p + 1)}`, p];
      }
      case 'cmp':
        return [`${at(x.a, 5)}${sp()}${x.op}${sp()}${at(x.b, 5)}`, 4];
      case 'isnull':
        return [`${at(x.a, 5)} ${kw('is')} ${x.neg ? `${kw('not')} ` : ''}${kw('null')}`, 4];
      case 'not':
        return [`${kw('not')} ${at(x.a, 3)}`, 3];
      case 'log': {
        const p = x.op === 'and' ? 2 : 1;
        return [`${at(x.a, p)} ${kw(x.op)} ${at(x.b, p + 1)}`, p];
      }
    }
  };
  return go(g)[0];
}

type V = number | string | boolean | null;

/** The semantics of evaluate.ts, written row by row with JS values and `null`. */
function reference(g: G, row: Row, line: number): V {
  const num = (x: G): number | null => reference(x, row, line) as number | null;
  const bool = (x: G): boolean => reference(x, row, line) as boolean;
  switch (g.t) {
    case 'num':
    case 'str':
    case 'bool':
      return g.v;
    case 'sig':
      return g.line ? row.lines[g.name][line] : row.doc[g.name];
    case 'neg': {
      const a = num(g.a);
      return a === null ? null : -a;
    }
    case 'abs': {
      const a = num(g.a);
      return a === null ? null : Math.abs(a);
    }
    case 'ar': {
      const a = num(g.a);
      const b = num(g.b);
      if (a === null || b === null) return null;
      if ((g.op === '/' || g.op === '%') && b === 0) return null;
      return g.op === '+' ? a + b : g.op === '-' ? a - b : g.op === '*' ? a * b : g.op === '/' ? a / b : a % b;
    }
    case 'ext': {
      const vals = g.args.map(num);
      if (vals.some((v) => v === null)) return null;
      return (g.op === 'min' ? Math.min : Math.max)(...(vals as number[]));
    }
    case 'agg': {
      const n = row.lines.l_a.length;
      const vals = Array.from({ length: n }, (_, j) => reference(g.a, row, j));
      if (g.fn === 'count' || g.fn === 'frac') {
        const k = vals.filter((v) => v === true).length;
        return g.fn === 'count' ? k : n === 0 ? null : k / n;
      }
      if (vals.some((v) => v === null)) return null;
      const nums = vals as number[];
      if (g.fn === 'sum') return nums.reduce((s, v) => s + v, 0);
      if (n === 0) return null;
      if (g.fn === 'mean') return nums.reduce((s, v) => s + v, 0) / n;
      return nums.reduce((m, v) => (g.fn === 'min' ? (v < m ? v : m) : v > m ? v : m));
    }
    case 'cmp': {
      const a = reference(g.a, row, line);
      const b = reference(g.b, row, line);
      if (a === null || b === null) return false;
      switch (g.op) {
        case '==':
          return a === b;
        case '!=':
          return a !== b;
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        default:
          return a >= b;
      }
    }
    case 'isnull':
      return (reference(g.a, row, line) === null) !== g.neg;
    case 'not':
      return !bool(g.a);
    case 'log':
      return g.op === 'and' ? bool(g.a) && bool(g.b) : bool(g.a) || bool(g.b);
    case 'between': {
      const [a, lo, hi] = [num(g.a), num(g.lo), num(g.hi)];
      return a !== null && lo !== null && hi !== null && a >= lo && a <= hi;
    }
  }
}

function referenceVerdicts(g: G, rows: readonly Row[], mode: RuleMode): number[] {
  const out: number[] = [];
  for (const row of rows) {
    if (mode === 'doc') out.push(reference(g, row, -1) ? 1 : 0);
    else for (let j = 0; j < row.lines.l_a.length; j++) out.push(reference(g, row, j) ? 1 : 0);
  }
  return out;
}

// --- tests ----------------------------------------------------------------------------------------

function evaluate(src: string, cols: RuleColumns, mode: RuleMode = 'doc', catalog: SignalCatalog = CATALOG): number[] {
  const checked = parseRule(src, catalog, mode);
  return [...(mode === 'doc' ? evaluateDocRule(checked, cols) : evaluateLineRule(checked, cols))];
}

describe('rule evaluation', () => {
  it('agrees with a naive per-row evaluator on many random expressions (seeded, with nulls)', () => {
    const rng = seededRandom(20240611);
    const rows = randomRows(rng, 300);
    const cols = columnsOf(rows, ['d_int']);
    const gen = new Gen(rng);
    let kept = 0;
    let total = 0;
    for (let k = 0; k < 600; k++) {
      const mode: RuleMode = k % 3 === 2 ? 'line' : 'doc';
      const depth = 1 + (k % 5);
      let g = gen.bool(depth, mode === 'doc' ? { lineOk: false, aggOk: true } : { lineOk: true, aggOk: false });
      while (mode === 'line' && !hasLine(g)) g = gen.bool(depth, { lineOk: true, aggOk: false });
      const src = print(g, rng);
      const got = evaluate(src, cols, mode);
      const want = referenceVerdicts(g, rows, mode);
      assert.equal(got.length, want.length, src);
      const first = want.findIndex((w, i) => w !== got[i]);
      assert.equal(first, -1, `${mode} rule ${src}: differs at ${first}`);
      kept += want.reduce((s, v) => s + v, 0);
      total += want.length;
    }
    // Guard against a generator that only ever produces all-false or all-true rules.
    assert.ok(kept > total * 0.1 && kept < total * 0.9, `kept ${kept} of ${total}`);
  });

  it('null semantics: comparisons with null are false, and not/and/or are two-valued after them', () => {
    const catalog = catalogFromSpecs([
      { name: 'x', level: 'doc', type: 'f64' },
      { name: 'y', level: 'doc', type: 'f64' },
      { name: 's', level: 'doc', type: 'str' },
    ]);
    const doc = (x: number | null, y: number | null, s: string | null): Row => ({ doc: { x, y, s }, lines: {} });
    const cols = columnsOf([doc(null, 1, 'en'), doc(3, 0, null), doc(7, 2, 'de'), doc(0, null, 'en')], ['y']);
    const ev = (src: string): number[] => evaluate(src, cols, 'doc', catalog);
    assert.deepEqual(ev('x > 5'), [0, 0, 1, 0]);
    assert.deepEqual(ev('x <= 5'), [0, 1, 0, 1], 'x > 5 and x <= 5 are both false for null x');
    assert.deepEqual(ev('x == 3'), [0, 1, 0, 0]);
    assert.deepEqual(ev('x != 3'), [0, 0, 1, 1], '!= is false for null too');
    assert.deepEqual(ev('not (x > 5)'), [1, 1, 0, 1], 'not of a comparison false because of null is true');
    assert.deepEqual(ev('x is not null and not (x > 5)'), [0, 1, 0, 1], 'the recommended way to drop nulls');
    assert.deepEqual(ev('x is null'), [1, 0, 0, 0]);
    assert.deepEqual(ev('y is null'), [0, 0, 0, 1], 'nulls given by a validity array');
    assert.deepEqual(ev('x + y is null'), [1, 0, 0, 1], 'arithmetic with null is null');
    assert.deepEqual(ev('x / y is null'), [1, 1, 0, 1], 'division by zero is null');
    assert.deepEqual(ev('x % y is null'), [1, 1, 0, 1], 'remainder by zero is null');
    assert.deepEqual(ev('x / y >= 0 or x / y < 0'), [0, 0, 1, 0]);
    assert.deepEqual(ev('-x < 0 or abs(x) == 0'), [0, 1, 1, 1]);
    assert.deepEqual(ev('min(x, y) is null'), [1, 0, 0, 1], 'min/max of values is null if any is');
    assert.deepEqual(ev('max(x, y, 5) == 7'), [0, 0, 1, 0]);
    assert.deepEqual(ev('between(x, 0, 5)'), [0, 1, 0, 1], 'between is inclusive and false for null');
    assert.deepEqual(ev('between(x, y, 10)'), [0, 1, 1, 0]);
    assert.deepEqual(ev('null is null and not (null is not null)'), [1, 1, 1, 1]);
    assert.deepEqual(ev('x + null is null'), [1, 1, 1, 1]);
    assert.deepEqual(ev('x + null != 1 or 1 + null != 2 or 2 < null + 1'), [0, 0, 0, 0], 'constants too');
    assert.deepEqual(ev('s == "en"'), [1, 0, 0, 1]);
    assert.deepEqual(ev("s != 'en'"), [0, 0, 1, 0], 'a null string is neither equal nor unequal');
    assert.deepEqual(ev('s is null'), [0, 1, 0, 0]);
    assert.deepEqual(ev('true'), [1, 1, 1, 1]);
    assert.deepEqual(ev('false or 1 > 2'), [0, 0, 0, 0]);
    assert.deepEqual(ev('(x > 1) == (y > 1)'), [1, 0, 1, 1], 'conditions compare as booleans');
    assert.deepEqual(ev('-7 % 3 == -1 and 7.5 % 2 == 1.5'), [1, 1, 1, 1], '% keeps the sign of the dividend');
  });

  it('aggregates: sum of no lines is 0, mean/min/max/frac of none are null, a null line value makes the result null', () => {
    const rows: Row[] = [
      { doc: { d_int: 1, d_f: 0, d_z: 1, s: 'en' }, lines: { l_a: [], l_b: [] } },
      { doc: { d_int: 2, d_f: null, d_z: 1, s: 'en' }, lines: { l_a: [1, 0, 2], l_b: [4, 5, 6] } },
      { doc: { d_int: null, d_f: 2, d_z: 1, s: 'en' }, lines: { l_a: [1, 1], l_b: [0, 9] } },
    ];
    const cols = columnsOf(rows);
    const ev = (src: string): number[] => evaluate(src, cols);
    assert.deepEqual(ev('sum(l_a) == 0'), [1, 0, 0]);
    assert.deepEqual(ev('sum(l_b) == 15'), [0, 1, 0]);
    assert.deepEqual(ev('mean(l_a) is null'), [1, 0, 0]);
    assert.deepEqual(ev('mean(l_a) == 1'), [0, 1, 1]);
    assert.deepEqual(ev('min(l_a) is null and max(l_a) is null'), [1, 0, 0]);
    assert.deepEqual(ev('min(l_a) == 0 and max(l_b) == 6'), [0, 1, 0]);
    assert.deepEqual(ev('count(l_b >= 5) == 0'), [1, 0, 0]);
    assert.deepEqual(ev('count(l_b >= 5)'.concat(' == 2')), [0, 1, 0]);
    assert.deepEqual(ev('frac(l_b >= 5) is null'), [1, 0, 0]);
    assert.deepEqual(ev('frac(l_b >= 5) == 0.5'), [0, 0, 1]);
    assert.deepEqual(ev('sum(l_b / l_a) is null'), [0, 1, 0], 'a division by zero on one line makes the sum null');
    assert.deepEqual(ev('sum(l_b * d_f) is null'), [0, 1, 0], 'a null document value broadcast to lines');
    assert.deepEqual(ev('min(l_b / l_a) is null or max(l_b / l_a) is null'), [1, 1, 0], 'a null after the first line sticks');
    assert.deepEqual(ev('min(l_b / l_a) is null and max(l_b / l_a) is null'), [1, 1, 0]);
    assert.deepEqual(ev('count(l_b >= d_int * 3) == 1'), [0, 1, 0], 'document values broadcast inside aggregates');
    // The Gopher bullet rule: an empty document gives 0 / 0, so null, so the rule is false.
    const gopher = catalogFromSpecs([
      { name: 'rps_lines_start_with_bulletpoint', level: 'line', type: 'f64' },
      { name: 'ccnet_nlines', level: 'doc', type: 'f64' },
    ]);
    const g = columnsOf([
      { doc: { ccnet_nlines: 0 }, lines: { rps_lines_start_with_bulletpoint: [] } },
      { doc: { ccnet_nlines: 10 }, lines: { rps_lines_start_with_bulletpoint: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0] } },
      { doc: { ccnet_nlines: 10 }, lines: { rps_lines_start_with_bulletpoint: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] } },
    ]);
    assert.deepEqual(evaluate('sum(rps_lines_start_with_bulletpoint) / ccnet_nlines <= 0.9', g, 'doc', gopher), [0, 1, 0]);
  });

  it('keep_lines rules give one verdict per line in document order, broadcasting document signals', () => {
    const catalog = catalogFromSpecs([
      { name: 'rps_lines_ending_with_terminal_punctution_mark', level: 'line', type: 'f64' },
      { name: 'rps_lines_num_words', level: 'line', type: 'i64' },
      { name: 'lang', level: 'doc', type: 'str' },
      { name: 'wc', level: 'doc', type: 'f64' },
    ]);
    const row = (lang: string | null, wc: number | null, punct: number[], words: number[]): Row => ({
      doc: { lang, wc },
      lines: { rps_lines_ending_with_terminal_punctution_mark: punct, rps_lines_num_words: words },
    });
    const cols = columnsOf([row('en', 10, [1, 0, 1], [5, 9, 4]), row('de', null, [], []), row(null, 3, [1, 1], [7, 5])]);
    const c4 = 'rps_lines_ending_with_terminal_punctution_mark == 1 and rps_lines_num_words >= 5';
    assert.deepEqual(evaluate(c4, cols, 'line', catalog), [1, 0, 0, 1, 1]);
    assert.deepEqual(evaluate('rps_lines_num_words >= 5 and lang == "en"', cols, 'line', catalog), [1, 1, 0, 0, 0]);
    assert.deepEqual(evaluate('rps_lines_num_words * 2 > wc', cols, 'line', catalog), [0, 1, 0, 1, 1]);
    assert.deepEqual(evaluate('rps_lines_num_words > 0 or wc > 5', cols, 'line', catalog), [1, 1, 1, 1, 1]);
    assert.deepEqual(evaluate('rps_lines_num_words > 0 and not (wc > 5)', cols, 'line', catalog), [0, 0, 0, 1, 1]);
    assert.equal(evaluateLineRule(parseRule(c4, catalog, 'line'), columnsOf([])).length, 0, 'an empty batch');
  });

  it('rejects columns that do not fit the rule', () => {
    const rows = randomRows(seededRandom(7), 5);
    const good = columnsOf(rows);
    const checked = parseRule('sum(l_a) > 0 and count(l_b > 1) > 0', CATALOG, 'doc');
    const code = (err: unknown, re: RegExp): boolean => err instanceof SieveError && err.code === 'E_INPUT_FIELD' && re.test(err.message);
    const skewed: RuleColumns = {
      ...good,
      lines: (name) => (name === 'l_b' ? { offsets: Int32Array.from([0, 0, 0, 0, 0, 0]), values: new Float64Array(0) } : good.lines(name)),
    };
    assert.throws(() => evaluateDocRule(checked, skewed), (e) => code(e, /disagree on the lines of document/));
    const short: RuleColumns = { ...good, doc: () => ({ values: new Float64Array(2) }) };
    assert.throws(() => evaluateDocRule(parseRule('d_f > 0', CATALOG, 'doc'), short), (e) => code(e, /has 2 values for 5 documents/));
    const strings: RuleColumns = { ...good, doc: () => ({ strings: ['a', 'b', 'c', 'd', 'e'] }) };
    assert.throws(() => evaluateDocRule(parseRule('d_f > 0', CATALOG, 'doc'), strings), (e) => code(e, /holds strings/));
    assert.throws(
      () => evaluateLineRule(checked, good),
      (e) => e instanceof SieveError && e.code === 'E_USAGE',
    );
  });

  it('does not write into the input columns', () => {
    const rows = randomRows(seededRandom(3), 50);
    const cols = columnsOf(rows);
    const f = cols.doc('d_f');
    const copy = Float64Array.from((f as { values: Float64Array }).values);
    const fixed: RuleColumns = { ...cols, doc: (n) => (n === 'd_f' ? f : cols.doc(n)) };
    evaluateDocRule(parseRule('not (d_f > 0) and -d_f < 1 and d_f is not null or abs(d_f) == 1', CATALOG, 'doc'), fixed);
    assert.deepEqual((f as { values: Float64Array }).values, copy);
  });
});

describe('columnsFromArrow', () => {
  const SPECS: SignalSpec[] = [
    { name: 'wc', level: 'doc', type: 'i64', description: '' },
    { name: 'ratio', level: 'doc', type: 'f64', description: '' },
    { name: 'full', level: 'doc', type: 'f64', description: '' },
    { name: 'lang', level: 'doc', type: 'str', description: '' },
    { name: 'sig', level: 'doc', type: 'bytes', description: '' },
    { name: 'rps_lines_x', level: 'line', type: 'f64', description: '' },
    { name: 'rps_lines_n', level: 'line', type: 'i64', description: '' },
  ];
  const CAT = catalogFromSpecs(SPECS);

  function build(rows: number, start = 0): arrow.RecordBatch {
    const b = new SignalBatchBuilder(SPECS);
    for (let i = start; i < start + rows; i++) {
      const n = i % 4;
      b.append(
        `doc-${i}`,
        [i % 5 === 0 ? null : 2 ** 40 + i, i % 3 === 0 ? null : i / 8, i, i % 2 ? 'en' : i % 7 ? 'de' : null, new Uint8Array([1])],
        Uint32Array.from({ length: n }, (_, j) => (j + 1) * 10),
        [Float64Array.from({ length: n }, (_, j) => j / 2), Uint32Array.from({ length: n }, (_, j) => i + j)],
      );
    }
    return b.flush();
  }

  /** The same documents as plain rows, for the reference results. */
  function expected(rows: number, start = 0): { wc: (number | null)[]; ratio: (number | null)[]; lang: (string | null)[]; x: number[][]; n: number[][] } {
    const r = Array.from({ length: rows }, (_, k) => start + k);
    return {
      wc: r.map((i) => (i % 5 === 0 ? null : 2 ** 40 + i)),
      ratio: r.map((i) => (i % 3 === 0 ? null : i / 8)),
      lang: r.map((i) => (i % 2 ? 'en' : i % 7 ? 'de' : null)),
      x: r.map((i) => Array.from({ length: i % 4 }, (_, j) => j / 2)),
      n: r.map((i) => Array.from({ length: i % 4 }, (_, j) => i + j)),
    };
  }

  function assertColumns(cols: RuleColumns, rows: number, start = 0): void {
    const want = expected(rows, start);
    assert.equal(cols.length, rows);
    const nums = (name: string): (number | null)[] => {
      const c = cols.doc(name);
      assert.ok('values' in c);
      return [...c.values].map((v, i) => (c.valid && !c.valid[i]) || Number.isNaN(v) ? null : v);
    };
    assert.deepEqual(nums('wc'), want.wc, 'Int64 beyond 2^31 converts exactly, nulls are null');
    assert.deepEqual(nums('ratio'), want.ratio);
    const lang = cols.doc('lang');
    assert.ok('strings' in lang);
    assert.deepEqual(lang.strings, want.lang);
    for (const [name, lines] of [['rps_lines_x', want.x], ['rps_lines_n', want.n]] as const) {
      const c = cols.lines(name);
      assert.equal(c.offsets.length, rows + 1);
      const got = Array.from({ length: rows }, (_, i) => [...c.values.subarray(c.offsets[i], c.offsets[i + 1])]);
      assert.deepEqual(got, lines, name);
    }
  }

  it('reads the layout SignalBatchBuilder writes, without copying Float64 columns', () => {
    const batch = build(40);
    const cols = columnsFromArrow(batch);
    assertColumns(cols, 40);
    const full = cols.doc('full');
    assert.ok('values' in full);
    assert.equal(full.values.buffer, batch.getChild('full')?.data[0].values.buffer, 'Float64 without nulls is used in place');
    assert.equal(cols.lines('rps_lines_x').values.buffer, batch.getChild('rps_lines_x')?.data[0].children[0].values.buffer, 'List<Float64> is used in place');
    assert.equal(cols.doc('wc'), cols.doc('wc'), 'columns are converted once');
    const checked = parseRule('wc is not null and ratio > 2 and lang == "en" and frac(rps_lines_x >= 0.5) >= 0.5 and max(rps_lines_n) < 30', CAT, 'doc');
    const want = expected(40);
    const ref = want.wc.map((wc, i) => {
      const x = want.x[i];
      const frac = x.length ? x.filter((v) => v >= 0.5).length / x.length : null;
      const max = want.n[i].length ? Math.max(...want.n[i]) : null;
      const ratio = want.ratio[i];
      return wc !== null && ratio !== null && ratio > 2 && want.lang[i] === 'en' && frac !== null && frac >= 0.5 && max !== null && max < 30 ? 1 : 0;
    });
    assert.deepEqual([...evaluateDocRule(checked, cols)], ref);
    assert.ok(ref.includes(1) && ref.includes(0));
    const lines = parseRule('rps_lines_n > 20 and rps_lines_x > 0', CAT, 'line');
    const lineRef = want.n.flatMap((ns, i) => ns.map((v, j) => (v > 20 && want.x[i][j] > 0 ? 1 : 0)));
    assert.deepEqual([...evaluateLineRule(lines, cols)], lineRef);
  });

  it('reads multi-chunk tables and sliced batches', () => {
    const table = new arrow.Table([build(13), build(20, 13), build(0, 33), build(7, 33)]);
    assertColumns(columnsFromArrow(table), 40);
    const sliced = build(40).slice(9, 30);
    assertColumns(columnsFromArrow(sliced), 21, 9);
  });

  it('reads the same values back from Parquet', async () => {
    const path = join(tempDir(), 'signals.parquet');
    async function* batches() {
      yield build(25);
      yield build(15, 25);
    }
    assert.equal(await writeParquet(path, batches()), 40);
    let start = 0;
    for await (const table of readParquetBatches(path, { batchSize: 16 })) {
      assertColumns(columnsFromArrow(table), table.numRows, start);
      start += table.numRows;
    }
    assert.equal(start, 40);
  });

  it('names missing, unusable and misaligned columns', () => {
    const cols = columnsFromArrow(build(4));
    const fieldError = (re: RegExp) => (e: unknown) => e instanceof SieveError && e.code === 'E_INPUT_FIELD' && re.test(e.message);
    assert.throws(() => cols.doc('nope'), fieldError(/no column "nope" \(columns: id, wc, ratio/));
    assert.throws(() => cols.doc('sig'), fieldError(/column "sig" is Binary/));
    assert.throws(() => cols.doc('rps_lines_x'), fieldError(/column "rps_lines_x" is List/));
    assert.throws(() => cols.lines('wc'), fieldError(/a line signal must be a list of numbers/));
    const b = new SignalBatchBuilder(SPECS);
    b.append('a', [1, 1, 1, 'en', null], Uint32Array.from([5, 9]), [Float64Array.from([1, 2]), Uint32Array.from([3])]);
    const bad = columnsFromArrow(b.flush());
    assert.deepEqual([...bad.lines('rps_lines_x').values], [1, 2]);
    assert.throws(() => bad.lines('rps_lines_n'), fieldError(/"rps_lines_n" has 1 values for document 0, but line_ends has 2 lines/));
  });
});
