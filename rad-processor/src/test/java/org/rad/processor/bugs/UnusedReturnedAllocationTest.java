package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by the differential fuzzer (seed 20261205, program 197): a helper that allocates the
 * array it returns and also writes into an array argument is differentiated for its write, with
 * its result unused at every call; the helper's reverse sweep took the returned array's adjoint
 * to be the caller's (null there) and threw a NullPointerException.
 */
class UnusedReturnedAllocationTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Unused {
        static double[] a0(double x0, double[] v1) {
          double[] res = new double[v1.length];
          v1[0] += 6.0 * Math.atan2(x0, 1.5 + Math.cos(v1[0]));
          res[0] = res[0] * Math.sin(x0) + x0;
          x0 *= res[1];
          return res;
        }

        @Differentiable(wrt = {"x0"})
        static double f(double x0) {
          double[] a8 = new double[3];
          for (int i = 0; i < 3; i++) {
            double[] unused = a0(x0 * (i + 1) - a8[2 - i], a8);
          }
          return a8[0] * (a8[2] + x0);
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Unused", SOURCE);
    user = c.load("bugs.Unused");
    grad = c.load("bugs.UnusedGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(of("f", r -> new Object[] {r.nextDouble(-1, 1)}, 0).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
