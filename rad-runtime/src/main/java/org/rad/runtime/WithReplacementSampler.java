package org.rad.runtime;

/**
 * Draws {@code k = CounterRng.sampleCount(f, d)} of the {@code d} entries uniformly with
 * replacement, draw {@code j} being entry {@code CounterRng.index(CounterRng.hash(seed, site,
 * CounterRng.extend(key, j)), d)}, and stores each drawn entry times {@code d / k}. The restored
 * entry {@code i} is {@code v[i] * (d / k) * (times i was drawn)}, whose expectation is {@code v[i]};
 * its variance is {@code v[i]^2 (d - 1) / k}.
 */
final class WithReplacementSampler implements ArraySampler {
  static final WithReplacementSampler INSTANCE = new WithReplacementSampler();

  private WithReplacementSampler() {}

  @Override
  public void record(DoubleTape tape, long seed, int site, double fraction, double[] values, long key) {
    int d = values.length;
    int k = CounterRng.sampleCount(fraction, d);
    double scale = d / (double) k;
    for (int j = 0; j < k; j++) {
      tape.push(values[draw(seed, site, key, j, d)] * scale);
    }
  }

  @Override
  public void restore(DoubleTape tape, long seed, int site, double fraction, double[] out, long key) {
    int d = out.length;
    int k = CounterRng.sampleCount(fraction, d);
    for (int j = k - 1; j >= 0; j--) {
      out[draw(seed, site, key, j, d)] += tape.pop();
    }
  }

  private static int draw(long seed, int site, long key, int j, int d) {
    return CounterRng.index(CounterRng.hash(seed, site, CounterRng.extend(key, j)), d);
  }
}
