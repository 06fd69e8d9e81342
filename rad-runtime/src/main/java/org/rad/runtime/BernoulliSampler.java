package org.rad.runtime;

import java.util.Arrays;

/**
 * Keeps each entry {@code j} independently with probability {@code f}, decided by {@code
 * CounterRng.keep(seed, site, key, 0, j, f)} (entry {@code j} is element {@code j} of row 0 of the
 * record keyed {@code key}), and stores {@code v[j] / f}; dropped entries are restored as 0.
 *
 * <p>The static range methods are the one implementation of Bernoulli records of several elements
 * (array records here, row slices in {@link RadContext}): they draw the decisions of a block of 64
 * at once with {@link CounterRng#keptLanes}, which costs about one hash per kept element, and touch
 * only the kept entries.
 */
final class BernoulliSampler implements ArraySampler {
  static final BernoulliSampler INSTANCE = new BernoulliSampler();

  private BernoulliSampler() {}

  @Override
  public void record(DoubleTape tape, long seed, int site, double fraction, double[] values, long key) {
    if (values.length > 0) {
      pushKept(tape, CounterRng.hash(seed, site, key), 0, CounterRng.skipTable(fraction), fraction, values, 0, 0,
          values.length);
    }
  }

  @Override
  public void restore(DoubleTape tape, long seed, int site, double fraction, double[] out, long key) {
    if (out.length > 0) {
      popKept(tape, CounterRng.hash(seed, site, key), 0, CounterRng.skipTable(fraction), out, 0, 0, out.length);
    }
  }

  /**
   * Pushes {@code a[shift + x] / divisor} for each element {@code x} in {@code [from, to)} of row
   * {@code row} that the record with base hash {@code base} keeps (with the skip table of its
   * fraction), in increasing {@code x}: what that many element records in a loop over {@code x}
   * push. {@code 0 <= from < to}; {@code shift} places the elements in {@code a} (a row of a flat
   * array at offset {@code shift}; 0 for a whole array).
   */
  static void pushKept(DoubleTape tape, long base, long row, long[] table, double divisor, double[] a, int shift,
      int from, int to) {
    if (to <= 64) {
      // One block, the usual row: small enough for the JIT to inline where the record is taken,
      // and at small fractions most rows keep nothing.
      long kept = CounterRng.keptLanes(base, row, 0, lanes(from, to), table);
      if (kept != 0) {
        pushLanes(tape, kept, divisor, a, shift);
      }
      return;
    }
    for (int block = from >> 6, last = (to - 1) >> 6; block <= last; block++) {
      int start = block << 6;
      pushLanes(tape, CounterRng.keptLanes(base, row, block, lanes(from - start, to - start), table), divisor, a,
          shift + start);
    }
  }

  /** Pushes {@code a[offset + l] / divisor} for each lane {@code l} set in {@code kept}, in increasing {@code l}. */
  private static void pushLanes(DoubleTape tape, long kept, double divisor, double[] a, int offset) {
    while (kept != 0) {
      tape.push(a[offset + Long.numberOfTrailingZeros(kept)] / divisor);
      kept &= kept - 1;
    }
  }

  /**
   * The reverse of {@link #pushKept} of the same range: pops the kept values into their entries,
   * in decreasing {@code x}, and sets the dropped entries of {@code [from, to)} to 0.
   */
  static void popKept(DoubleTape tape, long base, long row, long[] table, double[] a, int shift, int from, int to) {
    if (to <= 64) { // one block, as in pushKept
      long kept = CounterRng.keptLanes(base, row, 0, lanes(from, to), table);
      Arrays.fill(a, shift + from, shift + to, 0.0);
      if (kept != 0) {
        popLanes(tape, kept, a, shift);
      }
      return;
    }
    for (int block = (to - 1) >> 6, first = from >> 6; block >= first; block--) {
      int start = block << 6;
      long kept = CounterRng.keptLanes(base, row, block, lanes(from - start, to - start), table);
      Arrays.fill(a, shift + Math.max(from, start), shift + Math.min(to, start + 64), 0.0);
      popLanes(tape, kept, a, shift + start);
    }
  }

  /** Pops into {@code a[offset + l]} for each lane {@code l} set in {@code kept}, in decreasing {@code l}. */
  private static void popLanes(DoubleTape tape, long kept, double[] a, int offset) {
    while (kept != 0) {
      int lane = 63 - Long.numberOfLeadingZeros(kept);
      a[offset + lane] = tape.pop();
      kept &= ~(1L << lane);
    }
  }

  /**
   * Pushes what {@code pushKept} pushes for each row {@code r} in {@code [rowFrom, rowTo)}, in
   * increasing {@code r}, drawing the rows {@link RowDraws#ROWS} at a time. Row {@code r} is {@code
   * m[offset + r]} (from its element 0) where {@code m} is not null, else the slice of {@code flat}
   * at {@code r * stride + offset}. {@code 0 <= from < to <= 64}; every row holds {@code [from, to)}.
   */
  static void pushRows(DoubleTape tape, RowDraws draws, long base, long[] table, double divisor, double[][] m,
      double[] flat, int stride, int offset, int rowFrom, int rowTo, int from, int to) {
    long lanes = lanes(from, to);
    for (int first = rowFrom, count; first < rowTo; first += count) {
      count = (int) Math.min(RowDraws.ROWS, (long) rowTo - first); // first + count <= rowTo: no overflow
      int walked = draws.draw(base, first, count, lanes, table);
      for (int k = 0; k < walked; k++) {
        int r = first + draws.rows[k];
        if (m != null) {
          pushLanes(tape, draws.kept[k], divisor, m[offset + r], 0);
        } else {
          pushLanes(tape, draws.kept[k], divisor, flat, r * stride + offset);
        }
      }
    }
  }

  /** The mask of lanes {@code [lo, hi)} of a block, clamped to {@code [0, 64)}. */
  private static long lanes(int lo, int hi) {
    long upTo = hi >= 64 ? -1L : (1L << hi) - 1;
    return lo <= 0 ? upTo : upTo & (-1L << lo);
  }
}
