package org.rad.runtime;

/**
 * A random projection onto {@code k = CounterRng.sampleCount(f, d)} dimensions: with {@code R} the
 * {@code d x k} matrix of signs {@code R[i][j] = sign(hash(seed, site, extend(extend(key, i), j >>>
 * 6)), j & 63) / sqrt(k)} (one hash gives 64 signs of a row), stores {@code z = R^T v} and restores
 * {@code R z = R R^T v}. {@code E[R R^T] = I}, and restored entry {@code i} has variance {@code
 * (|v|^2 - v[i]^2) / k}. Recording and restoring take {@code O(d k)} operations.
 */
final class RademacherSampler implements ArraySampler {
  static final RademacherSampler INSTANCE = new RademacherSampler();

  private RademacherSampler() {}

  @Override
  public void record(DoubleTape tape, long seed, int site, double fraction, double[] values, long key) {
    int d = values.length;
    int k = CounterRng.sampleCount(fraction, d);
    double[] z = new double[k];
    for (int i = 0; i < d; i++) {
      double v = values[i];
      long rowKey = CounterRng.extend(key, i);
      for (int block = 0; block * 64 < k; block++) {
        long h = CounterRng.hash(seed, site, CounterRng.extend(rowKey, block));
        int base = block * 64;
        int end = Math.min(64, k - base);
        for (int t = 0; t < end; t++) {
          z[base + t] += CounterRng.sign(h, t) * v;
        }
      }
    }
    double scale = 1.0 / Math.sqrt(k);
    for (int j = 0; j < k; j++) {
      z[j] *= scale;
    }
    tape.pushAll(z, 0, k);
  }

  @Override
  public void restore(DoubleTape tape, long seed, int site, double fraction, double[] out, long key) {
    int d = out.length;
    int k = CounterRng.sampleCount(fraction, d);
    double[] z = new double[k];
    tape.popAll(z, 0, k);
    double scale = 1.0 / Math.sqrt(k);
    for (int i = 0; i < d; i++) {
      long rowKey = CounterRng.extend(key, i);
      double sum = 0;
      for (int block = 0; block * 64 < k; block++) {
        long h = CounterRng.hash(seed, site, CounterRng.extend(rowKey, block));
        int base = block * 64;
        int end = Math.min(64, k - base);
        for (int t = 0; t < end; t++) {
          sum += CounterRng.sign(h, t) * z[base + t];
        }
      }
      out[i] = scale * sum;
    }
  }
}
