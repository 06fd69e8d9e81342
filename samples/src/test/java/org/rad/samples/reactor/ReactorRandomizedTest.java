package org.rad.samples.reactor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;
import org.rad.runtime.RadDiagnostics;

/**
 * The sample's randomized gradient is unbiased: on a reduced grid, the mean of M = 300 seeded
 * gradients at f = 0.1 lies within 5 standard errors of the exact gradient in every component
 * (with 7 components, a false alarm has probability below 1e-5).
 */
class ReactorRandomizedTest {
  @Test
  void randomizedGradientAtATenthIsUnbiased() {
    double[] theta = ReactorProblem.initialTheta();
    RadDiagnostics.RandomizedGradient g = ctx -> {
      double[] grad = new double[theta.length];
      ReactorGrad.loss(theta, 6, 60, ReactorProblem.DT, grad, ctx);
      return grad;
    };
    RadDiagnostics.Report r = RadDiagnostics.measure(g, 300, 11, RadContext.seeded(11).withFraction(0.1));
    double variance = 0;
    for (double v : r.variance()) {
      variance += v;
    }
    assertTrue(variance > 0, "the gradient did not vary: nothing was sampled");
    assertTrue(r.maxStandardErrorsFromExact() <= 5, r.toString());
  }
}
