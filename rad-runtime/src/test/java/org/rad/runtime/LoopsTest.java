package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Loops} against brute force: the last index a forward loop reaches, and that the reverse
 * loop generated code writes with it visits exactly the forward indices in reverse.
 */
class LoopsTest {
  private static final int COMBOS = 20_000;

  private enum Kind { BELOW, AT_MOST, ABOVE, AT_LEAST }

  /** The indices {@code for (i = a; cond; i ±= step)} visits. */
  private static List<Long> forward(Kind kind, long a, long b, long step) {
    List<Long> visited = new ArrayList<>();
    switch (kind) {
      case BELOW -> { for (long i = a; i < b; i += step) visited.add(i); }
      case AT_MOST -> { for (long i = a; i <= b; i += step) visited.add(i); }
      case ABOVE -> { for (long i = a; i > b; i -= step) visited.add(i); }
      case AT_LEAST -> { for (long i = a; i >= b; i -= step) visited.add(i); }
    }
    return visited;
  }

  /** The indices the reverse loop from {@code last} visits: down to a, or up to a for decreasing loops. */
  private static List<Long> reverse(Kind kind, long a, long last, long step) {
    List<Long> visited = new ArrayList<>();
    if (kind == Kind.BELOW || kind == Kind.AT_MOST) {
      for (long i = last; i >= a; i -= step) visited.add(i);
    } else {
      for (long i = last; i <= a; i += step) visited.add(i);
    }
    return visited;
  }

  private static int lastInt(Kind kind, int a, int b, int step) {
    return switch (kind) {
      case BELOW -> Loops.lastBelow(a, b, step);
      case AT_MOST -> Loops.lastAtMost(a, b, step);
      case ABOVE -> Loops.lastAbove(a, b, step);
      case AT_LEAST -> Loops.lastAtLeast(a, b, step);
    };
  }

  private static long lastLong(Kind kind, long a, long b, long step) {
    return switch (kind) {
      case BELOW -> Loops.lastBelow(a, b, step);
      case AT_MOST -> Loops.lastAtMost(a, b, step);
      case ABOVE -> Loops.lastAbove(a, b, step);
      case AT_LEAST -> Loops.lastAtLeast(a, b, step);
    };
  }

  private static void checkCombo(Kind kind, int a, int b, int step) {
    String where = kind + " a=" + a + " b=" + b + " step=" + step;
    List<Long> fwd = forward(kind, a, b, step);
    int last = lastInt(kind, a, b, step);
    long lastL = lastLong(kind, a, b, step);
    assertEquals(last, lastL, "int and long versions agree: " + where);
    if (!fwd.isEmpty()) {
      assertEquals((long) fwd.get(fwd.size() - 1), last, "last index: " + where);
    }
    List<Long> expectedReverse = new ArrayList<>(fwd);
    java.util.Collections.reverse(expectedReverse);
    assertEquals(expectedReverse, reverse(kind, a, last, step), "reverse loop: " + where);
    assertEquals(expectedReverse, reverse(kind, a, lastL, step), "reverse loop (long): " + where);
  }

  @Test
  void randomSmallRangesIncludingEmptyAndNegative() {
    SplittableRandom random = new SplittableRandom(20240601);
    int empty = 0;
    for (int n = 0; n < COMBOS; n++) {
      int a = random.nextInt(-60, 61);
      int b = random.nextInt(-60, 61);
      int step = random.nextInt(1, 9);
      for (Kind kind : Kind.values()) {
        checkCombo(kind, a, b, step);
        if (forward(kind, a, b, step).isEmpty()) {
          empty++;
        }
      }
    }
    // the sample really contained empty loops (about half of them)
    assertEquals(true, empty > COMBOS, "empty loops sampled: " + empty);
  }

  @Test
  void boundaryCombos() {
    int[] points = {-10, -3, -1, 0, 1, 2, 3, 7, 10};
    for (int a : points) {
      for (int b : points) {
        for (int step = 1; step <= 12; step++) {
          for (Kind kind : Kind.values()) {
            checkCombo(kind, a, b, step);
          }
        }
      }
    }
  }

