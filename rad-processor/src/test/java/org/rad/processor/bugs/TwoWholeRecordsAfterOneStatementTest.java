package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found by a tester writing {@code @Randomize} programs: two marked arrays whose last use is one
 * statement ({@code return a[0] * b[0];}) are recorded whole after it, {@code a} then {@code b},
 * and the reverse sweep restored them in the same order instead of the reverse, so each got the
 * other's record: with {@code RadContext.exact()} the gradient was 0.0540 where 0.1058 is exact,
 * and with arrays of different lengths the restore ran past the tape ("double tape underflow").
 * The restores now run last recorded first. Checked exactly against the closed form.
 */
class TwoWholeRecordsAfterOneStatementTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      import org.rad.annotations.Randomize;
      public class Two {
        @Differentiable(wrt = "x")
        static double sameLength(double[] x) {
          @Randomize(fraction = 0.5) double[] a = {x[0] * x[0]};
          @Randomize(fraction = 0.5) double[] b = {x[1] * x[1]};
          return a[0] * b[0];
        }

        @Differentiable(wrt = "x")
        static double otherLength(double[] x) {
          @Randomize(fraction = 0.5) double[] a = {x[0] * x[0]};
          @Randomize(fraction = 0.5) double[] b = {x[1] * x[1], x[0]};
          return a[0] * b[0] + b[1];
        }
      }
      """;

  @Test
  void theRestoresRunLastRecordedFirst() throws Exception {
    Compiled compiled = Compiled.compile("demo.Two", SOURCE);
    Class<?> grad = compiled.load("demo.TwoGrad");
    double[] x = {0.3, 0.7};
    for (String name : new String[] {"sameLength", "otherLength"}) {
      Method g = grad.getDeclaredMethod(name, double[].class, double[].class, RadContext.class);
      g.setAccessible(true);
      double[] xBar = new double[2];
      g.invoke(null, x.clone(), xBar, RadContext.exact());
      double extra = name.equals("otherLength") ? 1 : 0;
      assertArrayEquals(new double[] {2 * x[0] * x[1] * x[1] + extra, 2 * x[1] * x[0] * x[0]}, xBar, 1e-15, name);
    }
  }
}
