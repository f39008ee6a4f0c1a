import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SieveError } from '../../src/errors.js';
import type { Expr, RuleMode, SignalCatalog } from '../../src/recipe/expression.js';
import {
  EXPRESSION_ERROR_CODE,
  ExpressionError,
  catalogFromSpecs,
  checkExpression,
  formatExpressionError,
  parseExpression,
  parseRule,
} from '../../src/recipe/expression.js';

const CATALOG: SignalCatalog = catalogFromSpecs([
  { name: 'rps_doc_word_count', level: 'doc', type: 'i64' },
  { name: 'rps_doc_mean_word_length', level: 'doc', type: 'f64' },
  { name: 'ccnet_nlines', level: 'doc', type: 'f64' },
  { name: 'rps_doc_lang', level: 'doc', type: 'str' },
  { name: 'fasttext:dclm', level: 'doc', type: 'f64' },
  { name: 'minhash.sig', level: 'doc', type: 'bytes' },
  { name: 'rps_lines_start_with_bulletpoint', level: 'line', type: 'f64' },
  { name: 'rps_lines_num_words', level: 'line', type: 'i64' },
  { name: 'rps_lines_ending_with_terminal_punctution_mark', level: 'line', type: 'f64' },
]);

/** The tree as a fully parenthesised prefix form, to state precedence without spans. */
function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'string':
      return JSON.stringify(e.value);
    case 'null':
      return 'null';
    case 'bool':
      return String(e.value);
    case 'signal':
      return e.name;
    case 'negate':
      return `(neg ${sexpr(e.operand)})`;
    case 'not':
      return `(not ${sexpr(e.operand)})`;
    case 'arithmetic':
    case 'comparison':
    case 'logical':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'isNull':
      return `(${e.negated ? 'notnull' : 'isnull'} ${sexpr(e.operand)})`;
    case 'call':
      return `(${e.name}${e.args.map((a) => ` ${sexpr(a)}`).join('')})`;
  }
}

const p = (src: string): string => sexpr(parseExpression(src));

/** The one-line message parseRule throws for `src`. */
function ruleError(src: string, mode: RuleMode = 'doc', base?: { line: number; column: number }): ExpressionError {
  try {
    parseRule(src, CATALOG, mode, base);
  } catch (err) {
    assert.ok(err instanceof ExpressionError, `not an ExpressionError: ${String(err)}`);
    assert.ok(err instanceof SieveError);
    assert.equal(err.code, EXPRESSION_ERROR_CODE);
    assert.ok(!err.message.includes('\n'), `message is one line: ${err.message}`);
    return err;
  }
  assert.fail(`expected ${JSON.stringify(src)} to fail`);
}

