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
      }
      """;

  static Method f;

  @BeforeAll
  static void compile() throws Exception {
    Compiled c = Compiled.compile("demo.Short", SOURCE);
    f = c.load("demo.ShortGrad").getMethod("f", double[].class, double[].class, double.class, double[][].class,
        double[].class, double[].class);
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
