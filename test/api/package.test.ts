import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import ts from 'typescript';
import {
  SieveError,
  TextView,
  buildReport,
  computeSignals,
  createDsirScorer,
  dedup,
  explainRecipe,
  fitDsirFiles,
  listSignals,
  loadDsirModel,
  mergeManifests,
  minhashBands,
  openParquetColumns,
  readDocuments,
  registerSignal,
  resampleDsir,
  runRecipe,
  writeJsonl,
  type Document,
  type SignalDefinition,
} from 'pajama-sieve';
import { ROOT, duckdb, tempDir } from '../helpers.js';

const INDEX_DTS = join(ROOT, 'dist', 'src', 'index.d.ts');

/** The entry points a user starts from: every type their parameters and results name must be importable. */
const ENTRY_POINTS = [
  'readDocuments', 'writeJsonl', 'writeParquet', 'readParquetBatches', 'TextView', 'computeSignals', 'runRecipe', 'explainRecipe',
  'dedup', 'fitDsirFiles', 'loadDsirModel', 'createDsirScorer', 'resampleDsir', 'buildReport', 'registerSignal',
  'registerSignalFamily', 'listSignals', 'mergeManifests', 'minhashBands', 'SieveError',
];

interface PackageTypes {
  readonly checker: ts.TypeChecker;
  readonly program: ts.Program;
  readonly exports: readonly ts.Symbol[];
}
let typesOnce: PackageTypes | undefined;

/** The package root's declarations, as a user's TypeScript sees them (compiled once per file). */
function packageTypes(): PackageTypes {
  typesOnce ??= compilePackageTypes();
  return typesOnce;
}

function compilePackageTypes(): PackageTypes {
  const program = ts.createProgram([INDEX_DTS], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    types: ['node'],
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(INDEX_DTS)!)!);
  return { checker, program, exports: exports.map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s)) };
}

/** n distinct words without digits: `purra purrb …`. */
const WORDS = (n: number, stem: string) => Array.from({ length: n }, (_, i) => stem + String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26))).join(' ');
const CAT = 'The cat sat on the warm mat and watched the birds outside the window while the kettle boiled in the kitchen and the rain fell on the garden.';
const FINANCE = 'Quarterly revenue rose while operating margins narrowed as the bank raised interest rates and bond yields climbed across every maturity.';
const DOCS = [
  { id: 'cat-1', text: `${CAT} ${WORDS(40, 'purr')} the end` },
  { id: 'cat-2', text: `${CAT} ${WORDS(40, 'purr')} the finish` },
  { id: 'money', text: `${FINANCE} ${WORDS(40, 'coin')}` },
  { id: 'digits', text: 'Call 555 0100 or 555 0199 before 2024 12 31 for 50 % off order 12345 now.' },
  { id: 'empty', text: '' },
];

/** ASCII digits over code points, null for an empty text: the custom signal, restated. */
const digitShare = (text: string) => (text.length === 0 ? null : (text.match(/[0-9]/g) ?? []).length / [...text].length);
const idInt = (id: string) => createHash('sha1').update(id).digest().readBigUInt64LE(0);

const fracDigitChars: SignalDefinition = {
  name: 'api_doc_frac_digit_chars',
  level: 'doc',
  type: 'f64',
  description: 'ASCII digits over all characters.',
  compute: (view) => (view.length === 0 ? null : (view.raw.match(/[0-9]/g) ?? []).length / view.length),
};