describe('expression parser', () => {
  it('parses numbers: integers, decimals, exponents, leading dot, folded minus', () => {
    assert.equal(p('42'), '42');
    assert.equal(p('3.25'), '3.25');
    assert.equal(p('.5'), '0.5');
    assert.equal(p('7.'), '7');
    assert.equal(p('1e3'), '1000');
    assert.equal(p('2.5E-2'), '0.025');
    assert.equal(p('1e+2'), '100');
    assert.equal(p('-4'), '-4');
    assert.equal(p('- 4.5'), '-4.5');
  });

  it('parses strings with both quotes and escapes', () => {
    assert.equal(parseExpression(`'it\\'s'`).kind, 'string');
    const value = (src: string): string => {
      const e = parseExpression(src);
      assert.equal(e.kind, 'string');
      return e.kind === 'string' ? e.value : '';
    };
    assert.equal(value(`'it\\'s'`), "it's");
    assert.equal(value(`"say \\"hi\\""`), 'say "hi"');
    assert.equal(value(`"a'b"`), "a'b");
    assert.equal(value(`'tab\\tnl\\ncr\\rbs\\\\z\\0'`), 'tab\tnl\ncr\rbs\\z\0');
    assert.equal(value(`'\\u00e9\\u{1F600}'`), 'é😀');
    assert.equal(value(`''`), '');
  });

  it('parses keywords case-insensitively, and signal names with dots and colons', () => {
    assert.equal(p('NULL'), 'null');
    assert.equal(p('True'), 'true');
    assert.equal(p('false'), 'false');
    assert.equal(p('a AND b Or NOT c'), '(or (and a b) (not c))');
    assert.equal(p('x IS NOT NULL'), '(notnull x)');
    assert.equal(p('x is null'), '(isnull x)');
    assert.equal(p('fasttext:dclm > 0.5'), '(> fasttext:dclm 0.5)');
    assert.equal(p('a.b_c:d9 == 1'), '(== a.b_c:d9 1)');
    assert.equal(p('Rps_Doc'), 'Rps_Doc', 'signal names keep their case');
  });

  it('parses every operator and function call', () => {
    assert.equal(p('a + b - c * d / e % f'), '(- (+ a b) (% (/ (* c d) e) f))');
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) assert.equal(p(`a ${op} 1`), `(${op} a 1)`);
    assert.equal(p('-a'), '(neg a)');
    assert.equal(p('- -a'), '(neg (neg a))');
    assert.equal(p('between(x, 1, 2)'), '(between x 1 2)');
    assert.equal(p('ABS(x - 1)'), '(abs (- x 1))');
    assert.equal(p('min(a, b, 3)'), '(min a b 3)');
    assert.equal(p('max(a)'), '(max a)');
    assert.equal(p('sum(l) / n'), '(/ (sum l) n)');
    assert.equal(p('mean(l)'), '(mean l)');
    assert.equal(p('count(l >= 5)'), '(count (>= l 5))');
    assert.equal(p('frac(l == 1 and m > 0)'), '(frac (and (== l 1) (> m 0)))');
    assert.equal(p('sum()'), '(sum)');
    assert.equal(p('((a))'), 'a');
  });

  it('binds or < and < not < comparison < +,- < *,/,% < unary minus', () => {
    assert.equal(p('a or b and c'), '(or a (and b c))');
    assert.equal(p('a and b or c'), '(or (and a b) c)');
    assert.equal(p('not a and b'), '(and (not a) b)');
    assert.equal(p('not a == b'), '(not (== a b))');
    assert.equal(p('not x is null'), '(not (isnull x))');
    assert.equal(p('a and not b'), '(and a (not b))');
    assert.equal(p('not not a'), '(not (not a))');
    assert.equal(p('a + b == c * d'), '(== (+ a b) (* c d))');
    assert.equal(p('a + b is not null'), '(notnull (+ a b))');
    assert.equal(p('a - b - c'), '(- (- a b) c)', 'left-associative');
    assert.equal(p('a / b / c'), '(/ (/ a b) c)');
    assert.equal(p('a - (b - c)'), '(- a (- b c))');
    assert.equal(p('-a * b'), '(* (neg a) b)');
    assert.equal(p('a * -b'), '(* a (neg b))');
    assert.equal(p('-2 * 3'), '(* -2 3)');
    assert.equal(p('a or b or c'), '(or (or a b) c)');
    assert.equal(p('(a or b) and c'), '(and (or a b) c)');
    assert.equal(p('(a == b) == (c < d)'), '(== (== a b) (< c d))');
  });

  it('records source spans, including operator and function-name spans', () => {
    const src = 'abs(x) + 10 >= y and s is not null';
    const e = parseExpression(src);
    assert.deepEqual(e.span, { start: 0, end: src.length });
    assert.equal(e.kind, 'logical');
    if (e.kind !== 'logical') return;
    assert.equal(src.slice(e.opSpan.start, e.opSpan.end), 'and');
    const cmp = e.left;
    assert.equal(cmp.kind, 'comparison');
    if (cmp.kind !== 'comparison') return;
    assert.equal(src.slice(cmp.span.start, cmp.span.end), 'abs(x) + 10 >= y');
    assert.equal(src.slice(cmp.opSpan.start, cmp.opSpan.end), '>=');
    const sum = cmp.left;
    assert.equal(sum.kind, 'arithmetic');
    if (sum.kind !== 'arithmetic') return;
    assert.equal(src.slice(sum.left.span.start, sum.left.span.end), 'abs(x)');
    if (sum.left.kind === 'call') assert.equal(src.slice(sum.left.nameSpan.start, sum.left.nameSpan.end), 'abs');
    assert.equal(src.slice(sum.right.span.start, sum.right.span.end), '10');
    assert.equal(src.slice(e.right.span.start, e.right.span.end), 's is not null');
    const neg = parseExpression('  -  7');
    assert.deepEqual(neg.span, { start: 2, end: 6 });
  });

  it('returns a deeply frozen tree', () => {
    const e = parseExpression('sum(a * 2) > 1 and not b is null');
    const walk = (x: unknown): void => {
      if (x === null || typeof x !== 'object' || x instanceof Set) return;
      assert.ok(Object.isFrozen(x), `not frozen: ${JSON.stringify(x)}`);
      for (const v of Object.values(x)) walk(v);
    };
    walk(e);
    walk(checkExpression(parseExpression('sum(rps_lines_num_words) > 1 and rps_doc_lang == "en"'), CATALOG, 'doc'));
  });
});

