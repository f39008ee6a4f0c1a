/**
 * The Poisson log-probability the reference's length correction takes from scipy
 * (`poisson.logpmf(k, λ) = xlogy(k, λ) − gammaln(k + 1) − λ`), for integer k.
 */

/** ln(n!) for n ≤ 22, from n! itself: every one of these factorials is exact in a double. */
const SMALL_LOG_FACTORIALS: Float64Array = (() => {
  const out = new Float64Array(23);
  let f = 1;
  for (let n = 1; n < out.length; n++) {
    f *= n;
    out[n] = Math.log(f);
  }
  return out;
})();

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln(n!) = lnΓ(n + 1) for an integer n ≥ 0: exact factorials up to 22, then Stirling's series to
 * the n⁻⁷ term, whose remainder is below 1/(1188 n⁹) < 5e-16 from n = 23 on.
 */
export function logFactorial(n: number): number {
  if (n < SMALL_LOG_FACTORIALS.length) return SMALL_LOG_FACTORIALS[n];
  const r = 1 / n;
  const r2 = r * r;
  const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)));
  return (n + 0.5) * Math.log(n) - n + HALF_LOG_2PI + series;
}

/** ln Pois(k; λ) = k ln λ − ln k! − λ, with 0 · ln 0 = 0 (scipy's `xlogy`). */
export function logPoissonPmf(k: number, lambda: number): number {
  const klog = k === 0 ? 0 : k * Math.log(lambda);
  return klog - logFactorial(k) - lambda;
}

/**
 * The reference's length correction (spec §8.3): ln(Pois(L; λ_t) + 1e-8) − ln(Pois(L; λ_q) + 1e-8).
 * The reference passes the document's length in characters as L while λ is a mean word count
 * (spec §12 quirk 9); callers reproduce that by passing the code-point length.
 */
export function poissonLengthCorrection(length: number, targetLambda: number, rawLambda: number): number {
  return Math.log(Math.exp(logPoissonPmf(length, targetLambda)) + 1e-8) - Math.log(Math.exp(logPoissonPmf(length, rawLambda)) + 1e-8);
}
