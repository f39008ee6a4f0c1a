import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { utf8Text } from '../../src/io/utf8-text.js';
import { nativeText } from '../../src/native.js';
import { shared } from '../helpers.js';

const native = nativeText();

describe('utf8Text', () => {
  it('gives Buffer.toString\'s string for every line of the JSON-lines corpora', () => {
    const dir = shared('corpus');
    let lines = 0;
    for (const sub of readdirSync(dir, { withFileTypes: true })) {
      if (!sub.isDirectory()) continue;
      for (const name of readdirSync(join(dir, sub.name)).filter((n) => n.endsWith('.jsonl.gz'))) {
        const bytes = gunzipSync(readFileSync(join(dir, sub.name, name)));
        for (let start = 0, end = bytes.indexOf(10); end !== -1; start = end + 1, end = bytes.indexOf(10, start)) {
          assert.equal(utf8Text(bytes, start, end), bytes.toString('utf8', start, end));
          lines++;
        }
      }
    }
    assert.ok(lines > 1000, `read ${lines} lines`);
  });

  it('decodes every code point at every offset of a 16-byte block (the addon)', { skip: native ? false : 'no native backend here (the addon is not built)' }, () => {
    const decode = native!.utf8String;
    const samples = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f642, 0x10ffff];
    for (let cp = 0; cp < 0x110000; cp += cp < 0x3000 ? 1 : 97) if (cp < 0xd800 || cp > 0xdfff) samples.push(cp);
    for (const cp of samples) {
      const ch = String.fromCodePoint(cp);
      for (let pad = 0; pad < 18; pad++) {
        const text = 'a'.repeat(pad) + ch + 'b'.repeat(20 - pad) + ch;
        const bytes = Buffer.from(text, 'utf8');
        assert.equal(decode(bytes, 0, bytes.length), text, `U+${cp.toString(16)} after ${pad} bytes`);
      }
    }
    // A sub-range of a larger buffer, and an empty one.
    const bytes = Buffer.from('xx héllo wörld 🙂 yy', 'utf8');
    assert.equal(decode(bytes, 3, bytes.length - 3), bytes.toString('utf8', 3, bytes.length - 3));
    assert.equal(decode(bytes, 5, 5), '');
  });

  it('answers null for malformed UTF-8, and rejects a range outside the bytes (the addon)', { skip: native ? false : 'no native backend here (the addon is not built)' }, () => {
    const decode = native!.utf8String;
    const malformed = [
      [0x80], // a stray continuation byte
      [0xc0, 0xaf], // overlong
      [0xc2], // truncated
      [0xe0, 0x80, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // a surrogate
      [0xe2, 0x82], // truncated
      [0xf0, 0x8f, 0xbf, 0xbf], // overlong
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf5, 0x80, 0x80, 0x80],
      [0xff],
    ];
    for (const seq of malformed) {
      const bytes = Buffer.from([...Buffer.from('0123456789abcdefg'), ...seq, 0x41]);
      assert.equal(decode(bytes, 0, bytes.length), null, `[${seq.map((b) => b.toString(16)).join(' ')}]`);
    }
    const bytes = Buffer.from('hello');
    assert.throws(() => decode(bytes, 2, 9), /start and end must lie within bytes/);
    assert.throws(() => decode(bytes, 3, 2), /start and end must lie within bytes/);
  });
});