describe('expression checker', () => {
  it('resolves signals and returns the set of names used', () => {
    const c = parseRule('sum(rps_lines_start_with_bulletpoint) / ccnet_nlines <= 0.9 and rps_doc_word_count >= 50 and rps_doc_word_count <= 100000', CATALOG, 'doc');
    assert.deepEqual([...c.signals].sort(), ['ccnet_nlines', 'rps_doc_word_count', 'rps_lines_start_with_bulletpoint']);
    assert.equal(c.root.type, 'bool');
    assert.equal(c.root.level, 'doc');
    assert.equal(c.mode, 'doc');
  });

  it('types and levels: aggregates make document values, line signals broadcast in line mode', () => {
    const doc = parseRule('frac(rps_lines_num_words > rps_doc_word_count / 100) >= 0.5', CATALOG, 'doc');
    assert.equal(doc.root.kind, 'comparison');
    if (doc.root.kind === 'comparison') {
      assert.equal(doc.root.left.kind, 'aggregate');
      assert.equal(doc.root.left.level, 'doc');
      if (doc.root.left.kind === 'aggregate') assert.equal(doc.root.left.arg.level, 'line');
    }
    const line = parseRule('rps_lines_ending_with_terminal_punctution_mark == 1 and rps_lines_num_words >= 5 or rps_doc_word_count < 10', CATALOG, 'line');
    assert.equal(line.root.level, 'line');
    assert.equal(line.mode, 'line');
    const minmax = parseRule('min(rps_lines_num_words) >= 1 and max(rps_doc_word_count, ccnet_nlines, 3) < 9', CATALOG, 'doc');
    assert.equal(minmax.root.kind, 'logical');
    if (minmax.root.kind === 'logical') {
      const kinds = [minmax.root.left, minmax.root.right].map((n) => (n.kind === 'comparison' ? n.left.kind : n.kind));
      assert.deepEqual(kinds, ['aggregate', 'extremum']);
    }
    assert.equal(parseRule('max(rps_lines_num_words, 2) > 3', CATALOG, 'line').root.level, 'line', 'element-wise min/max works per line');
    assert.ok(parseRule('rps_doc_lang == "en" and "de" != rps_doc_lang', CATALOG, 'doc'));
    assert.ok(parseRule('rps_doc_lang is null or rps_doc_word_count + null is null', CATALOG, 'doc'));
    assert.ok(parseRule('(rps_doc_word_count > 1) == true', CATALOG, 'doc'));
    assert.ok(parseRule('fasttext:dclm >= 0.1', CATALOG, 'doc'));
  });

  it('rejects malformed rules with one line "L:C message" pointing at the right column', () => {
    const cases: [src: string, mode: RuleMode, message: string][] = [
      ["rps_doc_lang == 'en", 'doc', "1:17 unterminated string (missing closing ')"],
      ['rps_doc_word_cout >= 50', 'doc', '1:1 unknown signal "rps_doc_word_cout" (did you mean rps_doc_word_count?)'],
      ['rps_doc_word_count = 50', 'doc', '1:20 "=" is not an operator: use == to compare'],
      ['rps_doc_word_count >= ', 'doc', '1:23 expected a value after ">=", but the expression ends'],
      ['rps_doc_word_count >= and ccnet_nlines > 1', 'doc', '1:23 expected a value after ">=", found "and"'],
      ['(rps_doc_word_count >= 50', 'doc', '1:1 unclosed "(": missing ")"'],
      ['rps_doc_word_count >= 50)', 'doc', '1:25 unbalanced ")": no matching "("'],
      ['summ(rps_lines_num_words) > 1', 'doc', '1:1 unknown function "summ" (did you mean sum? functions: between, abs, min, max, sum, mean, count, frac)'],
      ['rps_lines_num_words >= 5 and sum(rps_lines_num_words) > 1', 'line', "1:30 sum() aggregates over a document's lines, which keep_lines rules cannot do: each line is judged on its own"],
      [
        'rps_doc_word_count > 1 and rps_lines_num_words >= 5',
        'doc',
        '1:28 rps_lines_num_words is a line signal (one value per line): in a keep rule wrap it in sum, mean, min, max, count or frac, or filter lines with keep_lines',
      ],
      ["rps_doc_lang < 'en'", 'doc', '1:14 strings can only be compared with == or !=, not <'],
      ['rps_doc_word_count + 1', 'doc', '1:1 a rule must be a condition (true or false), but this is a number: compare it, e.g. "… > 0"'],
      ['rps_doc_word_count == null', 'doc', '1:23 comparing with null is never true: write "x is null"'],
      ['rps_doc_word_count != null', 'doc', '1:23 comparing with null is never true: write "x is not null"'],
      ['1 < rps_doc_word_count < 5', 'doc', '1:24 comparisons do not chain: write "a < x and x < b", or between(x, a, b)'],
      ['rps_doc_word_count is 5', 'doc', '1:20 expected "null" after "is", found "5" (use == to compare values)'],
      ['rps_doc_word_count not null', 'doc', '1:20 unexpected "not": write "x is not null"'],
      ['rps_doc_word_count > 5 ccnet_nlines', 'doc', '1:24 unexpected "ccnet_nlines": is an operator missing before it?'],
      ['rps_doc_word_count > 5 && ccnet_nlines > 1', 'doc', '1:24 use "and" instead of &&'],
      ['rps_doc_lang == 5', 'doc', '1:14 cannot compare a string with a number'],
      ['between(rps_doc_word_count, 1) ', 'doc', '1:1 between() takes 3 arguments (x, low, high), got 2'],
      ['between(rps_doc_word_count, 1, 2', 'doc', '1:8 unclosed "(" of between(): missing ")"'],
      ['sum(mean(rps_lines_num_words)) > 1', 'doc', '1:5 aggregates cannot be nested (mean() inside another aggregate)'],
      ['sum(rps_doc_word_count) > 1', 'doc', '1:5 sum() aggregates over lines, but its argument uses no line signal'],
      ['min(rps_doc_word_count) > 1', 'doc', '1:5 min() aggregates over lines, but its argument uses no line signal; for the smaller of values write min(a, b)'],
      ['count(rps_lines_num_words) > 1', 'doc', '1:7 count() needs a condition on lines, e.g. count(rps_lines_num_words >= 5), but this is a number'],
      ['rps_doc_word_count > 1 and not', 'doc', '1:31 expected a value after "not", but the expression ends'],
      ['rps_doc_word_count > 1 and ccnet_nlines', 'doc', '1:28 "and" needs conditions on both sides, but this is a number'],
      ['rps_doc_word_count == not ccnet_nlines', 'doc', '1:23 "not" needs parentheses here: write (not …)'],
      ['minhash.sig is null', 'doc', '1:1 signal minhash.sig holds bytes, which rules cannot use'],
      ['rps_doc_word_count > 5', 'line', '1:1 a keep_lines rule must use a line signal (rps_lines_…); for a document-level condition use keep'],
      ['sum > 1', 'doc', '1:1 sum is a function: write sum(…)'],
      ['rps_doc_word_count > 1.5.2', 'doc', '1:22 malformed number "1.5.2"'],
      ['rps_doc_word_count > 1e', 'doc', '1:22 malformed number "1e"'],
      ['rps_doc_lang == "\\q"', 'doc', '1:18 unknown escape \\q (known: \\\\ \\\' \\" \\n \\t \\r \\0 \\uXXXX)'],
      ['rps_doc_word_count > 1 #', 'doc', '1:24 unexpected character "#"'],
      ['', 'doc', '1:1 empty expression'],
      ['(rps_doc_word_count > 1) is null', 'doc', '1:2 a condition is never null: "is null" applies to values'],
      ['abs(rps_doc_lang) > 1', 'doc', '1:5 abs() needs numbers, but argument 1 is a string'],
      ['-rps_doc_lang > 1', 'doc', '1:2 unary "-" needs a number, but this is a string'],
    ];
    assert.ok(cases.length >= 10);
    for (const [src, mode, message] of cases) assert.equal(ruleError(src, mode).message, message, src);
  });

  it('puts the source line and carets under the span in the hint', () => {
    const err = ruleError('rps_doc_word_count >= 50 and rps_doc_mean_word_lenght <= 10');
    assert.equal(err.message, '1:30 unknown signal "rps_doc_mean_word_lenght" (did you mean rps_doc_mean_word_length?)');
    assert.equal(err.hint, ['  rps_doc_word_count >= 50 and rps_doc_mean_word_lenght <= 10', `  ${' '.repeat(29)}${'^'.repeat(24)}`].join('\n'));
    assert.deepEqual([err.offset, err.length, err.line, err.column], [29, 24, 1, 30]);
    const end = ruleError('rps_doc_word_count >');
    assert.equal(end.hint, '  rps_doc_word_count >\n                      ^', 'a caret just past the end');
  });

  it('shifts positions by the base position of the expression in the recipe file', () => {
    const err = ruleError('rps_doc_word_count >= 50 and rps_lines_num_words > 1', 'doc', { line: 12, column: 11 });
    assert.match(err.message, /^12:40 rps_lines_num_words is a line signal/);
    assert.deepEqual([err.line, err.column], [12, 40]);
    const multi = ruleError('rps_doc_word_count >= 50\nand ccnet_nline > 1', 'doc', { line: 4, column: 7 });
    assert.match(multi.message, /^5:11 unknown signal "ccnet_nline"/);
    assert.equal(multi.hint, '  and ccnet_nline > 1\n      ^^^^^^^^^^^');
  });

  it('formats errors with columns in code points and tabs kept before the carets', () => {
    const src = "rps_doc_lang == 'é'\tand x";
    assert.equal(formatExpressionError(src, { reason: 'bad', offset: src.indexOf('x'), length: 1 }), `1:25 bad\n  rps_doc_lang == 'é'\tand x\n  ${' '.repeat(19)}\t    ^`);
    const astral = "'😀' == y";
    assert.equal(formatExpressionError(astral, { reason: 'r', offset: astral.indexOf('y'), length: 1 }).split('\n')[0], '1:8 r', 'an astral character is one column');
    const spans = 'a + (b\n - c)';
    assert.equal(formatExpressionError(spans, { reason: 'r', offset: 4, length: 9 }), '1:5 r\n  a + (b\n      ^^', 'a span running on stops at the line end');
  });

  it('throws ExpressionError with offsets from the lower-level functions', () => {
    assert.throws(
      () => parseExpression('a >'),
      (err: unknown) => err instanceof ExpressionError && err.reason === 'expected a value after ">", but the expression ends' && err.offset === 3 && err.length === 0,
    );
    assert.throws(
      () => checkExpression(parseExpression('nope > 1'), CATALOG, 'doc'),
      (err: unknown) => err instanceof ExpressionError && err.message === 'unknown signal "nope"' && err.offset === 0 && err.length === 4,
    );
  });

  it('suggests signals case-insensitively and from a catalog registered later', () => {
    assert.equal(ruleError('RPS_DOC_WORD_COUNT > 1').message, '1:1 unknown signal "RPS_DOC_WORD_COUNT" (did you mean rps_doc_word_count?)');
    assert.match(ruleError('fasttext:dclmm > 1').message, /did you mean fasttext:dclm\?/);
    const extended = new Map(CATALOG);
    extended.set('dsir:books', { level: 'doc', type: 'f64' });
    assert.deepEqual([...parseRule('dsir:books > 0', extended, 'doc').signals], ['dsir:books']);
  });
});
