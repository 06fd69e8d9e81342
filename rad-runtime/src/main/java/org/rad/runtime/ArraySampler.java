package org.rad.runtime;

import org.rad.annotations.Sampling;

/**
 * One way of recording a whole array onto the double tape for the reverse sweep and restoring an
 * unbiased reconstruction of it. Implementations keep no state: what they push is regenerated from
 * {@code (seed, site, key)} when restoring, so only the kept values are stored. The exact formulas
 * are in the comment at the top of {@code CounterRng.java}.
 */
interface ArraySampler {
  /** Pushes what the reverse sweep needs to reconstruct {@code values}. */
  void record(DoubleTape tape, long seed, int site, double fraction, double[] values, long key);

  /**
   * Pops what {@link #record} pushed for an array of {@code out.length} entries and writes the
   * reconstruction into {@code out}, which holds zeros on entry.
   */
  void restore(DoubleTape tape, long seed, int site, double fraction, double[] out, long key);

  /** The sampler for {@code sampling} at {@code fraction}; a fraction of 1 records exactly. */
  static ArraySampler of(Sampling sampling, double fraction) {
    if (fraction >= 1) {
      return ExactSampler.INSTANCE;
    }
    switch (sampling) {
      case BERNOULLI:
        return BernoulliSampler.INSTANCE;
      case WITH_REPLACEMENT:
        return WithReplacementSampler.INSTANCE;
      case WITHOUT_REPLACEMENT:
        return WithoutReplacementSampler.INSTANCE;
      case RADEMACHER:
        return RademacherSampler.INSTANCE;
      default:
        throw new IllegalArgumentException("unknown sampling " + sampling);
    }
  }
}
