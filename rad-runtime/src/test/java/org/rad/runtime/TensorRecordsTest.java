package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.annotations.Sampling;

/**
 * The runtime's {@code double[][][]} support: shadows whose slices and rows are the shadows of the
 * field's slices and rows, binding and dropping them, whole records slice by slice (exact copies in
 * an exact context, each row sampled with its own key in a seeded one), contents records, the tape
 * bytes of a field the tape keeps alive, and the {@link Shadows} helpers.
 */
class TensorRecordsTest {
  private static double[][][] field(SplittableRandom r) {
    return new double[][][] {
      {{r.nextDouble(), r.nextDouble()}, null, {r.nextDouble()}},
      null,
      {},
      {{r.nextDouble(), r.nextDouble(), r.nextDouble()}}
    };
  }

  @Test
  void shadowOfAFieldIsMadeOfTheShadowsOfItsSlicesAndRows() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[][][] t = field(new SplittableRandom(1));
    double[] rowFirst = ctx.shadow(t[3][0]); // a row looked up before its field keeps its adjoint
    double[][][] bar = ctx.shadow(t);
    assertSame(bar, ctx.shadow(t));
    assertEquals(4, bar.length);
    assertSame(bar[0], ctx.shadow(t[0]));
    assertSame(bar[0][0], ctx.shadow(t[0][0]));
    assertArrayEquals(new double[2], bar[0][0]);
    assertNull(bar[0][1]);
    assertNull(bar[1]);
    assertEquals(0, bar[2].length);
    assertSame(rowFirst, bar[3][0]);
    assertNull(ctx.shadow((double[][][]) null));
    ctx.end();
  }

  @Test
  void bindingAFieldsAdjointBindsItsSlicesAndRowsAndDroppingForgetsThem() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[][][] t = {{{1, 2}}, {{3}}};
    double[][][] tBar = {{{10, 20}}, {{30}}};
    ctx.bindShadow(t, tBar);
    assertSame(tBar, ctx.shadow(t));
    assertSame(tBar[1], ctx.shadow(t[1]));
    assertSame(tBar[1][0], ctx.shadow(t[1][0]));
    ctx.dropShadow(t);
    assertNotSame(tBar[1][0], ctx.shadow(t[1][0]));
    assertArrayEquals(new double[1], ctx.shadow(t[1][0]));
    ctx.end();
  }

  @Test
  void exactWholeRecordsAreCopiesOfEverySliceAndRow() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[][][] t = field(new SplittableRandom(2));
    ctx.recordSlices(3, Sampling.BERNOULLI, 0.1, t, false, CounterRng.key(4));
    ctx.recordSlices(3, Sampling.BERNOULLI, 0.1, null, false, CounterRng.key(5));
    ctx.endForward();
    // doubles: 2 + 1 + 3; ints: each slice's row lengths (-1 for a null row) and row count (-1 for
    // a null slice), the slice count: 4 + 1 + 1 + 2 + 1; and the null field's -1
    assertEquals(8L * 6 + 4L * (4 + 1 + 1 + 2 + 1 + 1), ctx.peakTapeBytes());
    assertNull(ctx.restoreSlices(3, Sampling.BERNOULLI, 0.1, false, CounterRng.key(5)));
    double[][][] back = ctx.restoreSlices(3, Sampling.BERNOULLI, 0.1, false, CounterRng.key(4));
    assertEquals(4, back.length);
    assertArrayEquals(t[0][0], back[0][0]);
    assertNotSame(t[0][0], back[0][0]);
    assertNull(back[0][1]);
    assertArrayEquals(t[0][2], back[0][2]);
    assertNull(back[1]);
    assertEquals(0, back[2].length);
    assertArrayEquals(t[3][0], back[3][0]);
    ctx.end();
  }

  /** A seeded record keeps what the row records of each slice keep: row r of slice s keyed extend(extend(key, s), r). */
  @Test
  void sampledWholeRecordsSampleEachRowWithItsOwnKey() {
    for (boolean same : new boolean[] {false, true}) {
      double[][][] t = new double[3][4][];
      SplittableRandom r = new SplittableRandom(3);
      for (double[][] slice : t) {
        for (int i = 0; i < slice.length; i++) {
          slice[i] = r.doubles(50, 0.5, 1.5).toArray();
        }
      }
      long key = CounterRng.key(7);
      RadContext slices = RadContext.seeded(11);
      slices.begin();
      slices.recordSlices(2, Sampling.BERNOULLI, 0.2, t, same, key);
      slices.endForward();
      double[][][] back = slices.restoreSlices(2, Sampling.BERNOULLI, 0.2, same, key);
      slices.end();
      RadContext rows = RadContext.seeded(11);
      rows.begin();
      for (int s = 0; s < t.length; s++) {
        rows.recordRows(2, Sampling.BERNOULLI, 0.2, t[s], same, same ? key : CounterRng.extend(key, s));
      }
      rows.endForward();
      for (int s = t.length - 1; s >= 0; s--) {
        double[][] expected = rows.restoreRows(2, Sampling.BERNOULLI, 0.2, same, same ? key : CounterRng.extend(key, s));
        for (int i = 0; i < expected.length; i++) {
          assertArrayEquals(expected[i], back[s][i], "slice " + s + " row " + i + " same " + same);
        }
      }
      rows.end();
      int kept = 0;
      for (double[][] slice : back) {
        for (double[] row : slice) {
          for (double v : row) {
            kept += v != 0 ? 1 : 0;
          }
        }
      }
      // 600 values at f = 0.2: 120 expected, standard deviation 9.8 (independent rows), so the
      // count is well inside (60, 180); with one sample shared by all rows it is 12 times the
      // count of one row, which lies in (0, 50]
      assertTrue(kept > 0 && kept < 600, "kept " + kept);
      if (same) {
        assertEquals(0, kept % 12, "every row keeps the same entries");
      } else {
        assertTrue(kept > 60 && kept < 180, "kept " + kept);
      }
    }
  }

  @Test
  void contentsRecordsRestoreEveryElement() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[][][] t = {{{1, 2}, {3}}, {{4, 5, 6}}};
    double[][][] before = Shadows.deepCopy(t);
    ctx.pushContents(t);
    t[0][1][0] = -1;
    t[1][0][2] = -2;
    ctx.popContents(t);
    for (int s = 0; s < t.length; s++) {
      for (int i = 0; i < t[s].length; i++) {
        assertArrayEquals(before[s][i], t[s][i]);
      }
    }
    ctx.end();
  }

  @Test
  void aFieldOnlyTheTapeKeepsCountsEveryHeaderAndRowOnce() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[][][] t = new double[2][3][4];
    ctx.pushRef(t);
    ctx.pushRef(t[1]); // a slice of it: counted once
    ctx.endForward();
    long rows = 6 * (16 + 8 * 4);
    long slices = 2 * (16 + 8 * 3);
    long field = 16 + 8 * 2;
    assertEquals(rows + slices + field + 2 * RefTape.REF_BYTES, ctx.peakTapeBytes());
    ctx.popRef();
    ctx.popRef();
    ctx.end();
    // an argument's field is alive anyway: nothing of it counts
    RadContext args = RadContext.exact();
    args.begin();
    args.pushRef(t[0][2]);
    args.endForward((Object) t);
    assertEquals(RefTape.REF_BYTES, args.peakTapeBytes());
    args.popRef();
    args.end();
  }

  @Test
  void shadowsHelpersWorkOnFields() {
    double[][][] a = {{{1, 2}}, {{3}, {4, 5}}};
    double[][][] copy = Shadows.deepCopy(a);
    assertNotSame(a[1][1], copy[1][1]);
    assertArrayEquals(a[1][1], copy[1][1]);
    Shadows.addInto(copy, a);
    assertArrayEquals(new double[] {8, 10}, copy[1][1]);
    Shadows.copyInto(copy, a);
    assertArrayEquals(new double[] {4, 5}, copy[1][1]);
    assertArrayEquals(new double[] {1, 2}, copy[0][0]);
  }
}
