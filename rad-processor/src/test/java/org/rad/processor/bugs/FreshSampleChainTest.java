package org.rad.processor.bugs;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found by a tester writing {@code @Randomize} programs from the README (9 of its 83 programs): a
 * marked value whose overwrite is recorded (an element record: the scalar {@code a}, or {@code
 * a[t]} in a loop) is restored by one sampled pop, and the reverse sweep then reads it twice along
 * one chain through an adjoint array: {@code c[0] = a * w[0]; s = c[0] * a;} reverses to {@code
 * cBar[0] += sBar * a; wBar[0] += cBar[0] * a;}, whose mean is a * a / f. The soundness check did
 * not follow the samples of element records through adjoint arrays (where the draws of different
 * steps would be confused), and every such program compiled: the mean of 2,000 seeded gradients
 * was 0.1789 +- 0.0040 against the exact 0.0900. A value read through the variable a sampled pop
 * restored, before the next pop of its key, is now a fresh sample, followed through adjoint arrays
 * ({@code analysis/Soundness}); each of these programs is {@code [RadBiased]} at its request, and
 * a program whose chains meet only other draws still compiles and stays unbiased. A second
 * tester round found the same chain read back through a helper ({@code get(c) * a}), a clone of
 * the array and a row reference ({@code r = m[1]}), which compiled biased after the first fix:
 * a fresh sample now also travels into callees and back, through {@code Shadows.addInto} of a
 * clone's adjoint, and between an adjoint matrix and its rows. A third round found the overwrite
 * in some iterations only ({@code if (t == 1) a = 0;}, even one that never runs): a pop on one
 * branch made the samples stale for both, and a loop's pops for the code after a loop that may
 * not run; what a branch or a loop made stale is now kept as it was.
 */
