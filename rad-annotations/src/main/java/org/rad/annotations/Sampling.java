package org.rad.annotations;

/**
 * How the records of a {@link Randomize} variable are sampled. Every sampler is unbiased: the
 * value the reverse sweep restores has the recorded value as its expectation, so derivative terms
 * that are affine in it stay unbiased.
 *
 * <p>{@code f} is {@link Randomize#fraction()}, {@code d} the length of a whole-array record and
 * {@code k = ceil(f d)} (at least 1, at most {@code d}). A fraction of 1 records exactly, whatever
 * the sampler.
 */
public enum Sampling {
  /**
   * Keeps each recorded value independently with probability {@code f} and stores {@code v / f};
   * a dropped value costs nothing and is restored as 0. The paper's diagonal projection
   * {@code P = diag(b / f)}, {@code b ~ Bernoulli(f)}. Works for scalar and whole-array records;
   * the memory kept is {@code f} of the exact record in expectation.
   */
  BERNOULLI,

  /**
   * Whole-array records: draws {@code k} of the {@code d} entries uniformly with replacement and
   * stores each drawn entry scaled by {@code d / k} (an entry drawn twice is stored twice and
   * counts twice). The memory kept is exactly {@code k} values.
   */
  WITH_REPLACEMENT,

  /**
   * Whole-array records: draws {@code k} distinct entries of the {@code d} uniformly (every subset of
   * size {@code k} equally likely) and stores them scaled by {@code d / k}. Lower variance than
   * {@link #WITH_REPLACEMENT}; the memory kept is exactly {@code k} values.
   */
  WITHOUT_REPLACEMENT,

  /**
   * Whole-array records: a random projection. Stores {@code z = R^T v} where {@code R} is a
   * {@code d x k} matrix of independent signs {@code +-1/sqrt(k)}, and restores {@code R z = R R^T v}
   * ({@code E[R R^T] = I}). Mixes all entries into every stored value, so it suits vectors whose
   * entries are all of similar importance; recording and restoring cost {@code O(d k)} operations.
   * The memory kept is exactly {@code k} values. (The paper's appendix.)
   */
  RADEMACHER
}
