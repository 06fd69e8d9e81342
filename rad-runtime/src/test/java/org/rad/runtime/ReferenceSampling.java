package org.rad.runtime;

import org.rad.annotations.Sampling;

/**
 * The reconstruction a sampled array record must restore, written directly from the formulas in
 * the comment at the top of CounterRng.java (not from the samplers), so the tests pin those
 * formulas: a CUDA port that follows them draws the same samples.
 */
final class ReferenceSampling {
  private ReferenceSampling() {}

  static double[] restored(Sampling sampling, long s, int site, double f, double[] v, long key) {
    int d = v.length;
    double[] out = new double[d];
    if (f >= 1) {
      return v.clone();
    }
    int k = CounterRng.sampleCount(f, d);
    double scale = d / (double) k;
    switch (sampling) {
      case BERNOULLI -> {
        for (int j = 0; j < d; j++) {
          if (keptByFormula(s, site, key, 0, j, f)) {
            out[j] = v[j] / f;
          }
        }
      }
      case WITH_REPLACEMENT -> {
        for (int j = 0; j < k; j++) {
          int i = CounterRng.index(CounterRng.hash(s, site, CounterRng.extend(key, j)), d);
          out[i] += v[i] * scale;
        }
      }
      case WITHOUT_REPLACEMENT -> {
        int m = 0;
        for (int i = 0; i < d; i++) {
          double u = CounterRng.uniform(CounterRng.hash(s, site, CounterRng.extend(key, i)));
          if (u < (double) (k - m) / (double) (d - i)) {
            out[i] = v[i] * scale;
            m++;
          }
        }
      }
      case RADEMACHER -> {
        double[][] sign = new double[d][k];
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < k; j++) {
            long h = CounterRng.hash(s, site, CounterRng.extend(CounterRng.extend(key, i), j >>> 6));
            sign[i][j] = CounterRng.sign(h, j & 63);
          }
        }
        double inv = 1.0 / Math.sqrt(k);
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
          double sum = 0;
          for (int i = 0; i < d; i++) {
            sum += sign[i][j] * v[i];
          }
          z[j] = inv * sum;
        }
        for (int i = 0; i < d; i++) {
          double sum = 0;
          for (int j = 0; j < k; j++) {
            sum += sign[i][j] * z[j];
          }
          out[i] = inv * sum;
        }
      }
    }
    return out;
  }

  /**
   * Whether element {@code x} of row {@code r} of the Bernoulli record keyed {@code key} is kept,
   * walked as the formula states: the skip table by repeated multiplication, then draws {@code
   * u(m)} of the element's block and skips found by a linear search, until the walk reaches or
   * passes the element's lane.
   */
  static boolean keptByFormula(long s, int site, long key, long r, long x, double f) {
    if (f >= 1) {
      return true;
    }
    long[] q = new long[65];
    double p = 1.0;
    q[0] = 1L << 53;
    for (int k = 1; k <= 64; k++) {
      p = p * (1.0 - f);
      q[k] = (long) (p * 0x1.0p53);
    }
    long base = CounterRng.hash(s, site, key);
    long block = x >> 6;
    int lane = (int) (x & 63);
    int at = -1;
    for (int m = 0; m < 65; m++) {
      long u = CounterRng.mix(base + r * CounterRng.INDEX_MULTIPLIER + (65 * block + m + 1) * CounterRng.GOLDEN) >>> 11;
      int skip = 0;
      while (skip < 64 && u < q[skip + 1]) {
        skip++;
      }
      at += 1 + skip;
      if (at >= lane) {
        return at == lane;
      }
    }
    throw new AssertionError("a block takes at most 65 draws");
  }

  /** The variance of restored entry {@code i} (closed form, for the sampler's Javadoc claims). */
  static double variance(Sampling sampling, double f, double[] v, int i) {
    int d = v.length;
    int k = CounterRng.sampleCount(f, d);
    double vi2 = v[i] * v[i];
    return switch (sampling) {
      case BERNOULLI -> vi2 * (1 - f) / f;
      case WITH_REPLACEMENT -> vi2 * (d - 1) / k;
      case WITHOUT_REPLACEMENT -> vi2 * ((double) d / k - 1);
      case RADEMACHER -> {
        double norm2 = 0;
        for (double x : v) {
          norm2 += x * x;
        }
        yield (norm2 - vi2) / k;
      }
    };
  }
}
