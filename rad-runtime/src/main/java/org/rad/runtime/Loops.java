package org.rad.runtime;

/**
 * The last value a counted loop's index took, so a reverse sweep can run the loop backwards
 * without recording its index: for {@code for (i = a; i < b; i += step)} the reverse is
 * {@code for (i = lastBelow(a, b, step); i >= a; i -= step)}. When the loop ran no iteration the
 * value returned lies outside the range, so the reverse loop does not run either.
 */
public final class Loops {
  private Loops() {}

  /** Last i of {@code for (i = a; i < b; i += step)}, step &gt; 0. */
  public static int lastBelow(int a, int b, int step) {
    return b <= a ? a - step : a + (int) (((long) b - a - 1) / step) * step;
  }

  /** Last i of {@code for (i = a; i <= b; i += step)}, step &gt; 0. */
  public static int lastAtMost(int a, int b, int step) {
    return b < a ? a - step : a + (int) (((long) b - a) / step) * step;
  }

  /** Last i of {@code for (i = a; i > b; i -= step)}, step &gt; 0. */
  public static int lastAbove(int a, int b, int step) {
    return b >= a ? a + step : a - (int) (((long) a - b - 1) / step) * step;
  }

  /** Last i of {@code for (i = a; i >= b; i -= step)}, step &gt; 0. */
  public static int lastAtLeast(int a, int b, int step) {
    return b > a ? a + step : a - (int) (((long) a - b) / step) * step;
  }

  // The long versions divide the distance as unsigned: it is non-negative but may exceed
  // Long.MAX_VALUE (e.g. from Long.MIN_VALUE to Long.MAX_VALUE); the product wraps back exactly.

  /** Last i of {@code for (i = a; i < b; i += step)}, step &gt; 0. */
  public static long lastBelow(long a, long b, long step) {
    return b <= a ? a - step : a + Long.divideUnsigned(b - a - 1, step) * step;
  }

  /** Last i of {@code for (i = a; i <= b; i += step)}, step &gt; 0. */
  public static long lastAtMost(long a, long b, long step) {
    return b < a ? a - step : a + Long.divideUnsigned(b - a, step) * step;
  }

  /** Last i of {@code for (i = a; i > b; i -= step)}, step &gt; 0. */
  public static long lastAbove(long a, long b, long step) {
    return b >= a ? a + step : a - Long.divideUnsigned(a - b - 1, step) * step;
  }

  /** Last i of {@code for (i = a; i >= b; i -= step)}, step &gt; 0. */
  public static long lastAtLeast(long a, long b, long step) {
    return b > a ? a + step : a - Long.divideUnsigned(a - b, step) * step;
  }
}
