/**
 * pajama-sieve: RedPajama v2 quality signals, recipes and dedup for LLM pretraining corpora.
 * Every public export is listed here explicitly, by area; every CLI command is one of these calls.
 *
 * @example
 * import { computeSignals, runRecipe, dedup, fitDsirFiles, resampleDsir } from 'pajama-sieve';
 * await computeSignals({ inputs: ['shards/'], out: 'out/signals' });
 * const { manifest } = await runRecipe({ recipe: 'recipes/c4.yaml', inputs: ['shards/'], out: 'out/c4' });
 */

// Documents and errors
export type { Document, DocumentBatch, Rejection } from './document.js';
export type { DuplicateIds } from './io/duplicate-ids.js';
export { SieveError, ERROR_CODES, formatLocation } from './errors.js';
export type { ErrorCode, ErrorLocation, Severity, SieveErrorOptions, SourceIssue } from './errors.js';

// Reading and writing
export { readDocuments } from './io/read-documents.js';
export type { ReadDocumentsOptions } from './io/read-documents.js';
export type { ReadOptions, OnError } from './io/read-options.js';
export { FORMATS, COMPRESSIONS, kindFromName, stripExtensions } from './io/formats.js';
export type { Format, Compression, FileKind } from './io/formats.js';
export { writeJsonl } from './io/jsonl-writer.js';
export { writeParquet } from './io/parquet-writer.js';
export type { ParquetWriteOptions } from './io/parquet-writer.js';
export { readParquetBatches, parquetInfo } from './io/parquet.js';
export type { ParquetInfo } from './io/parquet.js';
export { openParquetColumns } from './io/parquet-columns.js';
export type { ParquetColumnFile, ColumnKind, NumberLists } from './io/parquet-columns.js';
export { expandInputs } from './io/inputs.js';
export type { InputShard } from './io/inputs.js';

// Text: the views every signal reads
export { TextView, normalize, round8, pySplit, codePointLength, wordPunctTokenize } from './text/index.js';
export type { LineSlice, WordVocabulary } from './text/index.js';
export type { TokenSpans } from './text/tokenize.js';

// Signals: definitions and the registry
export type {
  SignalSpec,
  SignalContext,
  SignalResources,
  SignalDefinition,
  NumericDocSignal,
  StringDocSignal,
  BytesDocSignal,
  BandsDocSignal,
  LineSignal,
  DocValue,
  SignalFamily,
  SignalLevel,
  SignalType,
} from './signal.js';
export { registerSignalFamily, registerImportanceSignals, listSignals, listFamilies, resolveSignals } from '../signals/index.js';
export type { RegisteredSignal } from '../signals/index.js';
export { registerSignal } from './register-signal.js';
export type { RegisterSignalOptions } from './register-signal.js';
export { SignalBatchBuilder, signalSchema, arrowType, LINE_ENDS } from './columns/signal-columns.js';

export { FastTextModel, LanguageIdentifier, loadModelData, parseClassifierSpec, loadFastTextResources, fastTextResources } from './fasttext/index.js';
export type { Prediction, LanguageGuess, ClassifierSpec, FastTextClassifier, FastTextResourceData, FastTextResources, FastTextModelData, FastTextArgs, DictionaryData, MatrixData, DenseMatrixData, QuantMatrixData, ProductQuantizerData, LossName, ModelName, IntTableData } from './fasttext/index.js';
export { Dictionary, IntList } from './fasttext/dictionary.js';

// Computing signals, runs over many shards, manifests
export { computeSignals } from './pipeline/compute-signals.js';
export type { ComputeSignalsOptions, Progress, SignalsSummary } from './pipeline/compute-signals.js';
export type { ReadRunOptions, TaskSlice } from './pipeline/run-shards.js';
export type { OutputFormat } from './pipeline/shard-task.js';
export type { Manifest, ManifestInput, ManifestTotals } from './pipeline/manifest.js';
export { mergeManifests } from './pipeline/merge-manifests.js';
export type { MergedManifests, TaskManifest } from './pipeline/merge-manifests.js';
export { inspectFile } from './inspect.js';
export type { FileSummary } from './inspect.js';
export { PACKAGE_VERSION } from './version.js';

// Recipes
export { runRecipe } from './recipe/run-recipe.js';
export type { RunRecipeOptions, RunManifest, RunSummary } from './recipe/run-recipe.js';
export type { RecipeShardResult } from './recipe/recipe-task.js';
export { explainRecipe, SWEEP_FACTORS } from './recipe/explain.js';
export type { ExplainOptions, ExplainReport, RuleReport } from './recipe/explain.js';
export { parseRecipe, loadRecipe } from './recipe/recipe.js';
export type { Recipe, RecipeStep, RuleStep, GlobalStep } from './recipe/recipe.js';
export { parseExpression, checkExpression, parseRule, catalogFromSpecs } from './recipe/expression.js';
export type { Expr, CheckedExpression, SignalCatalog, SignalInfo } from './recipe/expression.js';
export { evaluateDocRule, evaluateLineRule } from './recipe/evaluate.js';
export { columnsFromArrow, columnsFromParquet } from './recipe/columns.js';
export type { RuleColumns, DocColumn, LineColumn } from './recipe/columns.js';
export { filterSignals } from './recipe/filter-signals.js';
export type { SignalFilterResult } from './recipe/filter-signals.js';
export type { RunDistributions, StepDistribution, SignalAtStep } from './recipe/run-distributions.js';
export type { SampleRecord } from './recipe/run-samples.js';
export type { ValueCounts } from './recipe/value-counts.js';

// Dedup: MinHash LSH (RPv2's bands) and exact
export { dedup, dedupStage, CLUSTERS_FILE, DEDUP_STAGES } from './dedup/dedup.js';
export type { DedupOptions, DedupManifest, DedupSummary, DedupStage } from './dedup/dedup.js';
export type { DedupKeysResult } from './dedup/dedup-task.js';
export { DEDUP_METHODS } from './dedup/shard-keyer.js';
export type { DedupMethod, ExactKey } from './dedup/shard-keyer.js';
export { KEEP_RULES } from './dedup/clusters.js';
export type { KeepRule } from './dedup/clusters.js';
export { DEDUP_THRESHOLDS } from './dedup/keys.js';

// Reports
export { buildReport } from './report/build-report.js';
export type { ReportOptions, ReportSummary } from './report/build-report.js';

// DSIR (fitDsirFiles, resampleDsir, loadDsirModel, createDsirScorer, …) and hashing (minhashBands,
// dsirFeatures, …): each area's index lists its exports.
export * from './hash/index.js';
export * from './dsir/index.js';
export { getBackend, availableBackends, backendInfo } from './native.js';
export type { BackendInfo, BackendStatus } from './native.js';