describe("the package root ('pajama-sieve', issue 10)", () => {
  let dir: string;
  let input: string;
  before(async () => {
    dir = tempDir();
    input = join(dir, 'docs.jsonl');
    assert.equal(await writeJsonl(input, DOCS), DOCS.length);
  });

  it('resolves by its own name to the built dist/, with its types', () => {
    assert.equal(import.meta.resolve('pajama-sieve'), pathToFileURL(join(ROOT, 'dist', 'src', 'index.js')).href);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.exports['.'].types, './dist/src/index.d.ts');
    assert.ok(existsSync(join(ROOT, pkg.exports['.'].types)));
  });

  it('documents every export with TSDoc, and declares no `any`', () => {
    const { checker, program, exports } = packageTypes();
    assert.ok(exports.length > 200);
    const undocumented = exports.filter((s) => ts.displayPartsToString(s.getDocumentationComment(checker)).trim() === '').map((s) => s.name);
    assert.deepEqual(undocumented, []);
    const anys: string[] = [];
    for (const file of program.getSourceFiles().filter((f) => f.fileName.startsWith(join(ROOT, 'dist')))) {
      const visit = (node: ts.Node): void => {
        if (node.kind === ts.SyntaxKind.AnyKeyword) anys.push(`${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    assert.deepEqual(anys, []);
  });

  it("exports every type its entry points' parameters and results name", () => {
    const { checker, exports } = packageTypes();
    const exported = new Set(exports);
    const missing = new Set<string>();
    const seen = new Set<ts.Symbol>();
    const visit = (symbol: ts.Symbol): void => {
      if (seen.has(symbol)) return;
      seen.add(symbol);
      for (const decl of symbol.declarations ?? []) {
        if (!decl.getSourceFile().fileName.startsWith(join(ROOT, 'dist'))) continue;
        const named = ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl) || ts.isClassDeclaration(decl);
        if (named && !exported.has(symbol)) missing.add(`${symbol.name} (${decl.getSourceFile().fileName.slice(ROOT.length + 1)})`);
        const walk = (node: ts.Node): void => {
          // Private class members are not part of the surface.
          if (ts.isPropertyDeclaration(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) return;
          if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
            const target = checker.getSymbolAtLocation(ts.isTypeReferenceNode(node) ? node.typeName : node.expression);
            if (target) visit(target.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(target) : target);
          }
          ts.forEachChild(node, walk);
        };
        ts.forEachChild(decl, walk);
      }
    };
    for (const name of ENTRY_POINTS) {
      const symbol = exports.find((s) => s.name === name);
      assert.ok(symbol, `${name} is exported`);
      visit(symbol);
    }
    assert.deepEqual([...missing], []);
  });

  it("README's Library example type-checks against the package's declarations", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const code = /^## Library\n[^]*?^```ts\n([^]*?)^```$/m.exec(readme)?.[1];
    assert.ok(code, 'README has a ts block under ## Library');
    // A module beside package.json, so that 'pajama-sieve' resolves as it does for a user's file.
    const file = join(ROOT, 'readme-library.mts');
    const options: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, types: ['node'], skipLibCheck: true };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, code, version) : getSourceFile(name, version, ...rest));
    host.fileExists = (name) => name === file || fileExists(name);
    host.readFile = (name) => (name === file ? code : readFile(name));
    const program = ts.createProgram([file], options, host);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
  });

  it('writes, reads and views documents; a missing input is a SieveError naming it', async () => {
    const read: Document[] = [];
    for await (const batch of readDocuments(input)) read.push(...batch.documents);
    assert.deepEqual(read.map((d) => [d.id, d.text]), DOCS.map((d) => [d.id, d.text]));
    assert.deepEqual(new TextView('Hello,   World!\nSecond line.').normalizedWords, ['hello', 'world', 'second', 'line']);
    const missing = join(dir, 'nope.jsonl');
    await assert.rejects(
      async () => {
        for await (const _ of readDocuments(missing)) assert.fail('no batch expected');
      },
      (err: unknown) => err instanceof SieveError && err.code === 'E_INPUT_MISSING' && err.location?.file === missing,
    );
  });

  it('registerSignal: a signal of your own is listed, computed into Parquet, and ruled on by recipes, explain and the report', async () => {
    registerSignal(fracDigitChars);
    const listed = listSignals().find((r) => r.signal.name === fracDigitChars.name);
    assert.equal(listed?.family.id, fracDigitChars.name);
    assert.equal(listed?.family.version, 1);
    assert.throws(() => registerSignal(fracDigitChars), (err: unknown) => err instanceof SieveError && err.code === 'E_USAGE');

    const signals = join(dir, 'signals');
    const computed = await computeSignals({ inputs: [input], out: signals, signals: [fracDigitChars.name, 'rps_doc_word_count'], workers: 1 });
    assert.equal(computed.manifest.totals.documents, DOCS.length);
    const rows = await duckdb(`SELECT id, ${fracDigitChars.name} AS digits, rps_doc_word_count AS words FROM '${join(signals, 'docs.signals.parquet')}'`);
    assert.deepEqual(
      rows.map((r) => [r.id, r.digits, Number(r.words)]),
      DOCS.map((d) => [d.id, digitShare(d.text), d.text === '' ? 0 : d.text.split(/\s+/).filter((w) => /\w/.test(w)).length]),
    );
    const columns = await openParquetColumns(join(signals, 'docs.signals.parquet'));
    assert.deepEqual(columns.strings('id'), rows.map((r) => r.id));
    assert.deepEqual(Array.from(columns.numbers('rps_doc_word_count')), rows.map((r) => Number(r.words)));

    const recipe = join(dir, 'few-digits.yaml');
    writeFileSync(recipe, `name: few-digits\nsteps:\n  - keep: { name: few_digits, when: ${fracDigitChars.name} <= 0.05 }\n  - dedup: { method: minhash, threshold: 0.8 }\n`);
    const run = join(dir, 'run');
    const { manifest } = await runRecipe({ recipe, inputs: [input], out: run, workers: 1 });
    const [keptCat, droppedCat] = idInt('cat-1') < idInt('cat-2') ? ['cat-1', 'cat-2'] : ['cat-2', 'cat-1'];
    const kept = gunzipSync(readFileSync(join(run, 'kept', 'docs.jsonl.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l).id);
    assert.deepEqual(kept, ['cat-1', 'cat-2', 'money'].filter((id) => id !== droppedCat));
    assert.ok(kept.includes(keptCat));
    assert.deepEqual(manifest.totals.dropped, { few_digits: 2, dedup: 1 });

    const explained = await explainRecipe({ recipe, inputs: [input], out: join(dir, 'explain'), workers: 1 });
    assert.equal(explained.rules[0].drops, DOCS.filter((d) => !((digitShare(d.text) ?? Infinity) <= 0.05)).length);
    assert.deepEqual(explained.notExplained, ['dedup']);

    const report = await buildReport({ run, workers: 1 });
    assert.match(readFileSync(report.path, 'utf8'), new RegExp(`aria-label="${fracDigitChars.name} \\(documents\\)"`));
  });

  it('minhashBands and dedup: the near-duplicate pair shares a band and one cluster; RPv2 keeps its smaller id_int', async () => {
    const [a, b, other] = minhashBands(DOCS.slice(0, 3).map((d) => new TextView(d.text)));
    const shares = (x: typeof a, y: typeof a) => x!['signature_sim0.8'].some((band, j) => Buffer.from(band).equals(y!['signature_sim0.8'][j]));
    assert.ok(shares(a, b));
    assert.ok(!shares(a, other));
    assert.equal(minhashBands([new TextView('too short to shingle')])[0], null);

    const out = join(dir, 'dedup');
    const { manifest } = await dedup({ inputs: [input], out, workers: 1 });
    assert.equal(manifest.totals.clusters, 1);
    assert.equal(manifest.totals.duplicates, 1);
    const members = await duckdb(`SELECT id, CAST(id_int AS VARCHAR) AS id_int, cluster_size FROM '${join(out, 'clusters.parquet')}' ORDER BY id`);
    assert.deepEqual(members.map((r) => [r.id, BigInt(String(r.id_int)), Number(r.cluster_size)]), [['cat-1', idInt('cat-1'), 2], ['cat-2', idInt('cat-2'), 2]]);
    const duplicates = await duckdb(`SELECT id FROM '${join(out, 'duplicates', 'docs.duplicates.parquet')}'`);
    assert.deepEqual(duplicates.map((r) => r.id), [idInt('cat-1') < idInt('cat-2') ? 'cat-2' : 'cat-1']);
  });

  it('DSIR: fitDsirFiles writes the model loadDsirModel reads; the scorer and resampleDsir prefer the target-like document', async () => {
    const target = join(dir, 'target.jsonl');
    await writeJsonl(target, [{ id: 't1', text: CAT }, { id: 't2', text: `${CAT} The cat purred on the mat.` }]);
    const pool = join(dir, 'pool.jsonl');
    const poolDocs = [
      { id: 'p-money-1', text: FINANCE },
      { id: 'p-cat', text: 'The cat watched the rain fell on the garden while the kettle boiled.' },
      { id: 'p-money-2', text: `${FINANCE} Yields climbed again.` },
    ];
    await writeJsonl(pool, poolDocs);
    const modelPath = join(dir, 'cat.dsir.json');
    const { model } = await fitDsirFiles({ target: [target], raw: [pool], out: modelPath });
    assert.deepEqual(await loadDsirModel(modelPath), model);
    assert.equal(model.target.documents, 2);
    assert.equal(model.raw.documents, 3);

    const weights = createDsirScorer(model).importanceOfTexts(poolDocs.map((d) => d.text));
    assert.ok(weights[1] > weights[0] && weights[1] > weights[2], `weights ${weights}`);
    const out = join(dir, 'resample');
    const { manifest } = await resampleDsir({ model: modelPath, inputs: [pool], out, k: 1, seed: 3, workers: 1 });
    assert.equal(manifest.totals.kept, 1);
    const chosen = gunzipSync(readFileSync(join(out, 'kept', 'pool.jsonl.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l).id);
    assert.deepEqual(chosen, ['p-cat']);
  });

  it('mergeManifests: the manifests of two array tasks merge into the manifest of one run', async () => {
    const second = join(dir, 'second.jsonl');
    await writeJsonl(second, [{ id: 's1', text: CAT }]);
    const tasks = join(dir, 'tasks');
    for (const index of [0, 1]) await computeSignals({ inputs: [input, second], out: tasks, signals: ['rps_doc_word_count'], slice: { index, count: 2 }, workers: 1 });
    assert.ok(!existsSync(join(tasks, 'manifest.json')));
    const merged = await mergeManifests(tasks);
    assert.equal(merged.tasks, 2);
    assert.equal(merged.path, join(tasks, 'manifest.json'));
    const whole = await computeSignals({ inputs: [input, second], out: join(dir, 'whole'), signals: ['rps_doc_word_count'], workers: 1 });
    assert.deepEqual(JSON.parse(readFileSync(merged.path, 'utf8')), JSON.parse(JSON.stringify(whole.manifest)));
  });
});
