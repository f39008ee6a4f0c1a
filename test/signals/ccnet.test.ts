import { describe, it } from 'node:test';
import { strict as assert } from 'node:assert';

import { ccnetLength, ccnetNlines } from '../../signals/ccnet.js';
import type { SignalContext } from '../../src/signal.js';
import { TextView } from '../../src/text/index.js';

function ctxFor(text: string, meta: Record<string, unknown> = {}): SignalContext {
  return { doc: { id: 'test', text, meta, location: { file: 'test' } }, lang: 'en', resources: {} };
}

describe('ccnet_nlines and ccnet_length without CCNet fields', () => {
  const texts = ['', '\n', '\n\n', 'a', 'a\n', 'a\nb', 'a\nb\n', '\n\na\r\n\u2028b\n', '😀\n😀', ' \n \n ', 'x'.repeat(1000) + '\n'];
  let seed = 99;
  const alphabet = ['a', '\n', '\n', ' ', '\r', '😀', '\ud83d', 'é'];
  for (let k = 0; k < 500; k++) {
    let s = '';
    for (let i = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 30; i > 0; i--) s += alphabet[(seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % alphabet.length];
    texts.push(s);
  }

  it('nlines is the number of pieces of text.split("\\n")', () => {
    for (const text of texts) assert.equal(ccnetNlines(new TextView(text), ctxFor(text)), text.split('\n').length, JSON.stringify(text));
  });

  it('length is the number of code points', () => {
    for (const text of texts) assert.equal(ccnetLength(new TextView(text), ctxFor(text)), [...text].length, JSON.stringify(text));
  });

  it('the CCNet fields win when present', () => {
    assert.equal(ccnetNlines(new TextView('a\nb'), ctxFor('a\nb', { nlines: 7 })), 7);
    assert.equal(ccnetLength(new TextView('a\nb'), ctxFor('a\nb', { length: 9 })), 9);
  });
});
