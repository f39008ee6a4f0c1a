import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ValueCounter, roundValue } from '../../src/recipe/value-counts.js';
import { seededRandom } from '../helpers.js';

/** What `roundValue` is defined as. */
function reference(v: number): number {
  const r = Number.isInteger(v) && v > -1000 && v < 1000 ? v : Number(v.toPrecision(3));
  return r === 0 ? 0 : r;
}

describe('value counts', () => {
  it('rounds to three significant digits exactly as toPrecision(3), at every magnitude and at ties', () => {
    const random = seededRandom(11);
    const values: number[] = [];
    for (let i = 0; i < 300_000; i++) values.push((random() - 0.5) * 2 * 10 ** (Math.floor(random() * 46) - 23), random(), i / 7, 1 / (i + 1));
    // Decimal ties and near-ties, and the three-digit values themselves, across the exponents.
    for (let d = 100; d <= 1000; d++) {
      for (let e = -24; e <= 23; e++) values.push(Number(`${d}.5e${e}`), Number(`${d}e${e}`), Number(`${d}.4999999999e${e}`), Number(`${d}.5000000001e${e}`));
    }
    values.push(5e-324, Number.MAX_VALUE, 0.1, 0.125, 0.1235, 0.0005, 999.5, 1000, 1000.5, 99.95, 2 / 3, -0, 1e-19, 1e22);
    let mismatches = 0;
    for (const v of [...values, ...values.map((x) => -x)]) {
      if (!Object.is(roundValue(v), reference(v)) && mismatches++ < 5) assert.fail(`roundValue(${v}) = ${roundValue(v)}, toPrecision gives ${reference(v)}`);
    }
    assert.equal(mismatches, 0);
  });

  it('counts small integers, rounded values and nulls, ascending, and merges', () => {
    const c = new ValueCounter();
    for (const v of [0, 1, 1, -0, 999, -999, 1000, 0.12345, 0.1234, Number.NaN, Number.POSITIVE_INFINITY, 12_345]) c.add(v);
    assert.deepEqual(c.counts(), { values: [-999, 0, 0.123, 1, 999, 1000, 12_300], counts: [1, 2, 2, 2, 1, 1, 1], nulls: 2 });
    c.merge({ values: [0, 0.5], counts: [3, 1], nulls: 1 });
    assert.deepEqual(c.counts(), { values: [-999, 0, 0.123, 0.5, 1, 999, 1000, 12_300], counts: [1, 5, 2, 1, 2, 1, 1, 1], nulls: 3 });
  });
});
