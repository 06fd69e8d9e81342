package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * A caller records for a call's reverse only what that reverse reads, as learned from the callee's
 * planned reverse sweep: not a double argument whose value as passed it never reads ({@code u =
 * sat(u, m)}, whose reverse reads only its branches' bits; {@code acc = damp(acc)}, whose reverse
 * restores its reassigned parameter from its own records), nor the contents of an array it returned when its reverse reads
 * only its arguments ({@code h = act(w)} with {@code out[i] = sin(w[i])}, then {@code h[i] *= 2}).
 * Found by user-style rounds (an MPC rollout, inverted dropout after a layer helper): both taped
 * what the same code written inline does not.
 */
class CalleeReadsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Reads {
        static double sat(double u, double m) { return Math.max(-m, Math.min(m, u)); }

        @Differentiable(wrt = "x")
        static double saturated(double[] x) {
          double s = 0;
          for (int t = 0; t < x.length; t++) {
            double u = 3 * x[t];
            u = sat(u, 1.0);
            s += u * u;
          }
          return s;
        }

        @Differentiable(wrt = "x")
        static double saturatedInline(double[] x) {
          double s = 0;
          for (int t = 0; t < x.length; t++) {
            double u = 3 * x[t];
            u = Math.max(-1.0, Math.min(1.0, u));
            s += u * u;
          }
          return s;
        }

        // the helper reassigns its parameter in a loop, restoring it from its own records before
        // each read: the value the caller passes is never read
        static double damp(double x) {
          for (int k = 0; k < 2; k++) x = x - 0.1 * Math.sin(x);
          return x;
        }

        @Differentiable(wrt = "x")
        static double damped(double[] x) {
          double s = 0;
          for (int t = 0; t < x.length; t++) {
            double acc = x[t];
            for (int r = 0; r < 3; r++) acc = damp(acc);
            s += acc * x[t];
          }
          return s;
        }

        static double[] act(double[] w) {
          double[] out = new double[w.length];
          for (int i = 0; i < w.length; i++) out[i] = Math.sin(w[i]);
          return out;
        }

        @Differentiable(wrt = "w")
        static double scaled(double[] w) {
          double[] h = act(w);
          for (int i = 0; i < h.length; i++) h[i] *= 2;
          return h[0] * h[1] + h[2];
        }

        @Differentiable(wrt = "w")
        static double scaledInline(double[] w) {
          double[] h = new double[w.length];
          for (int i = 0; i < w.length; i++) h[i] = Math.sin(w[i]);
          for (int i = 0; i < h.length; i++) h[i] *= 2;
          return h[0] * h[1] + h[2];
        }

        static double[] lin(double[] w, double c) {
          double[] out = new double[w.length];
          for (int i = 0; i < w.length; i++) out[i] = w[i] * c;
          return out;
        }

        // a fresh array from a helper each step, updated linearly, then read: the step before's
        // array is out of reach of the writes into this one
        @Differentiable(wrt = "w")
        static double freshPerStep(double[] w, int n) {
          double tot = 0;
          for (int t = 0; t < n; t++) {
            double[] a = lin(w, t + 1.0);
            a[0] = a[0] + 1.0;
            tot += a[0] * a[1];
          }
          return tot;
        }

        @Differentiable(wrt = "w")
        static double freshPerStepInline(double[] w, int n) {
          double tot = 0;
          for (int t = 0; t < n; t++) {
            double[] a = new double[w.length];
            for (int i = 0; i < w.length; i++) a[i] = w[i] * (t + 1.0);
            a[0] = a[0] + 1.0;
            tot += a[0] * a[1];
          }
          return tot;
        }

        // the helper's reverse reads its returned values (tanh' = 1 - y^2): they must come back
        static double[] squash(double[] w) {
          double[] out = new double[w.length];
          for (int i = 0; i < w.length; i++) out[i] = Math.tanh(w[i]);
          return out;
        }

        @Differentiable(wrt = "w")
        static double squashedThenScaled(double[] w) {
          double[] h = squash(w);
          for (int i = 0; i < h.length; i++) h[i] *= 2;
          return h[0] * h[1] + h[2];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Reads", SOURCE);
    user = c.load("demo.Reads");
    grad = c.load("demo.ReadsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of("saturated", "saturatedInline", "damped", "scaled", "scaledInline", "squashedThenScaled")
        .map(m -> of(m, r -> new Object[] {vector(r, 6, -0.6, 0.6)}, 0).points(6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("freshCases")
  void freshArraysMatchFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  static Stream<GradientCase> freshCases() {
    return Stream.of("freshPerStep", "freshPerStepInline")
        .map(m -> of(m, r -> new Object[] {vector(r, 4, -0.6, 0.6), 5}, 0).points(4));
  }

  @Test
  void aFreshArrayPerStepRecordsNothingForTheStepBefore() throws Exception {
    Method m = grad.getMethod("freshPerStep", double[].class, int.class, double[].class, RadContext.class);
    Method inline = grad.getMethod("freshPerStepInline", double[].class, int.class, double[].class, RadContext.class);
    long[] tapes = new long[2];
    for (int k = 0; k < 2; k++) {
      RadContext ctx = RadContext.exact();
      (k == 0 ? m : inline).invoke(null, new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, 100, new double[7], ctx);
      tapes[k] = ctx.peakTapeBytes();
    }
    // each step keeps its array for its reverse (a[0] and a[1] are read), and records nothing of
    // it before a[0]'s linear update (a[0] was recorded each step before: 8 bytes more a step)
    assertEquals(tapes[1], tapes[0]);
  }

  private static long tape(String name, int n) throws Exception {
    Method m = grad.getMethod(name, double[].class, double[].class, RadContext.class);
    RadContext ctx = RadContext.exact();
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.sin(i);
    }
    m.invoke(null, x, new double[n], ctx);
    return ctx.peakTapeBytes();
  }

  @Test
  void aDoubleTheCalleeNeverReadsIsNotRecorded() throws Exception {
    // 1,000 elements: u once (8 bytes) and the two bits of max and min each; 16,258 bytes before
    assertEquals(tape("saturatedInline", 1000), tape("saturated", 1000));
  }

  @Test
  void aDoubleTheCalleeRestoresBeforeReadingItIsNotRecorded() throws Exception {
    // per element: 3 calls of 2 records of x in the helper (48 bytes) and acc's final value, which
    // s += acc * x[t] reads (8); acc was also recorded before each call (80 bytes before)
    assertEquals(56 * 100, tape("damped", 200) - tape("damped", 100));
  }

  @Test
  void aReturnedArrayTheCalleeNeverReadsIsNotRecorded() throws Exception {
    // h's values before the scaling were recorded whole (1,624 bytes at n = 100, against 824)
    assertEquals(tape("scaledInline", 100), tape("scaled", 100));
  }

  @Test
  void aReturnedArrayTheCalleeReadsStillIs() throws Exception {
    // 100 more elements: the 100 activations tanh' reads come back before the helper's reverse, once
    // each (1,600 bytes before)
    assertEquals(800, tape("squashedThenScaled", 200) - tape("squashedThenScaled", 100));
  }
}
