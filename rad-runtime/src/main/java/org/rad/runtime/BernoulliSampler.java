package org.rad.runtime;

/**
 * Keeps each entry {@code j} independently with probability {@code f}, decided by {@code
 * CounterRng.keep(seed, site, CounterRng.extend(key, j), f)}, and stores {@code v[j] / f}; dropped
 * entries are restored as 0. The same decisions as element records of the entries with the
 * extended keys.
 */
final class BernoulliSampler implements ArraySampler {
  static final BernoulliSampler INSTANCE = new BernoulliSampler();

  private BernoulliSampler() {}

  @Override
  public void record(DoubleTape tape, long seed, int site, double fraction, double[] values, long key) {
    for (int j = 0; j < values.length; j++) {
      if (CounterRng.keep(seed, site, CounterRng.extend(key, j), fraction)) {
        tape.push(values[j] / fraction);
      }
    }
  }

  @Override
  public void restore(DoubleTape tape, long seed, int site, double fraction, double[] out, long key) {
    for (int j = out.length - 1; j >= 0; j--) {
      if (CounterRng.keep(seed, site, CounterRng.extend(key, j), fraction)) {
        out[j] = tape.pop();
      }
    }
  }
}
