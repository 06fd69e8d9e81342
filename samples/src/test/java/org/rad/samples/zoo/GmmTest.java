package org.rad.samples.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/** The ADBench GMM objective and its generated gradient, at d = 3, K = 4, n = 12. */
class GmmTest {
  static final int D = 3;
  static final int K = 4;
  static final int N = 12;
  static final int ICF = D * (D + 1) / 2 * K;

  @Test
  void gradientMatchesCentralDifferences() {
    SplittableRandom random = new SplittableRandom(3);
    double[] x = ZooData.uniform(random, D * N, 0, 1);
    double[] params = ZooData.uniform(random, K + D * K + ICF, -0.5, 0.5);
    GradCheck.assertGradient(p -> Gmm.objective(D, K, N, part(p, 0, K), part(p, K, D * K), part(p, K + D * K, ICF), x, 1.0, 0),
        (p, grad) -> {
          double[] aBar = new double[K];
          double[] mBar = new double[D * K];
          double[] iBar = new double[ICF];
          double value = GmmGrad.objective(D, K, N, part(p, 0, K), part(p, K, D * K), part(p, K + D * K, ICF), x, 1.0, 0,
              aBar, mBar, iBar, RadContext.exact());
          System.arraycopy(aBar, 0, grad, 0, K);
          System.arraycopy(mBar, 0, grad, K, D * K);
          System.arraycopy(iBar, 0, grad, K + D * K, ICF);
          return value;
        }, params, 1e-6, 1e-6, 1e-8);
  }

  /**
   * One component in two dimensions is a Gaussian with inverse covariance factor
   * Q = [[q1, 0], [l, q2]]: with alpha = 0 the objective is the closed form below (the mixture's
   * logsumexp over one component is its term, and logsumexp(alphas) = 0).
   */
  @Test
  void oneTwoDimensionalGaussianHasTheClosedForm() {
    double[] mu = {0.3, -0.2};
    double q1 = 2.0;
    double q2 = 0.7;
    double l = 0.4;
    double[] x = {0.1, 0.7, -0.4, 0.2, 0.9, -1.0};
    double gamma = 1.5;
    int m = 2;
    int n = x.length / 2;
    double expected = -n * 2 * 0.5 * Math.log(2 * Gmm.PI);
    for (int i = 0; i < n; i++) {
      double a = q1 * (x[2 * i] - mu[0]);
      double b = q2 * (x[2 * i + 1] - mu[1]) + l * (x[2 * i] - mu[0]);
      expected += Math.log(q1) + Math.log(q2) - 0.5 * (a * a + b * b);
    }
    // Wishart prior, p = 2, k = 1: 0.5 gamma^2 |Q|_F^2 - m log det Q - C with nw = p + m + 1,
    // C = nw p (log gamma - 0.5 log 2) - log Gamma_p(nw / 2), log Gamma_2(a) = 0.5 log pi + lgamma(a) + lgamma(a - 1/2)
    int nw = 2 + m + 1;
    double logGamma2 = 0.5 * Math.log(Gmm.PI) + LogGamma.of(0.5 * nw) + LogGamma.of(0.5 * nw - 0.5);
    double c = nw * 2 * (Math.log(gamma) - 0.5 * Math.log(2)) - logGamma2;
    expected += 0.5 * gamma * gamma * (q1 * q1 + q2 * q2 + l * l) - m * (Math.log(q1) + Math.log(q2)) - c;
    double[] icf = {Math.log(q1), Math.log(q2), l};
    double actual = Gmm.objective(2, 1, n, new double[] {0}, mu, icf, x, gamma, m);
    assertEquals(expected, actual, 1e-12 * Math.abs(expected));
  }

  @Test
  void logGammaMatchesKnownValues() {
    assertEquals(0, LogGamma.of(1), 1e-14);
    assertEquals(0, LogGamma.of(2), 1e-14);
    assertEquals(Math.log(24), LogGamma.of(5), 1e-13);
    assertEquals(0.5 * Math.log(Math.PI), LogGamma.of(0.5), 1e-14);
    assertEquals(Math.log(2 * Math.sqrt(Math.PI)), LogGamma.of(-0.5), 1e-13);
  }

  static double[] part(double[] p, int from, int length) {
    return Arrays.copyOfRange(p, from, from + length);
  }
}
