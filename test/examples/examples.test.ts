import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from '../helpers.js';

describe('examples run', () => {
  it('examples/quickstart.ts computes signals and applies the C4 recipe', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', 'quickstart.ts'), tempDir()], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /signals for 10 documents/);
    assert.match(r.stdout, /c4 kept \d+ of 10; dropped \{"c4_lines":\d+/);
  });
});
