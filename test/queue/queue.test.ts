import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, shardedWebCorpus, sieve, tempDir } from '../helpers.js';

const REDIS = '/usr/bin/redis-server';

/** Debian's redis-server: installed by the test on CI, else a clear failure saying how to get it. */
function ensureRedis(): void {
  if (existsSync(REDIS)) return;
  if (process.env.CI === 'true') {
    const r = spawnSync('apt-get', ['install', '-y', '-q', 'redis-server'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) spawnSync('sh', ['-c', 'apt-get update -q && apt-get install -y -q redis-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  assert.ok(existsSync(REDIS), `the queue tests need Debian's redis-server at ${REDIS}: apt-get install redis-server`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a throwaway redis-server on a free loopback port; resolves once it accepts connections. */
async function startRedis(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return { port, child };
}

const children: ChildProcess[] = [];

function cli(args: readonly string[]): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'sieve.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return { child, done };
}

function keptFiles(out: string): Map<string, Buffer> {
  const dir = join(out, 'kept');
  return new Map(readdirSync(dir).filter((n) => !n.startsWith('.')).sort().map((n) => [n, readFileSync(join(dir, n))]));
}

describe('sieve run --queue with sieve workers (real Redis)', () => {
  let redis: { port: number; child: ChildProcess };
  let shards: string;
  const recipe = join(ROOT, 'recipes', 'gopher.yaml');
  before(async () => {
    ensureRedis();
    redis = await startRedis();
    shards = await shardedWebCorpus(8);
  });
  after(() => {
    // Whatever a failed test left running must not keep this file alive.
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    redis?.child.kill('SIGKILL');
  });

  it('two workers, one SIGKILLed mid-shard: the output equals the single-process run, every document once', async () => {
    const reference = join(tempDir(), 'ref');
    assert.equal(sieve(['run', recipe, shards, '--out', reference, '--workers', '1']).status, 0);

    const out = join(tempDir(), 'queued');
    const queue = `redis://127.0.0.1:${redis.port}/gopher-${process.pid}`;
    const submit = cli(['run', recipe, shards, '--out', out, '--queue', queue]);
    const victim = cli(['worker', '--queue', queue, '--lock-duration', '2000']);
    const survivor = cli(['worker', '--queue', queue, '--lock-duration', '2000', '--until-empty']);
    // Kill the first worker right after it finished a shard: it has taken the next one by then.
    await new Promise<void>((resolve) => {
      let seen = '';
      victim.child.stderr?.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('done ')) {
          victim.child.kill('SIGKILL');
          resolve();
        }
      });
      victim.child.on('exit', () => resolve());
    });
    const submitted = await submit.done;
    assert.equal(submitted.code, 0, submitted.stderr);
    const s = await survivor.done;
    assert.equal(s.code, 0, s.stderr);

    assert.deepEqual(keptFiles(out), keptFiles(reference));
    const m = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { inputs: unknown; totals: unknown };
    assert.deepEqual(m(out).inputs, m(reference).inputs);
    assert.deepEqual(m(out).totals, m(reference).totals);
  });

  it('a shard that fails for good fails the run with its error, once, not after retries', async () => {
    const out = join(tempDir(), 'bad');
    const queue = `redis://127.0.0.1:${redis.port}/bad-${process.pid}`;
    const badInput = join(tempDir(), 'bad.jsonl');
    (await import('node:fs')).writeFileSync(badInput, '{"id": 1, "text": "fine"}\n{not json\n');
    const submit = cli(['run', recipe, badInput, '--out', out, '--queue', queue]);
    const worker = cli(['worker', '--queue', queue, '--until-empty']);
    const r = await submit.done;
    await worker.done;
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_INPUT_PARSE: .*bad\.jsonl:2/);
  });

  it('refuses a URL without a queue name', () => {
    const r = sieve(['run', recipe, shards, '--out', tempDir(), '--queue', `redis://127.0.0.1:${redis.port}`]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /give the queue's name as the path/);
  });
});
