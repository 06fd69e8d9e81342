package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;
import org.rad.runtime.RadContext;

/**
 * Found by four user-style rounds (implicit solvers, Kalman filters, an Adam optimizer, a
 * normalizing buffer, a Kalman predict step): an array recorded by one overwrite was recorded again by the next, with
 * no read of it in between that needed the second record. Three general causes, each fixed in
 * {@code PushPlanner}:
 *
 * <ul>
 *   <li>{@code literalElements}: {@code J[0] = x[0]; J[1] = x[1];} recorded the elements that the
 *       previous step's {@code s += J[0] * J[1]} read, and the loop {@code J[i] = 1 - 0.5 * J[i]}
 *       recorded them again: the restores of those constant elements re-establish them for that
 *       read, whatever overwrites them later (360 bytes for 10 steps, now 200: 2 doubles a step
 *       and the hand-off).
 *   <li>{@code ownReads}: a loop that overwrites every element and reads only the element it just
 *       restored ({@code P[i] = w[i] * P[i] + 1}) satisfies the reads pending before it; the
 *       linear {@code P[i] -= 0.1 * h[i]} after it recorded P again (6,456 bytes for 100 steps,
 *       now 3,256 as the one-loop form).
 *   <li>{@code readInLoop}: a read in the same loop as a linear update ({@code g[j] += l2 * w[j];
 *       s += g[j] * g[j];}) was asked about the previous outer iteration's reads, which the fill
 *       before it had re-established (192 bytes, now 120 as the two-loop form); a buffer filled,
 *       scaled and normalized per example likewise (24,904 bytes, now 16,904; 16,800 needed).
 * </ul>
 */
class RepeatedOverwritesTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Twice {
        @Differentiable(wrt = "x")
        public static double literalElements(double[] x, int n) {
          double s = 0;
          double[] J = new double[2];
          for (int t = 0; t < n; t++) {
            J[0] = x[0] * (t + 1);
            J[1] = x[1] - t;
            for (int i = 0; i < 2; i++) {
              J[i] = 1 - 0.5 * J[i];
            }
            s += J[0] * J[1];
          }
          return s;
        }

