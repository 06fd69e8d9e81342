package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The index forms of sampled element records draw exactly what the key forms draw. */
class SampledAtTest {
  @Test
  void indexFormsMatchKeyForms() {
    // pushSampledAt(..., i1, ..., in) is element in of row i(n-1) of the record keyed key(i1, ..., i(n-2))
    RadContext a = RadContext.seeded(5);
    RadContext b = RadContext.seeded(5);
    a.begin();
    b.begin();
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 20; j++) {
        a.pushSampledAt(3, 0.3, i * 100 + j, i, j, 7);
        b.pushSampled(3, 0.3, i * 100 + j, CounterRng.key(i), j, 7);
        a.pushSampledAt(4, 0.3, j, i);
        b.pushSampled(4, 0.3, j, CounterRng.key(), 0, i);
        a.pushSampledAt(5, 0.3, j, i, j);
        b.pushSampled(5, 0.3, j, CounterRng.key(), i, j);
        a.pushSampledAt(6, 0.3, j, 1, i, 70 + j, 2 * j);
        b.pushSampled(6, 0.3, j, CounterRng.key(1, i), 70 + j, 2 * j);
      }
    }
    a.pushSampledAt(7, 0.3, 1.5);
    b.pushSampled(7, 0.3, 1.5, CounterRng.key(), 0, 0);
    assertEquals(b.popSampled(7, 0.3, CounterRng.key(), 0, 0), a.popSampledAt(7, 0.3));
    for (int i = 19; i >= 0; i--) {
      for (int j = 19; j >= 0; j--) {
        assertEquals(b.popSampled(6, 0.3, CounterRng.key(1, i), 70 + j, 2 * j), a.popSampledAt(6, 0.3, 1, i, 70 + j, 2 * j));
        assertEquals(b.popSampled(5, 0.3, CounterRng.key(), i, j), a.popSampledAt(5, 0.3, i, j));
        assertEquals(b.popSampled(4, 0.3, CounterRng.key(), 0, i), a.popSampledAt(4, 0.3, i));
        assertEquals(b.popSampled(3, 0.3, CounterRng.key(i), j, 7), a.popSampledAt(3, 0.3, i, j, 7));
      }
    }
    a.end();
    b.end();
  }

  @Test
  void longSlicesAcrossBlocksRecordWhatElementRecordsRecord() {
    for (double f : new double[] {0.5, 0.05, 0.01}) {
      RadContext a = RadContext.seeded(17);
      RadContext b = RadContext.seeded(17);
      a.begin();
      b.begin();
      double[] v = new double[300];
      for (int x = 0; x < v.length; x++) {
        v[x] = x + 1;
      }
      for (int k = 0; k < 40; k++) {
        a.pushSampledRange(3, f, v, 7 + k, 290 - k, k, 2 * k);
        for (int x = 7 + k; x < 290 - k; x++) {
          b.pushSampledAt(3, f, v[x], k, 2 * k, x);
        }
      }
      a.endForward();
      b.endForward();
      assertEquals(b.peakTapeBytes(), a.peakTapeBytes());
      for (int k = 39; k >= 0; k--) {
        double[] ra = new double[300];
        double[] rb = new double[300];
        java.util.Arrays.fill(ra, -1);
        java.util.Arrays.fill(rb, -1);
        a.popSampledRange(3, f, ra, 7 + k, 290 - k, k, 2 * k);
        for (int x = 289 - k; x >= 7 + k; x--) {
          rb[x] = b.popSampledAt(3, f, k, 2 * k, x);
        }
        assertArrayEquals(rb, ra, "f = " + f + ", k = " + k);
      }
      a.end();
      b.end();
    }
  }

  /** Contexts that must agree with themselves: seeded, exact, unscaled, overridden fraction. */
  static RadContext[] twins(int which) {
    return switch (which) {
      case 0 -> new RadContext[] {RadContext.seeded(9), RadContext.seeded(9)};
      case 1 -> new RadContext[] {RadContext.exact(), RadContext.exact()};
      case 2 -> new RadContext[] {RadContext.unscaledFixedPattern(4), RadContext.unscaledFixedPattern(4)};
      default -> new RadContext[] {RadContext.seeded(2).withFraction(0.6), RadContext.seeded(2).withFraction(0.6)};
    };
  }

  @Test
  void slicesRecordWhatElementRecordsRecord() {
    for (int which = 0; which < 4; which++) {
      for (double f : new double[] {0.3, 0.02, 1.0}) {
        RadContext a = twins(which)[0];
        RadContext b = twins(which)[1];
        a.begin();
        b.begin();
        double[] v = new double[12];
        for (int x = 0; x < v.length; x++) {
          v[x] = 1.5 * x - 4;
        }
        // ranges with every number of outer indices, and an empty one
        a.pushSampledRange(2, f, v, 1, 11);
        a.pushSampledRange(2, f, v, 0, 12, 3);
        a.pushSampledRange(2, f, v, 2, 9, 3, 4);
        a.pushSampledRange(2, f, v, 5, 5, 3, 4);
        a.pushSampledRange(2, f, v, 0, 7, 3, 4, 5);
        a.pushSampledRange(2, f, v, 3, 12, 3, 4, 5, 6);
        a.pushDoubles(v, 4, 10);
        for (int x = 1; x < 11; x++) {
          b.pushSampledAt(2, f, v[x], x);
        }
        for (int x = 0; x < 12; x++) {
          b.pushSampledAt(2, f, v[x], 3, x);
        }
        for (int x = 2; x < 9; x++) {
          b.pushSampledAt(2, f, v[x], 3, 4, x);
        }
        for (int x = 0; x < 7; x++) {
          b.pushSampledAt(2, f, v[x], 3, 4, 5, x);
        }
        for (int x = 3; x < 12; x++) {
          b.pushSampledAt(2, f, v[x], 3, 4, 5, 6, x);
        }
        for (int x = 4; x < 10; x++) {
          b.pushDouble(v[x]);
        }
        a.endForward();
        b.endForward();
        assertEquals(b.peakTapeBytes(), a.peakTapeBytes());
        double[] ra = new double[12];
        double[] rb = new double[12];
        java.util.Arrays.fill(ra, 99);
        java.util.Arrays.fill(rb, 99);
        a.popDoubles(ra, 4, 10);
        for (int x = 9; x >= 4; x--) {
          rb[x] = b.popDouble();
        }
        assertArrayEquals(rb, ra);
        a.popSampledRange(2, f, ra, 3, 12, 3, 4, 5, 6);
        for (int x = 11; x >= 3; x--) {
          rb[x] = b.popSampledAt(2, f, 3, 4, 5, 6, x);
        }
        assertArrayEquals(rb, ra);
        a.popSampledRange(2, f, ra, 0, 7, 3, 4, 5);
        for (int x = 6; x >= 0; x--) {
          rb[x] = b.popSampledAt(2, f, 3, 4, 5, x);
        }
        assertArrayEquals(rb, ra);
        a.popSampledRange(2, f, ra, 5, 5, 3, 4);
        a.popSampledRange(2, f, ra, 2, 9, 3, 4);
        for (int x = 8; x >= 2; x--) {
          rb[x] = b.popSampledAt(2, f, 3, 4, x);
        }
        assertArrayEquals(rb, ra);
        a.popSampledRange(2, f, ra, 0, 12, 3);
        for (int x = 11; x >= 0; x--) {
          rb[x] = b.popSampledAt(2, f, 3, x);
        }
        assertArrayEquals(rb, ra);
        a.popSampledRange(2, f, ra, 1, 11);
        for (int x = 10; x >= 1; x--) {
          rb[x] = b.popSampledAt(2, f, x);
        }
        assertArrayEquals(rb, ra);
        a.end();
        b.end();
      }
    }
  }

  /**
   * A row of a flat array, {@code v[shift + x]} for x in [from, to), keyed by x: the shifted range
   * records what the element records {@code pushSampledAt(site, f, v[shift + x], ..., x)} record,
   * and restores the same elements (dropped ones to 0, the others untouched outside the row).
   */
  @Test
  void shiftedSlicesRecordWhatElementRecordsOfARowRecord() {
    for (int which = 0; which < 4; which++) {
      for (double f : new double[] {0.3, 0.02, 1.0}) {
        RadContext a = twins(which)[0];
        RadContext b = twins(which)[1];
        a.begin();
        b.begin();
        double[] v = new double[200];
        for (int x = 0; x < v.length; x++) {
          v[x] = 0.5 * x - 7;
        }
        a.pushSampledRangeShifted(3, f, v, 70, 1, 69);
        a.pushSampledRangeShifted(3, f, v, 10, 0, 90, 2);
        a.pushSampledRangeShifted(3, f, v, 100, 5, 95, 2, 8);
        a.pushSampledRangeShifted(3, f, v, 33, 1, 130, 2, 8, 4);
        for (int x = 1; x < 69; x++) {
          b.pushSampledAt(3, f, v[70 + x], x);
        }
        for (int x = 0; x < 90; x++) {
          b.pushSampledAt(3, f, v[10 + x], 2, x);
        }
        for (int x = 5; x < 95; x++) {
          b.pushSampledAt(3, f, v[100 + x], 2, 8, x);
        }
        for (int x = 1; x < 130; x++) {
          b.pushSampledAt(3, f, v[33 + x], 2, 8, 4, x);
        }
        a.endForward();
        b.endForward();
        assertEquals(b.peakTapeBytes(), a.peakTapeBytes());
        double[] ra = v.clone();
        double[] rb = v.clone();
        a.popSampledRangeShifted(3, f, ra, 33, 1, 130, 2, 8, 4);
        for (int x = 129; x >= 1; x--) {
          rb[33 + x] = b.popSampledAt(3, f, 2, 8, 4, x);
        }
        assertArrayEquals(rb, ra);
        a.popSampledRangeShifted(3, f, ra, 100, 5, 95, 2, 8);
        for (int x = 94; x >= 5; x--) {
          rb[100 + x] = b.popSampledAt(3, f, 2, 8, x);
        }
        assertArrayEquals(rb, ra);
        a.popSampledRangeShifted(3, f, ra, 10, 0, 90, 2);
        for (int x = 89; x >= 0; x--) {
          rb[10 + x] = b.popSampledAt(3, f, 2, x);
        }
        assertArrayEquals(rb, ra);
        a.popSampledRangeShifted(3, f, ra, 70, 1, 69);
        for (int x = 68; x >= 1; x--) {
          rb[70 + x] = b.popSampledAt(3, f, x);
        }
        assertArrayEquals(rb, ra);
        a.end();
        b.end();
      }
    }
  }

  @Test
  void slicesAcrossChunkBoundaries() {
    // fill the tape up to a few values short of a chunk, so that slices straddle chunk boundaries
    // both when recorded and when restored
    for (double f : new double[] {0.5, 0.9, 0.05}) {
      for (int filler = DoubleTape.CHUNK - 40; filler < DoubleTape.CHUNK + 3; filler += 7) {
        RadContext a = RadContext.seeded(11);
        RadContext b = RadContext.seeded(11);
        a.begin();
        b.begin();
        for (int k = 0; k < filler; k++) {
          a.pushDouble(k);
          b.pushDouble(k);
        }
        double[] v = new double[20];
        for (int r = 0; r < 6; r++) {
          for (int x = 0; x < v.length; x++) {
            v[x] = r * 100 + x + 0.5;
          }
          a.pushSampledRange(4, f, v, 1, 19, r);
          for (int x = 1; x < 19; x++) {
            b.pushSampledAt(4, f, v[x], r, x);
          }
        }
        for (int r = 5; r >= 0; r--) {
          double[] ra = new double[20];
          double[] rb = new double[20];
          a.popSampledRange(4, f, ra, 1, 19, r);
          for (int x = 18; x >= 1; x--) {
            rb[x] = b.popSampledAt(4, f, r, x);
          }
          assertArrayEquals(rb, ra, "filler " + filler + " row " + r);
        }
        for (int k = filler - 1; k >= 0; k--) {
          assertEquals(b.popDouble(), a.popDouble());
        }
        a.end();
        b.end();
      }
    }
  }

  @Test
  void sliceOutsideTheArrayThrows() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> ctx.pushSampledRange(1, 0.5, new double[3], 1, 4, 7));
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> ctx.pushDoubles(new double[3], -1, 2));
    ctx.pushDoubles(new double[3], 5, 5); // empty: records nothing, as an empty loop
    ctx.abort();
  }

  @Test
  void exactContextRecordsEverything() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    ctx.pushSampledAt(1, 0.01, 2.5, 1, 2);
    ctx.pushSampledAt(1, 0.01, 3.5);
    assertEquals(3.5, ctx.popSampledAt(1, 0.01));
    assertEquals(2.5, ctx.popSampledAt(1, 0.01, 1, 2));
    ctx.end();
  }
}
