import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { minhashBatch } from '../../src/hash/index.js';
import type { MinhashBatch } from '../../src/hash/index.js';
import { getBackend, unavailableBackends } from '../../src/native.js';
import { TextView } from '../../src/text/index.js';
import { ROOT, readJsonlGz, shared, tempDir } from '../helpers.js';

/** nvcc as scripts/build-native.mjs finds it. */
function findNvcc(): string | undefined {
  if (process.env.NVCC) return existsSync(process.env.NVCC) ? process.env.NVCC : undefined;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  if (process.env.CUDA_HOME) dirs.push(join(process.env.CUDA_HOME, 'bin'));
  dirs.push('/usr/local/cuda/bin');
  return dirs.map((d) => join(d, 'nvcc')).find((p) => existsSync(p));
}

function findCxx(): string | undefined {
  const candidates = [process.env.CXX, 'g++', 'c++', 'clang++'].filter((c): c is string => Boolean(c));
  return candidates.find((c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0);
}

const dir = tempDir('sieve-cuda-');
after(() => rmSync(dir, { recursive: true, force: true }));

function writeBatch(path: string, batch: MinhashBatch): void {
  const docs = batch.offsets.length - 1;
  writeFileSync(path, Buffer.concat([Buffer.from(new Uint32Array([docs]).buffer), Buffer.from(batch.offsets.buffer, batch.offsets.byteOffset, batch.offsets.byteLength), Buffer.from(batch.bytes)]));
}

describe('hash: CUDA backend sources', () => {
  const nvcc = findNvcc();
  const cuda = unavailableBackends().find((b) => b.name === 'cuda');
  console.log(`cuda backend: ${cuda ? `unavailable here (${cuda.reason}); its kernels are compiled and emulated on the CPU below` : 'available'}`);

  it('native/cuda/*.cu compile with nvcc (warnings are errors)', { skip: nvcc ? false : 'nvcc not found (PATH, NVCC, CUDA_HOME, /usr/local/cuda/bin): cannot compile the CUDA sources' }, () => {
    const sources = readdirSync(join(ROOT, 'native', 'cuda')).filter((f) => f.endsWith('.cu'));
    assert.ok(sources.length > 0);
    for (const source of sources) {
      const object = join(dir, source.replace(/\.cu$/, '.o'));
      const r = spawnSync(
        nvcc as string,
        ['-std=c++17', '-c', '-Xcompiler', '-fPIC,-Wall,-Wextra', '-Werror', 'all-warnings', '-gencode', 'arch=compute_90,code=sm_90',
          '-gencode', 'arch=compute_75,code=compute_75', '-o', object, join(ROOT, 'native', 'cuda', source)],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, `${source}: ${r.stdout}${r.stderr}`);
      assert.ok(existsSync(object));
    }
  });

  it('the device functions, run on the CPU, give the cpu backend signatures (web corpus + edge sizes)', async (t) => {
    const cxx = findCxx();
    if (!cxx) {
      t.skip('no C++ compiler (CXX, g++, c++, clang++) to build the emulator');
      return;
    }
    const exe = join(dir, 'cuda-emulate');
    const build = spawnSync(cxx, ['-O2', '-std=c++17', '-Wall', '-Wextra', '-Werror', '-o', exe, join(ROOT, 'test', 'hash', 'cuda-emulate.cc')], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const docs = await readJsonlGz(shared('corpus', 'web', 'web_docs.jsonl.gz'));
    const texts = docs.map((d) => d.text as string);
    // Shingles of 1, 55, 56, 64, 119, 120 bytes and longer: every SHA-1 padding case.
    for (const len of [1, 4, 5, 8, 9, 10, 15, 40]) texts.push(Array.from({ length: 20 }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(len)).join(' '));
    texts.push('');
    const batch = minhashBatch(texts.map((s) => new TextView(s)));
    writeBatch(join(dir, 'batch.bin'), batch);
    const run = spawnSync(exe, [join(dir, 'batch.bin'), join(dir, 'sig.bin')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const emulated = new Uint32Array(new Uint8Array(readFileSync(join(dir, 'sig.bin'))).buffer);
    const reference = getBackend(unavailableBackends().some((b) => b.name === 'cpu') ? 'js' : 'cpu').minhashSignaturesSync(batch);
    assert.equal(emulated.length, reference.signatures.length);
    assert.ok(Buffer.from(emulated.buffer).equals(Buffer.from(reference.signatures.buffer)), 'emulated CUDA signatures differ');
  });
});