class FreshSampleChainTest {
  static String source(String body) {
    return """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Chains {
          static void put(double[] c, double a, double[] w) {
            c[0] = a * w[0];
          }

          static double get(double[] c) {
            return c[0];
          }

          @Differentiable(wrt = "w")
          static double f(double[] x, double[] w) {
        %s
          }
        }
        """.formatted(body.stripIndent().indent(4));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // a scalar overwritten after its two uses, outside loops
      """
      @Randomize(fraction = 0.5) double a = x[0];
      double[] c = new double[1];
      c[0] = a * w[0];
      double s = c[0] * a;
      a = 0;
      return s;
      """,
      // the same through a helper that writes the array
      """
      @Randomize(fraction = 0.5) double a = x[0];
      double[] c = new double[1];
      put(c, a, w);
      double s = c[0] * a;
      a = 0;
      return s;
      """,
      // the same read back through a helper, a clone and a row reference (a second tester round)
      """
      @Randomize(fraction = 0.5) double a = x[0];
      double[] c = new double[1];
      c[0] = a * w[0];
      double s = get(c) * a;
      a = 0;
      return s;
      """,
      """
      @Randomize(fraction = 0.5) double a = x[0];
      double[] c = new double[1];
      c[0] = a * w[0];
      double[] d = c.clone();
      double s = d[0] * a;
      a = 0;
      return s;
      """,
      """
      @Randomize(fraction = 0.5) double a = x[0];
      double[][] m = new double[2][2];
      m[1][0] = a * w[0];
      double[] r = m[1];
      double s = r[0] * a;
      a = 0;
      return s;
      """,
      // the overwrite in some iterations only (a third tester round), also one that never runs,
      // and the uses in branches of one if/else chain
      """
      @Randomize(fraction = 0.5) double a = x[0];
      double[] c = new double[1];
      double s = 0;
      for (int t = 0; t < 2; t++) {
        s += c[0] * a;
        c[0] = a * w[0];
        if (t == 1) a = 0;
      }
      return s;
      """,
      """
      @Randomize(fraction = 0.5) double a = x[0];
      double[] c = new double[1];
      double s = 0;
      for (int t = 0; t < 2; t++) {
        s += c[0] * a;
        c[0] = a * w[0];
        if (w[0] > 100) a = 0;
      }
      a = 0;
      return s;
      """,
      """
      @Randomize(fraction = 0.5) double a = x[0];
      double[] c = new double[1];
      double s = 0;
      for (int t = 0; t < 3; t++) {
        if (t == 0) c[0] = a * w[0]; else if (t == 1) s += c[0] * a; else a = 0;
      }
      return s;
      """,
      // an element overwritten in a loop after its two uses
      """
      @Randomize(fraction = 0.5) double[] a = new double[x.length];
      double[] c = new double[x.length];
      double s = 0;
      for (int t = 0; t < x.length; t++) {
        a[t] = x[t];
        c[t] = a[t] * w[t];
        s += c[t] * a[t];
        a[t] = 0;
      }
      return s;
      """,
      // a scalar overwritten at the top of each iteration: its pop ends one iteration of the
      // reverse sweep, its two reads are in the next
      """
      @Randomize(fraction = 0.5) double a = 0;
      double[] c = new double[x.length];
      double s = 0;
      for (int t = 0; t < x.length; t++) {
        a = x[t];
        c[t] = a * w[t];
        s += c[t] * a;
      }
      return s;
      """})
  void aSampleMeetingItselfThroughAnAdjointArrayIsRejected(String body) {
    Compilation c = Compiled.compileExpectingFailure("demo.Chains", source(body));
    assertThat(c).hadErrorContaining("[RadBiased] @Randomize on a would bias the gradient");
    assertThat(c).hadErrorContaining("[RadBiased]").inFile(c.sourceFiles().get(0)).onLine(15);
  }

  /**
   * Each draw of {@code a} enters one chain: {@code c[t]}'s adjoint is a weight, not a sample. It
   * compiles, its exact gradient matches central differences (relative 1e-6), and the mean of
   * 20,000 seeded gradients (RadContext.seeded(11)) is within 4 standard errors of the exact one in
   * every component (a false alarm has probability about 1e-4 for normal errors).
   */
  @Test
  void oneUsePerDrawStaysUnbiased() throws Exception {
    Compiled compiled = Compiled.compile("demo.Chains", source("""
        @Randomize(fraction = 0.5) double a = 0;
        double[] c = new double[x.length];
        double s = 0;
        for (int t = 0; t < x.length; t++) {
          a = x[t] * x[t];
          c[t] = a * w[t];
          s += c[t] * w[(t + 1) % w.length];
        }
        return s;
        """));
    Method f = compiled.load("demo.Chains").getDeclaredMethod("f", double[].class, double[].class);
    Method g = compiled.load("demo.ChainsGrad").getDeclaredMethod("f", double[].class, double[].class, double[].class,
        RadContext.class);
    f.setAccessible(true);
    g.setAccessible(true);
    double[] x = {0.3, -0.7, 1.1};
    double[] w = {0.5, 0.2, -0.4};
    double[] exact = new double[3];
    g.invoke(null, x, w.clone(), exact, RadContext.exact());
    for (int k = 0; k < 3; k++) {
      double h = 1e-6;
      double[] up = w.clone();
      double[] down = w.clone();
      up[k] += h;
      down[k] -= h;
      double fd = ((double) f.invoke(null, x, up) - (double) f.invoke(null, x, down)) / (2 * h);
      assertTrue(Math.abs(fd - exact[k]) <= 1e-6 * Math.max(1, Math.abs(fd)), "d/dw" + k + ": " + exact[k] + " vs " + fd);
    }
    org.rad.runtime.RadDiagnostics.Report r = org.rad.runtime.RadDiagnostics.measure(ctx -> {
      double[] wBar = new double[3];
      try {
        g.invoke(null, x, w.clone(), wBar, ctx);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      return wBar;
    }, 20_000, 11, RadContext.seeded(11));
    assertTrue(r.maxStandardErrorsFromExact() <= 4, r.toString());
    assertTrue(java.util.Arrays.stream(r.variance()).sum() > 0, "nothing was sampled");
  }
}
