import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, tempDir } from '../helpers.js';

const dir = tempDir('sieve-permute-');
after(() => rmSync(dir, { recursive: true, force: true }));

function findCxx(): string | undefined {
  const candidates = [process.env.CXX, 'g++', 'c++', 'clang++'].filter((c): c is string => Boolean(c));
  return candidates.find((c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0);
}

describe('hash: MinHash permutation versions (native/src/minhash/permute.cc)', () => {
  it('every version this CPU runs equals the definition, the rarely taken exact paths included', (t) => {
    const cxx = findCxx();
    if (!cxx) {
      t.skip('no C++ compiler (CXX, g++, c++, clang++) to build the check');
      return;
    }
    const exe = join(dir, 'permute-edges');
    const sources = [join(ROOT, 'test', 'hash', 'permute-edges.cc'), join(ROOT, 'native', 'src', 'minhash', 'permute.cc'), join(ROOT, 'native', 'src', 'common', 'cpu_features.cc')];
    const build = spawnSync(cxx, ['-O2', '-std=c++17', '-Wall', '-Wextra', '-Werror', '-o', exe, ...sources], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const run = spawnSync(exe, [], { encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    console.log(run.stdout.trim().replace(/\n/g, ', '));
    assert.match(run.stdout, /^portable ok$/m);
  });
});
