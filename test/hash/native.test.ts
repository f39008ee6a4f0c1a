import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { SieveError } from '../../src/errors.js';
import { BACKENDS, minhashBatch } from '../../src/hash/index.js';
import { availableBackends, backendInfo, getBackend, unavailableBackends } from '../../src/native.js';
import { TextView } from '../../src/text/index.js';
import { ROOT } from '../helpers.js';
import { backends, skipAbsent } from './backends.js';

/** Runs a snippet in a fresh process (the backend choice is made once per process) with `env`. */
function inProcess(code: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const script = `import { backendInfo, getBackend } from './src/native.js';\n${code}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hash: backend loader (src/native.ts)', () => {
  it('backendInfo() reports every backend, the choice, CPU features and load errors', () => {
    const info = backendInfo();
    assert.deepEqual(info.backends.map((b) => b.name), [...BACKENDS]);
    assert.ok(info.chosen !== null && availableBackends().includes(info.chosen));
    assert.deepEqual(info.order, ['cuda', 'cpu', 'js']);
    assert.ok(Array.isArray(info.cpuFeatures));
    for (const { name, reason } of unavailableBackends()) {
      assert.equal(info.loadErrors[name], reason);
      assert.ok(reason.length > 10, `a reason for ${name}`);
      console.log(`${name} unavailable: ${reason}`);
    }
    assert.ok(availableBackends().includes('js'));
    // Without SIEVE_BACKEND the best available backend is chosen.
    if (process.env.SIEVE_BACKEND === undefined) {
      const best = (['cuda', 'cpu', 'js'] as const).find((b) => availableBackends().includes(b));
      assert.equal(info.chosen, best);
    }
  });

  it('SIEVE_BACKEND forces each available backend', () => {
    for (const name of availableBackends()) {
      const r = inProcess(`console.log(getBackend().name, backendInfo().chosen);`, { SIEVE_BACKEND: name });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), `${name} ${name}`);
    }
  });

  it('SIEVE_BACKEND naming an unavailable backend is an error, not a fallback', (t) => {
    const missing = unavailableBackends()[0];
    if (!missing) {
      t.skip('every backend is available here');
      return;
    }
    const r = inProcess(
      `try { getBackend(); console.log('no error'); } catch (e) { console.log(e.code, '|', e.message); }\nconsole.log('chosen', backendInfo().chosen, '|', backendInfo().error);`,
      { SIEVE_BACKEND: missing.name },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^E_MISSING_DEP \\| \\[hash\\] SIEVE_BACKEND=${missing.name} but the ${missing.name} backend is not available`, 'm'));
    assert.match(r.stdout, /^chosen null \| /m);
  });

  it('SIEVE_BACKEND with an unknown name is a usage error', () => {
    const r = inProcess(`try { getBackend(); } catch (e) { console.log(e.code, e.message); }`, { SIEVE_BACKEND: 'gpu' });
    assert.match(r.stdout, /E_USAGE \[hash\] SIEVE_BACKEND=gpu is not a backend: use one of js, cpu, cuda/);
  });

  it('asking for an absent backend by name throws E_MISSING_DEP with the reason', (t) => {
    const missing = unavailableBackends()[0];
    if (!missing) {
      t.skip('every backend is available here');
      return;
    }
    assert.throws(() => getBackend(missing.name), (e: unknown) => e instanceof SieveError && e.code === 'E_MISSING_DEP' && e.message.includes(missing.reason));
  });

  skipAbsent('argument checks and empty batches');
  for (const backend of backends()) {
    it(`${backend.name}: bad batches are SieveErrors that name the argument`, async () => {
      const bytes = new Uint8Array(10);
      assert.throws(() => backend.sha1Sync({ bytes, offsets: new Uint32Array([0, 11]) }), /\[hash\] sha1: batch\.offsets ends at 11, past the data \(10\)/);
      assert.throws(() => backend.minhashSignaturesSync({ bytes, offsets: new Uint32Array([0, 5, 3]) }), /batch\.offsets\[2\] = 3 is below batch\.offsets\[1\] = 5/);
      assert.throws(() => backend.minhashSignaturesSync({ bytes, offsets: new Uint32Array(0) }), /needs at least one entry/);
      await assert.rejects(backend.minhashSignatures({ bytes, offsets: new Uint32Array([0, 11]) }), SieveError);
      assert.throws(() => backend.xxhash64Sync({ bytes, offsets: new Uint32Array([0, 10]) }, { seed: -1n }), /seed must be a bigint/);
      assert.throws(() => backend.sha1Sync({ bytes, offsets: new Uint32Array([0, 10]) }, { threads: 0 }), /threads must be an integer/);
      const tokens = { units: new Uint16Array(4), unitOffsets: new Uint32Array([0, 4]), spans: new Uint32Array([0, 5]), tokenOffsets: new Uint32Array([0, 1]) };
      assert.throws(() => backend.dsirBucketsSync(tokens), /token 0 spans \[0, 5\), outside its document \(4 units\)/);
      assert.throws(() => backend.dsirBucketsSync({ ...tokens, spans: new Uint32Array([0, 4]) }, { buckets: 0 }), /buckets must be an integer from 1/);
    });

    it(`${backend.name}: empty batches`, async () => {
      const none = { bytes: new Uint8Array(0), offsets: new Uint32Array([0]) };
      assert.equal(backend.sha1Sync(none).length, 0);
      assert.equal((await backend.minhashSignatures(none)).signatures.length, 0);
      assert.equal(backend.xxhash64Sync(none).length, 0);
      const d = backend.dsirBucketsSync({ units: new Uint16Array(0), unitOffsets: new Uint32Array([0]), spans: new Uint32Array(0), tokenOffsets: new Uint32Array([0]) });
      assert.deepEqual([...d.docOffsets], [0]);
    });
  }

  it('native async work leaves the event loop free', async (t) => {
    const native = backends().find((b) => b.capabilities.offThread);
    if (!native) {
      t.skip(`no native backend: ${unavailableBackends().map((b) => `${b.name}: ${b.reason}`).join('; ')}`);
      return;
    }
    const words = Array.from({ length: 200_000 }, (_, i) => `w${i % 5000}`).join(' ');
    const batch = minhashBatch([new TextView(words)]);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const r = await native.minhashSignatures(batch, { threads: 1 });
    clearInterval(timer);
    assert.equal(r.shingles[0], 200_000 - 12);
    assert.ok(ticks > 0, 'timers ran while the kernel worked');
  });
});
