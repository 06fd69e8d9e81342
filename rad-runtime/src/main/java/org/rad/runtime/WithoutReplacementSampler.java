package org.rad.runtime;

/**
 * Selects exactly {@code k = CounterRng.sampleCount(f, d)} distinct entries, every subset of size
 * {@code k} equally likely, by selection sampling (Knuth's algorithm S): entry {@code i} is
 * selected iff {@code uniform(hash(seed, site, extend(key, i))) < (k - m) / (d - i)}, where {@code
 * m} entries were selected before it. Stores the selected entries times {@code d / k} in
 * increasing order; the others are restored as 0. Restored entry {@code i} has expectation {@code
 * v[i]} and variance {@code v[i]^2 (d / k - 1)}.
 */
final class WithoutReplacementSampler implements ArraySampler {
  static final WithoutReplacementSampler INSTANCE = new WithoutReplacementSampler();

  private WithoutReplacementSampler() {}

  @Override
  public void record(DoubleTape tape, long seed, int site, double fraction, double[] values, long key) {
    int d = values.length;
    int k = CounterRng.sampleCount(fraction, d);
    double scale = d / (double) k;
    int selected = 0;
    for (int i = 0; i < d && selected < k; i++) {
      if (selects(seed, site, key, i, d, k, selected)) {
        tape.push(values[i] * scale);
        selected++;
      }
    }
  }

  @Override
  public void restore(DoubleTape tape, long seed, int site, double fraction, double[] out, long key) {
    int d = out.length;
    int k = CounterRng.sampleCount(fraction, d);
    // the selection depends on what came before, so it runs forward, marking the selected entries
    // in out (which holds zeros), and the kept values are then popped backward into the marks
    int selected = 0;
    for (int i = 0; i < d && selected < k; i++) {
      if (selects(seed, site, key, i, d, k, selected)) {
        out[i] = 1;
        selected++;
      }
    }
    for (int i = d - 1; i >= 0; i--) {
      if (out[i] != 0) {
        out[i] = tape.pop();
      }
    }
  }

  private static boolean selects(long seed, int site, long key, int i, int d, int k, int selected) {
    double u = CounterRng.uniform(CounterRng.hash(seed, site, CounterRng.extend(key, i)));
    return u < (double) (k - selected) / (double) (d - i);
  }
}
