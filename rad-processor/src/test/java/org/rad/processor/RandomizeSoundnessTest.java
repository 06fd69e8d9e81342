package org.rad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * Compile-time soundness of {@code @Randomize}: requests whose sampled records would bias the
 * gradient are errors at the request's line; sound requests compile, and sound requests that
 * record nothing get a warning.
 */
class RandomizeSoundnessTest {
  private static String source(String body) {
    return "package rad;\n"
        + "import org.rad.annotations.Differentiable;\n"
        + "import org.rad.annotations.Randomize;\n"
        + "public class Bias {\n"
        + body
        + "}\n";
  }

  @Test
  void nonAffineUseIsRejected() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  @Differentiable(wrt = \"w\")\n"                                     // 5
        + "  static double f(double[] w, double[] x) {\n"                        // 6
        + "    @Randomize(fraction = 0.5) double[] h = new double[x.length];\n"  // 7
        + "    for (int i = 0; i < x.length; i++) {\n"
        + "      h[i] = x[i] * 2;\n"
        + "    }\n"
        + "    double loss = 0;\n"
        + "    for (int i = 0; i < w.length; i++) {\n"
        + "      loss += w[i] * Math.exp(h[i]);\n"
        + "    }\n"
        + "    return loss;\n"
        + "  }\n"));
    assertThat(c).hadErrorContaining("[RadBiased] @Randomize on h would bias the gradient: a sampled value would enter a derivative term non-affinely");
    assertThat(c).hadErrorContaining("[RadBiased]").inFile(c.sourceFiles().get(0)).onLine(7);
    // the statement named is the user's (the generated code follows, its names the reverse sweep's)
    assertThat(c).hadErrorContaining("in the derivative of `loss += w[i] * Math.exp(h[i])` (reverse-sweep code `");
  }

  @Test
  void sampledValueDecidingAnIndexIsRejected() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  @Differentiable(wrt = \"w\")\n"
        + "  static double f(double[] w, double[] x) {\n"
        + "    @Randomize(fraction = 0.5) double[] h = new double[x.length];\n"  // 7
        + "    for (int i = 0; i < x.length; i++) {\n"
        + "      h[i] = x[i] * 2;\n"
        + "    }\n"
        + "    double loss = 0;\n"
        + "    for (int i = 0; i < h.length; i++) {\n"
        + "      int k = (int) h[i];\n"
        + "      loss += w[k] * h[i];\n"
        + "    }\n"
        + "    return loss;\n"
        + "  }\n"));
    assertThat(c).hadErrorContaining("a sampled value would decide control flow or an array index");
    assertThat(c).hadErrorContaining("[RadBiased]").inFile(c.sourceFiles().get(0)).onLine(7);
  }

  @Test
  void sampleAppearingTwiceAlongOneChainIsRejected() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  @Differentiable(wrt = \"a\")\n"
        + "  static double f(double a, double x) {\n"
        + "    @Randomize(fraction = 0.5) double h = x * a;\n"                   // 7
        + "    double g = h * a;\n"
        + "    return g * h;\n"
        + "  }\n"));
    assertThat(c).hadErrorContaining("the same sampled value would appear twice along one chain");
    assertThat(c).hadErrorContaining("[RadBiased]").inFile(c.sourceFiles().get(0)).onLine(7);
    // advice that works when followed (a scalar copy of a sampled value is the same sample)
    assertThat(c).hadErrorContaining("let the other read an exact copy, made without @Randomize");
  }

  @Test
  void soundRequestOnAReluNetworkCompilesWithoutWarnings() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  @Differentiable(wrt = {\"w1\", \"w2\"})\n"
        + "  static double f(double[][] w1, double[] w2, double[] x) {\n"
        + "    @Randomize(fraction = 0.1) double[] h = new double[w1.length];\n"
        + "    for (int i = 0; i < w1.length; i++) {\n"
        + "      double s = 0;\n"
        + "      for (int j = 0; j < x.length; j++) {\n"
        + "        s += w1[i][j] * x[j];\n"
        + "      }\n"
        + "      h[i] = s > 0 ? s : 0;\n"
        + "    }\n"
        + "    double out = 0;\n"
        + "    for (int i = 0; i < h.length; i++) {\n"
        + "      out += w2[i] * Math.max(0, h[i]);\n"
        + "    }\n"
        + "    return out * out;\n"
        + "  }\n"));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void requestThatRecordsNothingIsAWarning() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  @Differentiable(wrt = \"w\")\n"
        + "  static double f(double[] w, double[] x) {\n"
        + "    @Randomize(fraction = 0.5) double[] h = new double[w.length];\n"   // 7
        + "    for (int i = 0; i < w.length; i++) {\n"
        + "      h[i] = w[i] * x[i];\n"
        + "    }\n"
        + "    double loss = 0;\n"
        + "    for (int i = 0; i < h.length; i++) {\n"
        + "      loss += 3 * h[i];\n"
        + "    }\n"
        + "    return loss;\n"
        + "  }\n"));
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[RadSavesNothing] @Randomize on h is sound but saves nothing")
        .inFile(c.sourceFiles().get(0)).onLine(7);
  }

  /**
   * Found by a user-style test: a history stack (each row written once, read by the reverse sweep
   * in place) recorded the old zeros of every row it wrote, sampled, where the exact sweeps record
   * nothing (element-level records were off with @Randomize): the tape shrank against exact, the
   * gradient never changed, and no note said that the request saves nothing. The element-level
   * records now apply with @Randomize too, so nothing is recorded, and the warning says so.
   */
  @Test
  void aHistoryStackThatIsKeptWholeRecordsNothingAndSaysSo() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  @Differentiable(wrt = \"th\")\n"
        + "  static double f(double[] th, int n, int steps) {\n"
        + "    @Randomize(fraction = 0.1) double[][] phi = new double[steps + 1][n];\n"   // 7
        + "    for (int i = 0; i < n; i++) {\n"
        + "      phi[0][i] = 1.0 + 0.1 * i;\n"
        + "    }\n"
        + "    for (int k = 0; k < steps; k++) {\n"
        + "      for (int i = 1; i < n; i++) {\n"
        + "        phi[k + 1][i] = phi[k][i] * th[0] + phi[k][i - 1];\n"
        + "      }\n"
        + "    }\n"
        + "    double loss = 0;\n"
        + "    for (int k = 1; k <= steps; k++) {\n"
        + "      double[] row = phi[k];\n"
        + "      for (int i = 0; i < n; i++) {\n"
        + "        loss += row[i];\n"
        + "      }\n"
        + "    }\n"
        + "    return loss;\n"
        + "  }\n"));
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[RadSavesNothing] @Randomize on phi is sound but saves nothing")
        .inFile(c.sourceFiles().get(0)).onLine(7);
    assertThat(c).generatedSourceFile("rad.BiasGrad").contentsAsUtf8String().doesNotContain("pushSampled");
  }

  @Test
  void badRequestsAreErrorsAtTheirLine() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  @Differentiable(wrt = \"w\")\n"
        + "  static double f(double[] w) {\n"
        + "    double s = 0;\n"
        + "    for (int i = 0; i < w.length; i++) {\n"
        + "      @Randomize(fraction = 1.5) double v = w[i] * w[i];\n"           // 9
        + "      s += v;\n"
        + "    }\n"
        + "    return s;\n"
        + "  }\n"));
    assertThat(c).hadErrorContaining("[RadRandomize] the fraction must be in (0, 1]").inFile(c.sourceFiles().get(0)).onLine(9);
    Compilation c2 = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  @Differentiable(wrt = \"w\")\n"
        + "  static double f(double[] w) {\n"
        + "    double s = 0;\n"
        + "    for (int i = 0; i < w.length; i++) {\n"
        + "      @Randomize(fraction = 0.5, sameAcross = \"b\") double v = w[i] * 2;\n"   // 9
        + "      s += v;\n"
        + "    }\n"
        + "    return s;\n"
        + "  }\n"));
    assertThat(c2).hadErrorContaining("sameAcross names \"b\", which is not the variable of a for loop enclosing")
        .inFile(c2.sourceFiles().get(0)).onLine(9);
  }

  @Test
  void randomizeInACalledMethodIsAnErrorAtItsLine() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", source(""
        + "  static double layer(double[] w, double[] x) {\n"                      // 5
        + "    double s = 0;\n"
        + "    @Randomize(fraction = 0.5) double[] h = new double[x.length];\n"   // 7
        + "    for (int i = 0; i < x.length; i++) {\n"
        + "      h[i] = x[i] * 2;\n"
        + "    }\n"
        + "    for (int i = 0; i < w.length; i++) {\n"
        + "      s += w[i] * h[i];\n"
        + "    }\n"
        + "    return s;\n"
        + "  }\n"
        + "  @Differentiable(wrt = \"w\")\n"
        + "  static double f(double[] w, double[] x) {\n"
        + "    return layer(w, x) * layer(w, x);\n"
        + "  }\n"));
    assertThat(c).hadErrorContaining("[RadRandomize] @Randomize on h in layer, which f calls")
        .inFile(c.sourceFiles().get(0)).onLine(7);
  }

  /** A field stepped in time with two buffers and its update randomized; {@code COST} is the loss. */
  private static String steppedField(String cost, boolean costEachStep) {
    return source(""
        + "  @Differentiable(wrt = \"x\")\n"
        + "  static double f(double[] x, int n) {\n"
        + "    @Randomize(fraction = 0.2) double[][] phi = new double[n + 2][n + 2];\n"   // 7
        + "    double[][] next = new double[n + 2][n + 2];\n"
        + "    for (int i = 0; i < n + 2; i++) {\n"
        + "      for (int j = 0; j < n + 2; j++) {\n"
        + "        phi[i][j] = Math.sin(0.7 * (i + 1) + 0.37 * j);\n"
        + "      }\n"
        + "    }\n"
        + "    double loss = 0;\n"
        + "    for (int s = 0; s < 3; s++) {\n"
        + "      for (int i = 1; i <= n; i++) {\n"
        + "        for (int j = 1; j <= n; j++) {\n"
        + "          next[i][j] = phi[i][j] + x[0] * (phi[i - 1][j] + phi[i + 1][j] - 2 * phi[i][j]) + x[2] * phi[i][j];\n"
        + "        }\n"
        + "      }\n"
        + "      double[][] tmp = phi;\n"
        + "      phi = next;\n"
        + "      next = tmp;\n"
        + (costEachStep ? "      " + cost + "\n" : "")
        + "    }\n"
        + (costEachStep ? "" : "    " + cost + "\n")
        + "    return loss;\n"
        + "  }\n"
        + "  static double cost(double[][] p, double w) {\n"
        + "    double s = 0;\n"
        + "    for (int i = 0; i < p.length; i++) {\n"
        + "      for (int j = 0; j < p[i].length; j++) {\n"
        + "        s += w * p[i][j] * p[i][j];\n"
        + "      }\n"
        + "    }\n"
        + "    return s;\n"
        + "  }\n");
  }

  private static final String WEIGHTED_SQUARES = "for (int i = 0; i < n + 2; i++) { for (int j = 0; j < n + 2; j++) {"
      + " loss += x[3] * phi[i][j] * phi[i][j]; } }";

  /**
   * A cost of the field's last values, read by the reverse sweep before it restores any sample:
   * {@code x3 * phi * phi} meets no sample there, so the request compiles, and its gradient is
   * unbiased ({@link #assertAcceptedAndUnbiased}). Rejected as a sample twice along one chain until
   * the check knew that the sweep's first statements read no sample.
   */
  @Test
  void aCostOfTheLastValuesReadBeforeAnyRestoreIsAccepted() throws Exception {
    assertAcceptedAndUnbiased(steppedField(WEIGHTED_SQUARES, false));
  }

  /**
   * The same cost in a helper ({@code loss += cost(phi, x[3])}) after the loop: the helper's reverse
   * sweep reads the exact last values too (a helper restores no sample of its caller's: its records
   * are exact), so it compiles and is unbiased; inside the loop it stays rejected.
   */
  @Test
  void aHelperCostOfTheLastValuesIsAcceptedAndRejectedAfterRestores() throws Exception {
    assertAcceptedAndUnbiased(steppedField("loss += cost(phi, x[3]);", false));
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", steppedField("loss += cost(phi, x[3]);", true));
    assertThat(c).hadErrorContaining("[RadBiased] @Randomize on phi would bias the gradient: in the call `cost(phi, x[3])`,"
        + " a sampled value passed to cost").inFile(c.sourceFiles().get(0)).onLine(7);
  }

  /**
   * Compiles {@code source} (rad.Bias.f(double[] x, int n)), checks the exact gradient against
   * central differences (relative 1e-6) and that 20,000 seeded draws (RadContext.seeded(23)) have
   * each component's mean within 4 standard errors of it (a false alarm has probability about 1e-4
   * for normal errors).
   */
  private static void assertAcceptedAndUnbiased(String source) throws Exception {
    Compiled compiled = Compiled.compile("rad.Bias", source);
    java.lang.reflect.Method f = compiled.load("rad.Bias").getDeclaredMethod("f", double[].class, int.class);
    java.lang.reflect.Method g = compiled.load("rad.BiasGrad").getDeclaredMethod("f", double[].class, int.class,
        double[].class, org.rad.runtime.RadContext.class);
    f.setAccessible(true);
    g.setAccessible(true);
    double[] x = {0.1, 0.0, 0.05, 0.3};
    double[] exact = new double[4];
    g.invoke(null, x.clone(), 6, exact, org.rad.runtime.RadContext.exact());
    for (int k : new int[] {0, 2, 3}) {
      double h = 1e-6;
      double[] up = x.clone();
      double[] down = x.clone();
      up[k] += h;
      down[k] -= h;
      double fd = ((double) f.invoke(null, up, 6) - (double) f.invoke(null, down, 6)) / (2 * h);
      org.junit.jupiter.api.Assertions.assertTrue(Math.abs(fd - exact[k]) <= 1e-6 * Math.max(1, Math.abs(fd)),
          "d/dx" + k + ": " + exact[k] + " vs " + fd);
    }
    org.rad.runtime.RadDiagnostics.Report r = org.rad.runtime.RadDiagnostics.measure(ctx -> {
      double[] xBar = new double[4];
      try {
        g.invoke(null, x.clone(), 6, xBar, ctx);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      return xBar;
    }, 20_000, 23, org.rad.runtime.RadContext.seeded(23));
    org.junit.jupiter.api.Assertions.assertTrue(r.maxStandardErrorsFromExact() <= 4, r.toString());
    org.junit.jupiter.api.Assertions.assertTrue(java.util.Arrays.stream(r.variance()).sum() > 0, "nothing was sampled");
  }

  /**
   * The same cost taken at every step: the reverse sweep reads the field there after restoring
   * samples of it (in the iterations before), so x3 * s * s would be biased, and stays rejected.
   */
  @Test
  void theSameCostAfterRestoresStaysRejected() {
    Compilation c = Compiled.compileExpectingFailure("rad.Bias", steppedField(WEIGHTED_SQUARES, true));
    assertThat(c).hadErrorContaining("[RadBiased] @Randomize on phi would bias the gradient")
        .inFile(c.sourceFiles().get(0)).onLine(7);
  }
}
