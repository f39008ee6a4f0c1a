import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, sieve } from '../helpers.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('sieve: commands load on demand (src/cli/main.ts)', () => {
  it('--version prints the package version without loading any command', () => {
    const r = sieve(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), VERSION);
  });

  it('--help lists every command; one named command gets its own help', () => {
    const all = sieve(['--help']);
    assert.equal(all.status, 0, all.stderr);
    for (const name of ['signals', 'run', 'explain', 'dedup', 'report', 'dsir', 'worker', 'inspect', 'manifest', 'list-signals', 'doctor']) {
      assert.match(all.stdout, new RegExp(`^  ${name}\\b`, 'm'), `${name} missing from sieve --help`);
    }
    const run = sieve(['--debug', 'run', '--help']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage: sieve run \[options\] <recipe> <inputs\.\.\.>/m);
  });

  it('an unknown command is a usage error that lists the commands', () => {
    const r = sieve(['nosuch']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'nosuch'/);
    assert.match(r.stderr, /^  dedup\b/m);
  });

  it('compiles the bundle with a code cache per command, and replaces a cache the engine rejects', () => {
    const dir = join(ROOT, 'dist', 'cli', '.code-cache');
    const cacheOf = (command: string) => readdirSync(dir).filter((f) => f.startsWith(`${command}-`) && f.endsWith('.bin'));
    // `list-signals` runs nothing in parallel with this test (the other tests here use --help and --version).
    assert.equal(sieve(['list-signals']).status, 0);
    const [file] = cacheOf('list-signals');
    assert.ok(file, 'no cache written for list-signals');
    const path = join(dir, file);
    assert.ok(statSync(path).size > 100_000, 'the cache holds the compiled command');
    writeFileSync(path, 'not a code cache');
    const r = sieve(['list-signals']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /rps_doc_word_count/);
    assert.ok(statSync(path).size > 100_000, 'the rejected cache was not replaced');
  });
});