  @Test
  void largeBoundsAndStepsWithoutBruteForce() {
    SplittableRandom random = new SplittableRandom(99);
    for (int n = 0; n < COMBOS; n++) {
      int a = random.nextInt(-1_000_000_000, 1_000_000_000);
      int b = random.nextInt(-1_000_000_000, 1_000_000_000);
      int step = random.nextInt(1, 100_000_000);
      // closed forms in long arithmetic, checked independently
      long lo = Math.min(a, b), hi = Math.max(a, b);
      for (Kind kind : Kind.values()) {
        long last = lastInt(kind, a, b, step);
        assertEquals(last, lastLong(kind, a, b, step));
        boolean up = kind == Kind.BELOW || kind == Kind.AT_MOST;
        boolean inclusive = kind == Kind.AT_MOST || kind == Kind.AT_LEAST;
        boolean runs = up ? (inclusive ? a <= b : a < b) : (inclusive ? a >= b : a > b);
        String where = kind + " a=" + a + " b=" + b + " step=" + step;
        if (!runs) {
          assertEquals(up ? (long) a - step : (long) a + step, last, where);
          continue;
        }
        long dist = up ? last - a : a - last;
        assertEquals(0, dist % step, "on the lattice: " + where);
        // last is in range and one more step leaves it
        long next = up ? last + step : last - step;
        if (up) {
          assertEquals(true, inclusive ? last <= b && next > b : last < b && next >= b, where);
        } else {
          assertEquals(true, inclusive ? last >= b && next < b : last > b && next <= b, where);
        }
        assertEquals(true, last >= lo && last <= hi, where);
      }
    }
  }

  @Test
  void rangeLongerThanIntMaxDoesNotOverflow() {
    int a = -2_000_000_000;
    int b = 2_000_000_000;
    assertEquals(b - 1, Loops.lastBelow(a, b, 1));
    assertEquals(b, Loops.lastAtMost(a, b, 1));
    assertEquals(a + 1, Loops.lastAbove(b, a, 1));
    assertEquals(a, Loops.lastAtLeast(b, a, 1));
    assertEquals(a + 3L * ((4_000_000_000L - 1) / 3), Loops.lastBelow(a, b, 3));
    assertEquals(Integer.MAX_VALUE - 1, Loops.lastBelow(Integer.MIN_VALUE, Integer.MAX_VALUE, 1));
    assertEquals(Integer.MAX_VALUE, Loops.lastAtMost(Integer.MIN_VALUE, Integer.MAX_VALUE, 1));
  }

  @Test
  void longVersionsWithLargeValues() {
    long a = -5_000_000_000_000L;
    long b = 7_000_000_000_003L;
    assertEquals(b - 1 - ((b - 1 - a) % 7), Loops.lastBelow(a, b, 7L));
    assertEquals(b - ((b - a) % 7), Loops.lastAtMost(a, b, 7L));
    assertEquals(a + 1 + ((b - a - 1) % 7), Loops.lastAbove(b, a, 7L));
    assertEquals(a + ((b - a) % 7), Loops.lastAtLeast(b, a, 7L));
    assertEquals(a - 7, Loops.lastBelow(a, a, 7L));
  }

  @Test
  void longRangesBeyondLongMaxValue() {
    long min = Long.MIN_VALUE;
    long max = Long.MAX_VALUE;
    assertEquals(max - 1, Loops.lastBelow(min, max, 1L));
    assertEquals(max, Loops.lastAtMost(min, max, 1L));
    assertEquals(min + 1, Loops.lastAbove(max, min, 1L));
    assertEquals(min, Loops.lastAtLeast(max, min, 1L));
    // 2^64 - 1 = 3 * 5 * 17 * 257 * 641 * 65537 * 6700417: from min, step 3 reaches max exactly
    assertEquals(max, Loops.lastAtMost(min, max, 3L));
    assertEquals(max - 3, Loops.lastBelow(min, max, 3L));
    assertEquals(min, Loops.lastAtLeast(max, min, 3L));
    assertEquals(min + 3, Loops.lastAbove(max, min, 3L));
    // step 2: the distance 2^64 - 1 is odd, so the last index stops one short of max
    assertEquals(max - 1, Loops.lastAtMost(min, max, 2L));
    assertEquals(min + 1, Loops.lastAtLeast(max, min, 2L));
    long step = 1L << 62;
    assertEquals(min + 3 * step, Loops.lastBelow(min, max, step));
    assertEquals(max - 3 * step, Loops.lastAbove(max, min, step));
  }
}
