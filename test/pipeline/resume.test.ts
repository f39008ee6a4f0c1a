import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT, shardedWebCorpus, sieve, tempDir } from '../helpers.js';

const SHARDS = 8;

function keptFiles(out: string): Map<string, Buffer> {
  const dir = join(out, 'kept');
  return new Map(readdirSync(dir).filter((n) => !n.startsWith('.')).sort().map((n) => [n, readFileSync(join(dir, n))]));
}

const manifest = (out: string) => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { inputs: unknown[]; totals: unknown };
const summaryLine = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1)!) as { resumed: number; documents: number };

/** Starts `sieve …` and SIGKILLs it after `ms`; resolves when it is gone. */
function killAfter(args: readonly string[], ms: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'sieve.js'), ...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? `exit ${code}`);
    });
  });
}

describe('resume, workers and array tasks give the same output', () => {
  const recipe = join(ROOT, 'recipes', 'gopher.yaml');
  let shards: string;
  let reference: string;
  let referenceMs: number;
  before(async () => {
    shards = await shardedWebCorpus(SHARDS);
    reference = join(tempDir(), 'ref');
    const t0 = performance.now();
    const r = sieve(['run', recipe, shards, '--out', reference, '--workers', '1']);
    referenceMs = performance.now() - t0;
    assert.equal(r.status, 0, r.stderr);
  });

  it('survives SIGKILL at three random moments: the resumed output is byte-identical, counts equal', async () => {
    const out = join(tempDir(), 'killed');
    const args = ['run', recipe, shards, '--out', out, '--workers', '2'];
    const moments: number[] = [];
    for (let k = 0; k < 3; k++) {
      const ms = Math.round(150 + Math.random() * Math.max(referenceMs * 0.8, 300));
      moments.push(ms);
      await killAfter(args, ms);
    }
    const r = sieve(args);
    assert.equal(r.status, 0, `${r.stderr} (killed at ${moments.join(', ')} ms)`);
    assert.deepEqual(keptFiles(out), keptFiles(reference), `kept files differ after kills at ${moments.join(', ')} ms`);
    assert.deepEqual(manifest(out), manifest(reference));
    // No temporary file is left under kept/ once the run completed.
    assert.deepEqual(readdirSync(join(out, 'kept')).filter((n) => n.endsWith('.tmp')), []);
  });

  it('a rerun skips completed shards and says so; --force, a touched input or another recipe redo them', () => {
    const out = join(tempDir(), 'again');
    assert.equal(sieve(['run', recipe, shards, '--out', out]).status, 0);
    const again = sieve(['run', recipe, shards, '--out', out]);
    assert.equal(summaryLine(again.stderr).resumed, SHARDS);
    assert.deepEqual(manifest(out), manifest(reference));
    assert.equal(summaryLine(sieve(['run', recipe, shards, '--out', out, '--force']).stderr).resumed, 0);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(shards, 'part-3.jsonl.gz'), later, later);
    assert.equal(summaryLine(sieve(['run', recipe, shards, '--out', out]).stderr).resumed, SHARDS - 1);
    assert.equal(summaryLine(sieve(['run', join(ROOT, 'recipes', 'c4.yaml'), shards, '--out', out]).stderr).resumed, 0);
  });

  it('--workers 2 gives the bytes of --workers 1', () => {
    const out = join(tempDir(), 'w2');
    assert.equal(sieve(['run', recipe, shards, '--out', out, '--workers', '2']).status, 0);
    assert.deepEqual(keptFiles(out), keptFiles(reference));
    assert.deepEqual(manifest(out), manifest(reference));
  });

  it('3 array tasks (flags and SLURM variables) then sieve manifest merge give the single run', () => {
    const out = join(tempDir(), 'array');
    for (let i = 0; i < 3; i++) {
      const r = i === 1
        ? spawnSieveWithEnv(['run', recipe, shards, '--out', out], { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' })
        : sieve(['run', recipe, shards, '--out', out, '--task-index', String(i), '--task-count', '3']);
      assert.equal(r.status, 0, r.stderr);
    }
    assert.deepEqual(readdirSync(join(out, 'manifests')).sort(), ['task-0-of-3.json', 'task-1-of-3.json', 'task-2-of-3.json']);
    const merged = sieve(['manifest', 'merge', out]);
    assert.equal(merged.status, 0, merged.stderr);
    assert.deepEqual(keptFiles(out), keptFiles(reference));
    assert.deepEqual(manifest(out), manifest(reference));
  });

  it('merge names the task that has not finished', () => {
    const out = join(tempDir(), 'partial');
    assert.equal(sieve(['run', recipe, shards, '--out', out, '--task-index', '0', '--task-count', '2']).status, 0);
    const r = sieve(['manifest', 'merge', out]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /task 1 of 2 has no manifest .*: it has not finished/);
  });
});

function spawnSieveWithEnv(args: readonly string[], env: Record<string, string>): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'sieve.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stderr: r.stderr };
}
