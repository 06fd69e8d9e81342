package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code pushSampledRows} records exactly what its loop of {@code pushSampledRange} records: the
 * same values in the same order, so that the reverse sweep restores the rows one by one.
 */
class SampledRowsTest {
  private static double[][] matrix(int rows, int width, Random random) {
    double[][] m = new double[rows][width];
    for (double[] row : m) {
      for (int x = 0; x < width; x++) {
        row[x] = random.nextGaussian();
      }
    }
    return m;
  }

  @Test
  void rowsRecordWhatTheirLoopRecords() {
    Random random = new Random(3);
    for (int which = 0; which < 4; which++) {
      for (double f : new double[] {0.3, 0.02, 0.01, 1.0}) {
        // one block (the usual row), a full block, several blocks, and 100 rows (two batches)
        for (int[] shape : new int[][] {{40, 33, 1, 32}, {10, 64, 0, 64}, {6, 150, 3, 140}, {103, 20, 2, 19}}) {
          int rows = shape[0];
          int width = shape[1];
          int from = shape[2];
          int to = shape[3];
          double[][] m = matrix(rows, width, random);
          RadContext a = SampledAtTest.twins(which)[0];
          RadContext b = SampledAtTest.twins(which)[1];
          a.begin();
          b.begin();
          // every number of outer indices; a shifted block of rows; an empty one
          a.pushSampledRows(5, f, m, 0, 1, rows - 1, from, to);
          a.pushSampledRows(5, f, m, 0, 0, rows, from, to, 7);
          a.pushSampledRows(5, f, m, 2, 0, rows - 3, from, to, 7, 8);
          a.pushSampledRows(5, f, m, 0, 0, rows, from, to, 7, 8, 9);
          a.pushSampledRows(5, f, m, 1, 0, rows - 1, from, to, 7, 8, 9, 10);
          a.pushSampledRows(5, f, m, 0, 4, 4, from, to, 7);
          for (int r = 1; r < rows - 1; r++) {
            b.pushSampledRange(5, f, m[r], from, to, r);
          }
          for (int r = 0; r < rows; r++) {
            b.pushSampledRange(5, f, m[r], from, to, 7, r);
          }
          for (int r = 0; r < rows - 3; r++) {
            b.pushSampledRange(5, f, m[2 + r], from, to, 7, 8, r);
          }
          for (int r = 0; r < rows; r++) {
            b.pushSampledRange(5, f, m[r], from, to, 7, 8, 9, r);
          }
          for (int r = 0; r < rows - 1; r++) {
            b.pushSampledRange(5, f, m[1 + r], from, to, 7, 8, 9, 10, r);
          }
          a.endForward();
          b.endForward();
          String what = "context " + which + ", f = " + f + ", rows " + rows + " x [" + from + ", " + to + ")";
          assertEquals(b.peakTapeBytes(), a.peakTapeBytes(), what);
          // both tapes restored row by row, in reverse
          double[][] ra = new double[rows][width];
          double[][] rb = new double[rows][width];
          for (int r = rows - 2; r >= 0; r--) {
            a.popSampledRange(5, f, ra[1 + r], from, to, 7, 8, 9, 10, r);
            b.popSampledRange(5, f, rb[1 + r], from, to, 7, 8, 9, 10, r);
          }
          for (int r = rows - 1; r >= 0; r--) {
            a.popSampledRange(5, f, ra[r], from, to, 7, 8, 9, r);
            b.popSampledRange(5, f, rb[r], from, to, 7, 8, 9, r);
          }
          assertArrayEquals(rb, ra, what);
          for (int r = rows - 4; r >= 0; r--) {
            a.popSampledRange(5, f, ra[2 + r], from, to, 7, 8, r);
            b.popSampledRange(5, f, rb[2 + r], from, to, 7, 8, r);
          }
          for (int r = rows - 1; r >= 0; r--) {
            a.popSampledRange(5, f, ra[r], from, to, 7, r);
            b.popSampledRange(5, f, rb[r], from, to, 7, r);
          }
          for (int r = rows - 2; r >= 1; r--) {
            a.popSampledRange(5, f, ra[r], from, to, r);
            b.popSampledRange(5, f, rb[r], from, to, r);
          }
          assertArrayEquals(rb, ra, what);
          a.end();
          b.end();
        }
      }
    }
  }

