import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { UNIT_TABLES_LOADED, unitTablesFile } from '../../src/text/scan.js';
import { ROOT, tempDir } from '../helpers.js';

/*
 * The CLI bundle loads every BMP unit classified from dist/cli/unit-tables.bin (written by the
 * build) instead of classifying units as it meets them: the file must hold exactly what the scan
 * works out, and be used only where it was made.
 */
describe('unit tables of the CLI bundle', () => {
  it('hold what the scan classifies, unit for unit', () => {
    // From source no table file is beside the module: units are classified as met.
    assert.equal(UNIT_TABLES_LOADED, false);
    const built = readFileSync(join(ROOT, 'dist', 'cli', 'unit-tables.bin'));
    const made = unitTablesFile();
    assert.equal(built.length, made.length, 'rebuilt with `npm run build`?');
    assert.ok(built.equals(made), 'dist/cli/unit-tables.bin differs from the classification of src/text (run `npm run build`)');
  });

  it('are loaded beside the module, and ignored when made under other Unicode data', () => {
    // A copy of the library build with the table file beside its scan module.
    const dir = tempDir('unit-tables');
    cpSync(join(ROOT, 'dist', 'src'), join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const tables = join(dir, 'src', 'text', 'unit-tables.bin');
    const loaded = (): string =>
      execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'src', 'text', 'scan.js')).href)}); process.stdout.write(String(m.UNIT_TABLES_LOADED) + ' ' + m.scanTextJs('Caf\u00e9 \u201cna\u00efve\u201d \u2014 \u00c5ngstr\u00f6m').normalized.text)`], { encoding: 'utf8' });
    const file = readFileSync(join(ROOT, 'dist', 'cli', 'unit-tables.bin'));
    writeFileSync(tables, file);
    assert.equal(loaded(), 'true cafe\u0301 \u201cnai\u0308ve\u201d \u2014 a\u030angstro\u0308m');
    // Another ICU's tables: the key differs, so units are classified as met, to the same result.
    const other = Buffer.from(file);
    other.write('icu 0.0', file.indexOf('icu '), 'latin1');
    writeFileSync(tables, other);
    assert.equal(loaded(), 'false cafe\u0301 \u201cnai\u0308ve\u201d \u2014 a\u030angstro\u0308m');
  });
});
