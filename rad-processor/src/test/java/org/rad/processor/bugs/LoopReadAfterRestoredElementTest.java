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
 * Found by the fuzzer (seed 2064, program 112; wrong in every build before): a helper overwrites
 * an element its caller's reverse reads ({@code v[1] = 0.5}, recorded), then in a loop updates it
 * ({@code v[1] += 0.5}) before a call whose reverse reads it again, in an index ({@code
 * v[(int) (3 * v[1]) % 3]}). The record planner let the first overwrite's restore stand for the
 * loop's reads too: the fact that it re-established the element lost the tag of a read only when
 * that read was planned, after the update in the loop's body, and one pass over the body found the
 * loop's pending reads unchanged. So no old value of the loop's updates was recorded, the reverse
 * sweep recomputed every index from the last value of {@code v[1]}, and the gradient of {@code
 * v[0]} was 0.875 times {@code v1[2]} where it is 0.625. A loop now takes from such facts, on
 * entry, the tags of every read its body makes ({@code PushPlanner.forgetLoopReads}).
 */
class LoopReadAfterRestoredElementTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class LoopRead {
        static double average(double[] v) {
          v[2] = (v[2] + v[((int) (3 * v[1])) % v.length]) * 0.5;
          return 0.5;
        }

        static double steps(double[] v) {
          v[1] = 0.5;
          for (double e : v) {
            v[1] += 0.5;
            double d = average(v);
          }
          return 0.5;
        }

        @Differentiable(wrt = {"x", "v", "w"})
        public static double fuzz112(double x, double[] v, double[] w) {
          v[1] = v[0] * (w[1] + x);
          double d = steps(v);
          double s = 0.0;
          for (int i = 0; i < v.length; i++) {
            s += v[i] * w[i];
          }
          return s;
        }

        // the same inline: the index read in the loop's own body
        @Differentiable(wrt = {"x", "v", "w"})
        public static double inline(double x, double[] v, double[] w) {
          v[1] = v[0] * (w[1] + x);
          v[1] = 0.5;
          for (int k = 0; k < 3; k++) {
            v[1] += 0.5;
            v[2] = (v[2] + v[((int) (3 * v[1])) % v.length]) * 0.5;
          }
          return v[0] * w[0] + v[1] * w[1] + v[2] * w[2];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.LoopRead", SOURCE);
    user = c.load("bugs.LoopRead");
    grad = c.load("bugs.LoopReadGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("fuzz112", r -> new Object[] {r.nextDouble(-1, 1), vector(r, 3, -1, 1), vector(r, 3, -1, 1)}, 0, 1, 2),
        of("inline", r -> new Object[] {r.nextDouble(-1, 1), vector(r, 3, -1, 1), vector(r, 3, -1, 1)}, 0, 1, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
