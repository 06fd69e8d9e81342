package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by the differential fuzzer (seed 7, programs 485 and 1174: wrong primal values): Java
 * evaluates the array of {@code for (double e : w)} once, before the loop; a body that swaps
 * {@code w} with another buffer still walks the array it started with. The loop read
 * {@code w[i]} afresh each iteration, so after the swap it walked the other buffer.
 */
class ForEachOverReassignedArrayTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class ForEach {
        @Differentiable(wrt = {"x", "u"})
        static double swapInside(double x, double[] u) {
          double[] w = new double[u.length];
          for (int i = 0; i < u.length; i++) w[i] = u[i] * 2 + x;
          double s = 0;
          for (double e : w) {
            s = s * 0.5 + e * Math.sin(s + x);
            double[] tmp = w;
            w = u;
            u = tmp;
          }
          return s + w[0] * u[1];
        }

        @Differentiable(wrt = {"x", "u"})
        static double reassignedInBranch(double x, double[] u) {
          double[] w = u.clone();
          double s = 0;
          for (double e : w) {
            if (e > 0) {
              w = new double[] {x, x * x, e};
            }
            s += e * x + w[0];
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.ForEach", SOURCE);
    user = c.load("bugs.ForEach");
    grad = c.load("bugs.ForEachGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of("swapInside", "reassignedInBranch")
        .map(m -> of(m, r -> new Object[] {r.nextDouble(-1, 1), vector(r, 3, -1, 1)}, 0, 1).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void valueAndGradientMatchTheOriginal(GradientCase c) {
    c.check(user, grad);
  }
}
