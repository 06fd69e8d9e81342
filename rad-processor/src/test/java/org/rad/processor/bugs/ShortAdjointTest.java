package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found by a user-style test: an adjoint array shorter than its parameter failed with a bare
 * ArrayIndexOutOfBoundsException from inside the reverse sweep, after part of the writes into the
 * method's arrays had been undone, so such an array was left neither as it was nor as the method
 * leaves it. The entry now checks the adjoints first (runtime Arguments) and throws an
 * IllegalArgumentException that names the method and the parameter, before it runs anything.
 */
class ShortAdjointTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Short {
        @Differentiable(wrt = {"x", "c"})
        public static double f(double[] x, double[] acc, double c, double[][] m) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            acc[0] = acc[0] * x[i] * c;
            s += acc[0] + m[i % m.length][0];
          }
          return s;
        }

        // reads its matrix only: a ragged adjoint failed in the reverse sweep with a bare index exception
        @Differentiable(wrt = "m")
        public static double g(double[][] m) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
              s += m[i][j] * m[i][j];
            }
          }
          return s;
        }
      }
      """;

  static Method f;
  static Method g;

  @BeforeAll
  static void compile() throws Exception {
    Compiled c = Compiled.compile("demo.Short", SOURCE);
    f = c.load("demo.ShortGrad").getMethod("f", double[].class, double[].class, double.class, double[][].class,
        double[].class, double[].class);
    g = c.load("demo.ShortGrad").getMethod("g", double[][].class, double[][].class);
  }

  /**
   * Found by a tester: a method that only reads its matrix, given an adjoint with a short row, threw
   * an ArrayIndexOutOfBoundsException from its reverse sweep; a matrix's adjoint is now checked
   * always (row by row: little beside the work on its rows), a double[]'s only where the method
   * writes into an array (a small function's entry pays nothing for it).
   */
  @Test
  void aRaggedMatrixAdjointIsRefusedEvenWhereTheMatrixIsOnlyRead() throws Exception {
    double[][] m = {{1, 2}, {3, 4, 5}};
    InvocationTargetException e = assertThrows(InvocationTargetException.class,
        () -> g.invoke(null, m, new double[][] {new double[2], new double[2]}));
    assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().contains("row 1 of the adjoint of m must have the row's length, 3"), e.getCause().getMessage());
    double[][] mBar = {new double[2], new double[3]};
    assertEquals(55, (double) g.invoke(null, m, mBar), 0);
    assertArrayEquals(new double[] {6, 8, 10}, mBar[1], 0);
  }

  static void call(double[] x, double[] acc, double[] xBar, double[] cBar) throws Exception {
    try {
      f.invoke(null, x, acc, 1.0, new double[][] {{1}}, xBar, cBar);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void aShortAdjointIsRefusedBeforeAnythingRuns() {
    double[] acc = {1};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> call(new double[] {2, 3, 5}, acc, new double[2], new double[1]));
    assertTrue(e.getMessage().contains("the adjoint of x must have its length, 3, not an array of length 2"), e.getMessage());
    assertArrayEquals(new double[] {1}, acc, 0);
    IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
        () -> call(new double[] {2, 3, 5}, acc, new double[3], new double[0]));
    assertTrue(d.getMessage().contains("the adjoint of the double c must be an array of one element"), d.getMessage());
  }

  @Test
  void adjointsOfTheRightLengthOrLongerAreTaken() throws Exception {
    double[] acc = {1};
    double[] xBar = new double[4];
    call(new double[] {2, 3, 5}, acc, xBar, new double[1]);
    assertEquals(30, acc[0], 0);
    assertEquals(0, xBar[3], 0);
  }
}
