package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found by the fuzzer (seed 2028, program 3347; the build of the session before gives it too): a
 * {@code @Randomize} array that a helper returned was recorded whole after its last use and
 * restored as a new array, while the helper's reverse sweep read it through the reference its own
 * tape kept: the helper saw the caller's later values, and the exact gradient was wrong (-0.05625
 * for v[2] where central differences give -0.0675). Such an array is now sampled element by
 * element, as one a helper keeps by reference already was. Gradient of the exact context against
 * central differences.
 */
class ReturnedArraySampledWholeTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      import org.rad.annotations.Randomize;
      public class Returned {
        static double[] mirrored(double x, double[] v) {
          double[] res = new double[v.length];
          for (int i = 0; i < res.length; i++) {
            res[i] += (res[res.length - 1 - i] + x) * v[i];
          }
          return res;
        }

        @Differentiable(wrt = {"x", "y", "v"})
        static double f(double x, double y, double[] v, double[] w) {
          @Randomize(fraction = 0.5) double[] a = mirrored((x + 1.5) * (0.5 + y), v);
          for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < i; k++) {
              a[i] -= 0.3 * a[k] * (y * y) / 0.5;
            }
            a[i] = a[i] * 0.5;
          }
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * w[i];
          }
          return s;
        }
      }
      """;

  @Test
  void theHelperReadsTheArrayItReturnedAsTheCallLeftIt() {
    Compiled c = Compiled.compile("demo.Returned", SOURCE);
    of("f", r -> new Object[] {r.nextDouble(-0.5, 0.5), r.nextDouble(-0.5, 0.5), vector(r, 3, -1, 1), vector(r, 3, -1, 1)},
        0, 1, 2).check(c.load("demo.Returned"), c.load("demo.ReturnedGrad"));
  }
}
