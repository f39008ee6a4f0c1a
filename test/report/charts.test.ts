import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRecipeText } from '../../src/recipe/recipe-task.js';
import { ValueCounter, mergeValueCounts, roundValue, totalCount, type ValueCounts } from '../../src/recipe/value-counts.js';
import { displayBins, formatNumber } from '../../src/report/bins.js';
import { escapeHtml, html } from '../../src/report/html.js';
import { ruleThresholds } from '../../src/report/thresholds.js';
import { ROOT } from '../helpers.js';

function counted(values: readonly number[]): ValueCounts {
  const c = new ValueCounter();
  for (const v of values) c.add(v);
  return c.counts();
}

describe('report building blocks (issue 10)', () => {
  it('finds the thresholds of the bundled recipes, and only those that cut a bare signal', () => {
    const recipe = parseRecipeText(readFileSync(join(ROOT, 'recipes', 'rpv2-gopher.yaml'), 'utf8'), 'rpv2-gopher.yaml');
    const found = recipe.steps.map((s) => ('source' in s ? ruleThresholds(s.source) : []));
    assert.deepEqual(found, [
      [{ signal: 'rps_doc_word_count', op: '>=', value: 50 }, { signal: 'rps_doc_word_count', op: '<=', value: 100000 }],
      [{ signal: 'rps_doc_mean_word_length', op: '>=', value: 3 }, { signal: 'rps_doc_mean_word_length', op: '<=', value: 10 }],
      [{ signal: 'rps_doc_symbol_to_word_ratio', op: '<=', value: 0.1 }],
      [],
      [{ signal: 'rps_doc_frac_chars_top_2gram', op: '<=', value: 0.2 }],
    ]);
    assert.deepEqual(ruleThresholds('0.5 < x or not (y != -2)'), [{ signal: 'x', op: '>', value: 0.5 }, { signal: 'y', op: '!=', value: -2 }]);
  });

  it('counts values to three significant digits, and merging counts is adding them', () => {
    assert.deepEqual([0.123456, 999, 1234, -0.000123456, 1 / 3].map(roundValue), [0.123, 999, 1230, -0.000123, 0.333]);
    const a = counted([1, 2, 2, Number.NaN, 0.1 + 0.2]);
    const b = counted([2, 0.3, Number.POSITIVE_INFINITY]);
    assert.deepEqual(mergeValueCounts([a, b]), { values: [0.3, 1, 2], counts: [2, 1, 3], nulls: 2 });
    assert.deepEqual(mergeValueCounts([b, a]), mergeValueCounts([a, b]));
    assert.equal(totalCount(mergeValueCounts([a, b])), 8);
  });

  it('bins integers one per value, heavy tails on a log axis, the rest in equal bins; no count is lost', () => {
    const flags = displayBins([counted([0, 0, 1]), counted([1])]);
    assert.deepEqual(flags?.edges, [-0.5, 0.5, 1.5]);
    assert.deepEqual(flags?.series, [[2, 1], [0, 1]]);
    const lengths = counted([...Array.from({ length: 95 }, (_, i) => 100 + i), 5000, 20000, 80000, 150000, 400000]);
    const log = displayBins([lengths]);
    assert.equal(log?.scale, 'log');
    assert.equal(log?.series[0].reduce((a, b) => a + b, 0), 100);
    const fractions = displayBins([counted(Array.from({ length: 101 }, (_, i) => i / 100))], [0.9]);
    assert.equal(fractions?.scale, 'linear');
    assert.equal(fractions?.edges.length, 41);
    assert.equal(fractions?.series[0].reduce((a, b) => a + b, 0), 101);
    assert.equal(displayBins([counted([Number.NaN])]), undefined, 'nulls only: nothing to draw');
  });

  it('stretches the axis to a threshold near the values, not to one far away', () => {
    const ratios = counted([0, 0.01, 0.02, 0.06]);
    assert.equal(displayBins([ratios], [0.1])?.edges.at(-1), 0.1);
    assert.equal(displayBins([ratios], [100])?.edges.at(-1), 0.06);
  });

  it('escapes interpolated text in templates, and only there', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(html`<p>${inner}${['<br>', 3, null, false]}</p>`.value, '<p><b>&lt;i&gt;</b>&lt;br&gt;3</p>');
  });

  it('labels numbers briefly', () => {
    assert.deepEqual([12, 0.25, 3400, 12000, 1_250_000, 0.000123].map(formatNumber), ['12', '0.25', '3400', '12k', '1.25M', '0.000123']);
  });
});
