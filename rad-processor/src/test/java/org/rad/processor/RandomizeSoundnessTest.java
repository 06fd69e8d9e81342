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
}
