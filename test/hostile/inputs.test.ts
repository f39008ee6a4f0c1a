import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers.js';
import { COMMANDS, assertErrorLine, assertManifestAddsUp, leftBehind, readManifest, readRejected, runCommand, shortLine, sieveAsync, webLines } from './hostile.js';

describe('inputs that are not plain files (issue 9)', { concurrency: 2 }, () => {
  /** a.jsonl (3 documents), sub/b.jsonl (2 and a malformed line), and files that are not inputs. */
  function corpusDir(): string {
    const dir = join(tempDir('sieve-dir-'), 'corpus');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a.jsonl'), webLines(3, 'a').join('\n') + '\n');
    writeFileSync(join(dir, 'sub', 'b.jsonl'), [...webLines(2, 'b'), '{"id": "b-broken"'].join('\n') + '\n');
    writeFileSync(join(dir, 'notes.txt'), 'not an input: no known extension\n');
    writeFileSync(join(dir, '.hidden.jsonl'), '{broken\n');
    return dir;
  }

  for (const command of COMMANDS) {
    it(`a directory: sieve ${command} reads the inputs below it, and fails at the bad line by default`, async () => {
      const dir = corpusDir();
      const out = join(dir, '..', 'skip');
      const [fail, r] = await Promise.all([runCommand(command, [dir], join(dir, '..', 'fail')), runCommand(command, [dir], out, ['--on-error', 'skip'])]);
      assertErrorLine(fail, 'E_INPUT_PARSE', /malformed JSON \(.+\) at \S*sub\/b\.jsonl:3$/);
      assert.equal(r.status, 0, r.stderr);
      const m = readManifest(out);
      assertManifestAddsUp(command, out, m);
      assert.deepEqual(m.inputs.map((i) => [i.name, i.documents, i.rejected]), [['a', 3, 0], ['sub/b', 2, 1]]);
      assert.deepEqual(readRejected(out, m.inputs[1]).map((x) => [x.line, x.code]), [[3, 'E_INPUT_PARSE']]);
    });
  }

  it('a directory without inputs is a usage error in both modes: there is nothing to read or skip', async () => {
    const dir = tempDir('sieve-empty-dir-');
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'notes.txt'), 'no input here\n');
    const runs = [...COMMANDS.map((command) => [command, 'skip'] as const), ['signals', 'fail'] as const];
    const results = await Promise.all(runs.map(([command, mode]) => runCommand(command, [join(dir, 'empty')], join(dir, `out-${command}-${mode}`), ['--on-error', mode])));
    for (const r of results) assertErrorLine(r, 'E_INPUT_MISSING', /no input files \(\.jsonl, \.json\.gz, \.parquet, \.warc, …\) in directory \S*empty at \S*empty$/);
  });

  it('a FIFO (as `<(zcat shard.gz)` gives) is read as a stream, not taken for an empty file', async () => {
    const dir = tempDir('sieve-fifo-');
    const fifo = join(dir, 'piped.jsonl');
    const mkfifo = spawnSync('mkfifo', [fifo]);
    assert.equal(mkfifo.status, 0, `mkfifo: ${mkfifo.stderr}`);
    const source = join(dir, 'source.jsonl');
    writeFileSync(source, webLines(4, 'f').join('\n') + '\n');
    // The writer blocks until sieve opens the FIFO, so it runs beside it.
    const writer = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', source, fifo]);
    const out = join(dir, 'out');
    const [r] = await Promise.all([sieveAsync(['signals', fifo, '--out', out]), once(writer, 'exit')]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readManifest(out).totals, { inputs: 1, documents: 4, rejected: 0 });
  });

  it('bytes that drive a terminal (ESC sequences) reach stderr escaped, on one line', async () => {
    const dir = tempDir('sieve-escape-');
    const input = join(dir, 'escape.jsonl');
    writeFileSync(input, `${shortLine(1)}\n\u001b[2J\u001b[31m{"id": "red"}\n`);
    const r = await sieveAsync(['signals', input, '--out', join(dir, 'out')]);
    assertErrorLine(r, 'E_INPUT_PARSE', /malformed JSON \(.*\\u001b.*\) at \S*escape\.jsonl:2$/);
  });

  it('an error in one shard stops the run: the other shards were complete or not written, none is partial', async () => {
    const dir = tempDir('sieve-midrun-');
    writeFileSync(join(dir, 'a.jsonl'), Array.from({ length: 5000 }, (_, i) => shortLine(i)).join('\n') + '\n');
    writeFileSync(join(dir, 'b.jsonl'), Array.from({ length: 10 }, (_, i) => shortLine(i)).join('\n') + '\n{broken\n');
    const out = join(dir, 'out');
    const r = await sieveAsync(['signals', join(dir, 'a.jsonl'), join(dir, 'b.jsonl'), '--out', out, '--workers', '2']);
    assertErrorLine(r, 'E_INPUT_PARSE', /at \S*b\.jsonl:11$/);
    assert.ok(!readdirSync(out).includes('b.signals.parquet'));
    assert.deepEqual(leftBehind(out).filter((f) => f.endsWith('.tmp') || f === 'manifest.json'), []);
  });
});
