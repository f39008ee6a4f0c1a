import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, tempDir } from '../helpers.js';

const dir = tempDir('sieve-build-');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('hash: install-time build (scripts/build-native.mjs)', () => {
  it('without a working compiler it warns, exits 0, and the library falls back to js', () => {
    // A copy of the package's build inputs and library sources, so the real native/build is untouched.
    mkdirSync(join(dir, 'scripts'));
    cpSync(join(ROOT, 'scripts', 'build-native.mjs'), join(dir, 'scripts', 'build-native.mjs'));
    cpSync(join(ROOT, 'native'), join(dir, 'native'), { recursive: true, filter: (src) => !src.startsWith(join(ROOT, 'native', 'build')) });
    cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const build = spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs')], {
      cwd: dir,
      env: { ...process.env, CXX: '/bin/false', CC: '/bin/false', SIEVE_BUILD_VERBOSE: '0' },
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, `${build.stdout}${build.stderr}`);
    assert.match(build.stderr, /WARNING: the cpu backend was not built, so the library will use the slower js backend/);
    assert.ok(!existsSync(join(dir, 'native', 'build', 'Release', 'sieve_native.node')));
    const info = JSON.parse(readFileSync(join(dir, 'native', 'build', 'build-info.json'), 'utf8')) as { cpu: { ok: boolean; reason: string } };
    assert.equal(info.cpu.ok, false);
    const probe = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `import { availableBackends, backendInfo } from './src/native.js'; console.log(JSON.stringify({ a: availableBackends(), i: backendInfo() }));`],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, SIEVE_BACKEND: '' } },
    );
    assert.equal(probe.status, 0, probe.stderr);
    const { a, i } = JSON.parse(probe.stdout) as { a: string[]; i: { chosen: string; loadErrors: Record<string, string> } };
    assert.deepEqual(a, ['js']);
    assert.equal(i.chosen, 'js');
    assert.match(i.loadErrors.cpu, /the addon is not built .*node-gyp failed/s);
  });

  it('--strict turns a failed build into exit 1', () => {
    const build = spawnSync(process.execPath, [join(dir, 'scripts', 'build-native.mjs'), '--strict'], {
      cwd: dir,
      env: { ...process.env, CXX: '/bin/false', CC: '/bin/false' },
      encoding: 'utf8',
    });
    assert.equal(build.status, 1);
  });
});