        @Differentiable(wrt = "w")
        public static double ownReads(double[] w, double[] h, int steps) {
          int n = w.length;
          double[] P = new double[n];
          double s0 = 0;
          for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) s0 += w[i] * P[i];
            for (int i = 0; i < n; i++) P[i] = w[i] * P[i] + 1;
            for (int i = 0; i < n; i++) P[i] -= 0.1 * h[i];
          }
          double s = s0;
          for (int i = 0; i < n; i++) s += P[i] * P[i];
          return s;
        }

        @Differentiable(wrt = "w")
        public static double ownReadsOneLoop(double[] w, double[] h, int steps) {
          int n = w.length;
          double[] P = new double[n];
          double s0 = 0;
          for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) s0 += w[i] * P[i];
            for (int i = 0; i < n; i++) {
              P[i] = w[i] * P[i] + 1;
              P[i] -= 0.1 * h[i];
            }
          }
          double s = s0;
          for (int i = 0; i < n; i++) s += P[i] * P[i];
          return s;
        }

        static void mul(double[] a, double[] b, double[] c) {
          for (int i = 0; i < c.length; i++) c[i] = a[i] * b[i];
        }

        // writes only the first three elements, whatever the array's length
        static void firstThree(double[] v, double[] out) {
          for (int i = 0; i < 3; i++) out[i] = 2 * v[i];
        }

        @Differentiable(wrt = "w")
        public static double afterHelper(double[] w, double[] q, int steps) {
          int n = w.length;
          double[] P = new double[n];
          double[] tmp = new double[n];
          for (int i = 0; i < n; i++) P[i] = 1;
          for (int t = 0; t < steps; t++) {
            mul(w, P, tmp);
            mul(tmp, w, P);
            for (int i = 0; i < n; i++) P[i] += q[i];
          }
          double s = 0;
          for (int i = 0; i < n; i++) s += P[i] * P[i];
          return s;
        }

        @Differentiable(wrt = "w")
        public static double afterHelperInline(double[] w, double[] q, int steps) {
          int n = w.length;
          double[] P = new double[n];
          double[] tmp = new double[n];
          for (int i = 0; i < n; i++) P[i] = 1;
          for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) tmp[i] = w[i] * P[i];
            for (int i = 0; i < n; i++) P[i] = tmp[i] * w[i];
            for (int i = 0; i < n; i++) P[i] += q[i];
          }
          double s = 0;
          for (int i = 0; i < n; i++) s += P[i] * P[i];
          return s;
        }

        // the helper leaves the rest of out as it was: a later write there still records
        @Differentiable(wrt = "w")
        public static double partlyOverwritten(double[] w) {
          double[] out = new double[5];
          double s = 0;
          for (int t = 0; t < 3; t++) {
            s += out[4] * out[4] * w[0];
            firstThree(w, out);
            out[4] += w[1] * out[t];
          }
          return s + out[4];
        }

        @Differentiable(wrt = "w")
        public static double readInLoop(double[] w, double l2) {
          int d = w.length;
          double[] g = new double[d];
          double s = 0;
          for (int t = 0; t < 3; t++) {
            for (int j = 0; j < d; j++) g[j] = w[j] * w[j] * (t + 1);
            for (int j = 0; j < d; j++) {
              g[j] += l2 * w[j];
              s += g[j] * g[j];
            }
          }
          return s;
        }

        @Differentiable(wrt = "w")
        public static double readInItsOwnLoop(double[] w, double l2) {
          int d = w.length;
          double[] g = new double[d];
          double s = 0;
          for (int t = 0; t < 3; t++) {
            for (int j = 0; j < d; j++) g[j] = w[j] * w[j] * (t + 1);
            for (int j = 0; j < d; j++) g[j] += l2 * w[j];
            for (int j = 0; j < d; j++) s += g[j] * g[j];
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Twice", SOURCE);
    user = c.load("bugs.Twice");
    grad = c.load("bugs.TwiceGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("literalElements", r -> new Object[] {vector(r, 2, 0.5, 1.5), 4}, 0),
        of("ownReads", r -> new Object[] {vector(r, 4, 0.3, 0.9), vector(r, 4, -1, 1), 5}, 0),
        of("readInLoop", r -> new Object[] {vector(r, 3, -1, 1), 0.3}, 0),
        of("afterHelper", r -> new Object[] {vector(r, 4, 0.3, 0.9), vector(r, 4, -1, 1), 4}, 0),
        of("partlyOverwritten", r -> new Object[] {vector(r, 4, 0.3, 0.9)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  private static long tape(String name, Object... args) throws Exception {
    Class<?>[] types = new Class<?>[args.length + 2];
    Object[] all = new Object[args.length + 2];
    for (int i = 0; i < args.length; i++) {
      types[i] = args[i] instanceof double[] ? double[].class : args[i] instanceof Integer ? int.class : double.class;
      all[i] = args[i];
    }
    types[args.length] = double[].class;
    types[args.length + 1] = RadContext.class;
    all[args.length] = new double[((double[]) args[0]).length];
    RadContext ctx = RadContext.exact();
    all[args.length + 1] = ctx;
    Method m = grad.getMethod(name, types);
    m.invoke(null, all);
    return ctx.peakTapeBytes();
  }

  /** Two doubles a step (the elements the previous step's product read) and the hand-off's array. */
  @Test
  void constantElementsRecordedOnceAStep() throws Exception {
    assertEquals(10 * 16 + tape("literalElements", new double[] {1, 2}, 0), tape("literalElements", new double[] {1, 2}, 10));
  }

  @Test
  void aLoopReadingOnlyWhatItRestoredSatisfiesTheReadsBeforeIt() throws Exception {
    double[] w = {0.9, 0.8, 1.1, 0.95};
    double[] h = {0.1, 0.2, 0.3, 0.4};
    assertEquals(tape("ownReadsOneLoop", w, h, 100), tape("ownReads", w, h, 100));
  }

  /**
   * A helper that overwrites its parameter up to its length restores it whole in its reverse
   * sweep: the linear update after the call records nothing for the reads before it, as the
   * inlined form does (9,712 bytes for 100 steps before, now 6,512 as inlined).
   */
  @Test
  void aHelperThatOverwritesAnArgumentWholeSatisfiesTheReadsBeforeIt() throws Exception {
    double[] w = {0.9, 0.8, 1.1, 0.95};
    double[] q = {0.1, 0.2, 0.3, 0.4};
    assertEquals(tape("afterHelperInline", w, q, 100), tape("afterHelper", w, q, 100));
  }

  @Test
  void aReadInTheUpdatesLoopIsAskedOnlyAboutThatLoop() throws Exception {
    double[] w = {0.3, -0.7, 1.1};
    assertEquals(tape("readInItsOwnLoop", w, 0.1), tape("readInLoop", w, 0.1));
  }
}