  @Test
  void stridedRowsRecordWhatTheirLoopRecords() {
    Random random = new Random(5);
    for (int which = 0; which < 4; which++) {
      for (double f : new double[] {0.3, 0.02, 1.0}) {
        // stride, offset, rows, from, to: the reactor's flat rows, wide rows, overlapping ones
        for (int[] shape : new int[][] {{33, 0, 33, 1, 32}, {100, 5, 7, 2, 97}, {10, 3, 70, 0, 16}}) {
          int stride = shape[0];
          int offset = shape[1];
          int rows = shape[2];
          int from = shape[3];
          int to = shape[4];
          double[] v = new double[(rows - 1) * stride + offset + to];
          for (int x = 0; x < v.length; x++) {
            v[x] = random.nextGaussian();
          }
          RadContext a = SampledAtTest.twins(which)[0];
          RadContext b = SampledAtTest.twins(which)[1];
          a.begin();
          b.begin();
          a.pushSampledStrided(6, f, v, stride, offset, 1, rows, from, to);
          a.pushSampledStrided(6, f, v, stride, offset, 0, rows, from, to, 4);
          a.pushSampledStrided(6, f, v, stride, offset, 2, rows - 1, from, to, 4, 5);
          a.pushSampledStrided(6, f, v, stride, offset, 3, 3, from, to, 4, 5);
          for (int r = 1; r < rows; r++) {
            b.pushSampledRangeShifted(6, f, v, r * stride + offset, from, to, r);
          }
          for (int r = 0; r < rows; r++) {
            b.pushSampledRangeShifted(6, f, v, r * stride + offset, from, to, 4, r);
          }
          for (int r = 2; r < rows - 1; r++) {
            b.pushSampledRangeShifted(6, f, v, r * stride + offset, from, to, 4, 5, r);
          }
          a.endForward();
          b.endForward();
          String what = "context " + which + ", f = " + f + ", stride " + stride + ", rows " + rows;
          assertEquals(b.peakTapeBytes(), a.peakTapeBytes(), what);
          double[] ra = new double[v.length];
          double[] rb = new double[v.length];
          for (int r = rows - 2; r >= 2; r--) {
            a.popSampledRangeShifted(6, f, ra, r * stride + offset, from, to, 4, 5, r);
            b.popSampledRangeShifted(6, f, rb, r * stride + offset, from, to, 4, 5, r);
          }
          for (int r = rows - 1; r >= 0; r--) {
            a.popSampledRangeShifted(6, f, ra, r * stride + offset, from, to, 4, r);
            b.popSampledRangeShifted(6, f, rb, r * stride + offset, from, to, 4, r);
          }
          for (int r = rows - 1; r >= 1; r--) {
            a.popSampledRangeShifted(6, f, ra, r * stride + offset, from, to, r);
            b.popSampledRangeShifted(6, f, rb, r * stride + offset, from, to, r);
          }
          assertArrayEquals(rb, ra, what);
          a.end();
          b.end();
        }
      }
    }
  }

  @Test
  void aRowTheLoopWouldFailAtFailsTheCall() {
    double[][] m = new double[4][10];
    m[2] = new double[5];
    RadContext ctx = RadContext.seeded(1);
    ctx.begin();
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> ctx.pushSampledRows(1, 0.1, m, 0, 0, 4, 1, 9, 3));
    m[2] = null;
    assertThrows(NullPointerException.class, () -> ctx.pushSampledRows(1, 0.1, m, 0, 0, 4, 1, 9, 3));
    assertThrows(IllegalArgumentException.class, () -> ctx.pushSampledRows(1, 1.5, m, 0, 0, 1, 1, 9, 3));
    double[] flat = new double[30];
    assertThrows(ArrayIndexOutOfBoundsException.class, () -> ctx.pushSampledStrided(1, 0.1, flat, 10, 1, 0, 3, 0, 10));
  }
}
