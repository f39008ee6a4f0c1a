import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { duckdb, tempDir, type CliResult } from '../helpers.js';
import { COMMANDS, assertErrorLine, assertManifestAddsUp, readManifest, runCommand, webLines, type Command } from './hostile.js';

/**
 * Ids are not required to be unique: every document is processed, the manifest counts the repeats
 * per input, and each command warns once. Repeats across inputs are not counted (ids are often
 * numbered per file; outputs are per input).
 */
describe('duplicate ids (issue 9)', { concurrency: 2 }, () => {
  const dir = tempDir('sieve-dup-ids-');
  const dup = join(dir, 'dup.jsonl');
  const other = join(dir, 'other.jsonl');
  const [a, b, c] = webLines(3, 'w');
  const bWithOtherText = JSON.stringify({ ...(JSON.parse(b) as object), text: 'Another text under an id already used.' });

  const results = new Map<Command, CliResult>();

  before(async () => {
    // w-0 twice with the same record (a true duplicate), w-1 twice with different texts.
    writeFileSync(dup, [a, b, a, bWithOtherText, c].join('\n') + '\n');
    writeFileSync(other, [a, c].join('\n') + '\n');
    await Promise.all(COMMANDS.map(async (command) => results.set(command, await runCommand(command, [dup, other], join(dir, command), ['--workers', '2']))));
  });

  for (const command of COMMANDS) {
    it(`sieve ${command}: processes every document, counts the repeats in the manifest and warns once`, () => {
      const out = join(dir, command);
      const r = results.get(command) as CliResult;
      assert.equal(r.status, 0, r.stderr);
      const stderr = r.stderr.trim().split('\n');
      assert.deepEqual(
        stderr.filter((l) => !l.startsWith('{')),
        [`sieve: warning: 2 documents reuse an id seen earlier in their input (1 of 2 inputs; first "w-0" at ${dup}:3); all were processed, but joining by id (sieve run --signals) needs unique ids`],
      );
      const m = readManifest(out);
      assertManifestAddsUp(command, out, m);
      assert.deepEqual(m.inputs.map((i) => i.documents), [5, 2]);
      assert.equal(m.inputs[0].duplicateIds?.count, 2);
      assert.equal(m.inputs[0].duplicateIds?.first.id, 'w-0');
      assert.equal(m.inputs[0].duplicateIds?.first.location.line, 3);
      assert.equal(m.inputs[1].duplicateIds, undefined);
      assert.equal(m.totals.duplicateIds, 2);
    });
  }

  it('sieve signals writes one row per document, repeated ids included, in input order', async () => {
    const rows = await duckdb(`SELECT id FROM '${join(dir, 'signals', 'dup.signals.parquet')}'`);
    assert.deepEqual(rows.map((r) => r.id), ['w-0', 'w-1', 'w-0', 'w-1', 'w-2']);
  });

  it('sieve dedup tells the two w-0 apart by position: the second is the duplicate', async () => {
    const rows = await duckdb(`SELECT id, "index" FROM '${join(dir, 'dedup', 'duplicates', 'dup.duplicates.parquet')}'`);
    assert.deepEqual(rows.map((r) => [r.id, Number(r.index)]), [['w-0', 2]]);
  });

  it('sieve run --signals refuses to join signals whose ids repeat, naming the id', async () => {
    const r = await runCommand('run', [dup], join(dir, 'joined'), ['--signals', join(dir, 'signals')]);
    assertErrorLine(r, 'E_INPUT_FIELD', /signals file holds id "w-0" twice: cannot join documents to it at \S*dup\.signals\.parquet \(record 2\)$/);
  });

  it('clean inputs: no warning and no duplicateIds in the manifest', async () => {
    const out = join(dir, 'clean');
    const r = await runCommand('run', [other], out);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    const m = readManifest(out);
    assert.equal(m.totals.duplicateIds, undefined);
    assert.equal(m.inputs[0].duplicateIds, undefined);
  });
});
