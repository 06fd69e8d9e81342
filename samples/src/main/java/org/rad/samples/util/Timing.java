package org.rad.samples.util;

import java.util.Arrays;

/** Small helpers for the benchmarks' timings. */
public final class Timing {
  private Timing() {}

  /** The median of {@code nanos}, in milliseconds (the mean of the middle two for an even count). */
  public static double medianMillis(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    double m = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    return m / 1e6;
  }
}
