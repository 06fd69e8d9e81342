package org.rad.samples.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;
import org.rad.samples.reactor.Reactor;
import org.rad.samples.reactor.ReactorGrad;
import org.rad.samples.reactor.ReactorProblem;

/** Every reactor style of the zoo computes the sample's loss, and rad its gradient, on a reduced grid. */
class ReactorStylesTest {
  static final int N = 8;
  static final int STEPS = 200;
  static final double DT = ReactorProblem.DT;

  static Stream<Arguments> styles() {
    return Stream.of(
        Arguments.of("indexed", (ReactorEntry.Loss) ReactorIndexed::loss, (ReactorEntry.Gradient) ReactorIndexedGrad::loss),
        Arguments.of("rows", (ReactorEntry.Loss) ReactorRows::loss, (ReactorEntry.Gradient) ReactorRowsGrad::loss),
        Arguments.of("flat", (ReactorEntry.Loss) ReactorFlat::loss, (ReactorEntry.Gradient) ReactorFlatGrad::loss),
        Arguments.of("three-buffers", (ReactorEntry.Loss) ReactorThreeBuffers::loss, (ReactorEntry.Gradient) ReactorThreeBuffersGrad::loss),
        Arguments.of("hoisted", (ReactorEntry.Loss) ReactorHoisted::loss, (ReactorEntry.Gradient) ReactorHoistedGrad::loss),
        Arguments.of("rows-hoisted", (ReactorEntry.Loss) ReactorRowsHoisted::loss, (ReactorEntry.Gradient) ReactorRowsHoistedGrad::loss),
        Arguments.of("slices", (ReactorEntry.Loss) ReactorSlices::loss, (ReactorEntry.Gradient) ReactorSlicesGrad::loss),
        Arguments.of("3d", (ReactorEntry.Loss) ReactorSlices3D::loss, (ReactorEntry.Gradient) ReactorSlices3DGrad::loss));
  }

  /** The loss to 1e-12 relative: the styles differ in the order of a few roundings at most. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("styles")
  void lossEqualsTheSamplesToOneInATrillion(String style, ReactorEntry.Loss loss, ReactorEntry.Gradient gradient) {
    for (double[] theta : new double[][] {ReactorProblem.initialTheta(), ReactorProblem.randomTheta(3)}) {
      double expected = Reactor.loss(theta.clone(), N, STEPS, DT);
      assertEquals(expected, loss.loss(theta.clone(), N, STEPS, DT), 1e-12 * expected, style);
      double[] grad = new double[7];
      assertEquals(expected, gradient.loss(theta.clone(), N, STEPS, DT, grad, RadContext.exact()), 1e-12 * expected,
          style + ": the value the gradient returns");
    }
  }

  /** The gradient to 1e-10 relative of the sample's generated gradient (same loss, same rounding up to a few ulps per step). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("styles")
  void gradientEqualsTheSamplesGradient(String style, ReactorEntry.Loss loss, ReactorEntry.Gradient gradient) {
    double[] theta = ReactorProblem.randomTheta(5);
    double[] expected = new double[7];
    ReactorGrad.loss(theta.clone(), N, STEPS, DT, expected, RadContext.exact());
    double[] actual = new double[7];
    gradient.loss(theta.clone(), N, STEPS, DT, actual, RadContext.exact());
    double scale = 0;
    for (double g : expected) {
      scale = Math.max(scale, Math.abs(g));
    }
    for (int k = 0; k < 7; k++) {
      assertEquals(expected[k], actual[k], 1e-10 * scale, style + ": d loss / d theta_" + k);
    }
  }

  /** Central differences, h = 1e-4: truncation and rounding both far below 1e-6 relative for this smooth loss. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("styles")
  void gradientMatchesCentralDifferences(String style, ReactorEntry.Loss loss, ReactorEntry.Gradient gradient) {
    GradCheck.assertGradient(theta -> loss.loss(theta, N, STEPS, DT),
        (theta, grad) -> gradient.loss(theta, N, STEPS, DT, grad, RadContext.exact()),
        ReactorProblem.randomTheta(7), 1e-4, 1e-6, 0);
  }

  /**
   * The field is marked @Randomize(fraction = 0.01): a seeded context returns the exact loss, a
   * finite gradient different from the exact one, and holds a smaller tape.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("styles")
  void seededContextSamplesTheField(String style, ReactorEntry.Loss loss, ReactorEntry.Gradient gradient) {
    double[] theta = ReactorProblem.initialTheta();
    double[] exact = new double[7];
    RadContext exactContext = RadContext.exact();
    gradient.loss(theta.clone(), N, STEPS, DT, exact, exactContext);
    double[] sampled = new double[7];
    RadContext seeded = RadContext.seeded(1);
    double value = gradient.loss(theta.clone(), N, STEPS, DT, sampled, seeded);
    assertEquals(Reactor.loss(theta.clone(), N, STEPS, DT), value, 1e-12 * value, style);
    boolean differs = false;
    for (int k = 0; k < 7; k++) {
      assertTrue(Double.isFinite(sampled[k]), style);
      differs |= sampled[k] != exact[k];
    }
    assertTrue(differs, style + ": a 1% sample must change the gradient");
    assertTrue(seeded.peakTapeBytes() < exactContext.peakTapeBytes(), style + ": sampled tape " + seeded.peakTapeBytes()
        + " >= exact " + exactContext.peakTapeBytes());
  }

  /**
   * Each style's randomized gradient is unbiased, as the sample's is (ReactorRandomizedTest): on
   * a 6 x 6 grid over 60 steps, the mean of 300 seeded gradients at f = 0.1 lies within 5 standard
   * errors of the exact gradient in every component (with 7 components and 8 styles, a false
   * alarm has probability below 1e-4). The row styles reload {@code p = mid[j]} from the sampled
   * records, where they once recorded it exactly.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("styles")
  void randomizedGradientAtATenthIsUnbiased(String style, ReactorEntry.Loss loss, ReactorEntry.Gradient gradient) {
    double[] theta = ReactorProblem.initialTheta();
    org.rad.runtime.RadDiagnostics.RandomizedGradient g = ctx -> {
      double[] grad = new double[theta.length];
      gradient.loss(theta.clone(), 6, 60, DT, grad, ctx);
      return grad;
    };
    org.rad.runtime.RadDiagnostics.Report r =
        org.rad.runtime.RadDiagnostics.measure(g, 300, 11, RadContext.seeded(11).withFraction(0.1));
    double variance = 0;
    for (double v : r.variance()) {
      variance += v;
    }
    assertTrue(variance > 0, style + ": the gradient did not vary: nothing was sampled");
    assertTrue(r.maxStandardErrorsFromExact() <= 5, style + ": " + r);
  }
}
