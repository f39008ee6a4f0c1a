/** DSIR: hashed n-gram features, model fit, importance weights and Gumbel top-k resampling. */

export { DSIR_FEATURE_KINDS, RPV2_FEATURES, checkFeatureSpec, featureBatch, featureSpecProblems, featureView, featuresLine, textFeatureBatch, textFeatureBatchAsync } from './features.js';
export type { DsirFeatureKind, DsirFeatureSpec, FeatureBatch, FeatureOptions } from './features.js';
export { addFeatures, countFiles, emptyCounts, mergeCounts } from './counts.js';
export type { CountFilesOptions, DsirCorpusCounts } from './counts.js';
export { DSIR_MODEL_FORMAT, DSIR_MODEL_VERSION, fitDsirModel, loadDsirModel, parseDsirModel, saveDsirModel, serializeDsirModel } from './model.js';
export type { DsirModel, DsirModelSide } from './model.js';
export { fitDsirFiles } from './fit.js';
export type { FitOptions, FitSummary } from './fit.js';
export { createDsirScorer, logRatioOf, logRatioWeights } from './score.js';
export type { DsirScorer } from './score.js';
export { logFactorial, logPoissonPmf, poissonLengthCorrection } from './poisson.js';
export { gumbelKeys, gumbelNoise, parseSeed } from './gumbel.js';
export { createTopK } from './top-k.js';
export type { TopK, TopKSelection } from './top-k.js';
export { resamplingKeys } from './resample-tasks.js';
export { resampleDsir } from './resample.js';
export { parseResampleStep } from './resample-step.js';
export type { DsirResampleStep } from './resample-step.js';
export type { ResampleManifest, ResampleManifestInput, ResampleOptions, ResampleSummary } from './resample.js';
export { writeDsirFeatures } from './features-task.js';
export type { DsirFeaturesOptions } from './features-task.js';
export { DSIR_NAME_PATTERN, RPV2_DSIR_NAMES, checkDsirRefs, loadDsirSignalModels, parseDsirRef } from './signal-models.js';
export type { DsirModelRef, DsirSignalModel } from './signal-models.js';
