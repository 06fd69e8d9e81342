package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by a user-style round (geometry): RotatedAdjoints carries {@code kBar[i]} and {@code
 * kBar[i - 1]} of a recurrence's reverse in locals, on a test made once before the loop that
 * {@code kBar} differs from every other array the loop indexes. It put rows of the loop's own
 * index into that test ({@code kBar != pBar[i] && kBar != p[i - 1]}), evaluated with i at its
 * value before the loop:
 * <ul>
 *   <li>a cumulative chord-length table {@code k[i] = k[i - 1] + p[i][0] * p[i - 1][0]} threw
 *       ArrayIndexOutOfBoundsException (index -1) in the generated reverse sweep;
 *   <li>with {@code k} a row of {@code p} ({@code double[] k = p[2]}, or {@code cum(p, p[2])})
 *       the test compared {@code kBar} with {@code pBar[0]} only and missed that {@code pBar[2]}
 *       is {@code kBar}: d/dp[1][0] was 5.7096 where the exact value is 6.6612, with no error.
 * </ul>
 * The loop is now left as it is when an array it indexes depends on what the loop changes.
 */
class RotatedLoopRowsOfItsIndexTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Chords {
        @Differentiable(wrt = "p")
        public static double table(double[][] p) {
          double[] k = new double[p.length];
          for (int i = 1; i < p.length; i++) {
            k[i] = k[i - 1] + p[i][0] * p[i - 1][0];
          }
          return k[p.length - 1] * k[1];
        }

        @Differentiable(wrt = "p")
        public static double rowOfItself(double[][] p) {
          double[] k = p[2];
          for (int i = 1; i < 3; i++) k[i] = k[i - 1] + p[i][0] * p[i][1];
          return k[2] * k[1];
        }

        static void cum(double[][] p, double[] k) {
          for (int i = 1; i < 3; i++) k[i] = k[i - 1] + p[i][0] * p[i][1];
        }

        @Differentiable(wrt = "p")
        public static double throughHelper(double[][] p) {
          cum(p, p[2]);
          return p[2][2] * p[2][1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Chords", SOURCE);
    user = c.load("bugs.Chords");
    grad = c.load("bugs.ChordsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of("table", "rowOfItself", "throughHelper")
        .map(m -> of(m, r -> new Object[] {matrix(r, 3, 3, -1.5, 1.5)}, 0).points(6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void bugReport() {
    // k = p[2]: k1 = p20 + p10 p11, f = k1^2 (1 + p20); the old p21 and p22 are overwritten unread
    double[][] p = {{0.5, 0.7, 0.9}, {1.1, 1.3, 0.2}, {0.4, 0.6, 0.8}};
    of("rowOfItself", r -> null, 0).harness(user, grad).checkClosedForm(new Object[] {p},
        new double[] {0, 0, 0, 6.6612, 5.6364, 0, 8.4729, 0, 0}, 1e-9);
  }
}
