package org.rad.gradbench.evals;

import org.rad.annotations.Differentiable;

/**
 * GradBench's gmm eval (from ADBench): the log-likelihood of n points x under a mixture of k
 * Gaussians in d dimensions, plus a Wishart prior on the inverse covariances. Component ik has
 * log-weight alpha[ik], mean mu[ik], and inverse covariance factor Q = diag(exp(q[ik])) plus the
 * strictly lower triangle l[ik] (column by column).
 */
public final class Gmm {

  private Gmm() {}

  @Differentiable(wrt = {"alpha", "mu", "q", "l"})
  public static double objective(double[] alpha, double[][] mu, double[][] q, double[][] l,
      double[][] x, double gamma, int m) {
    int n = x.length;
    int k = alpha.length;
    int d = mu[0].length;
    double constant = -n * d * 0.5 * Math.log(2 * Math.PI);

    double[][] qDiag = new double[k][d];
    double[] sumQ = new double[k];
    for (int ik = 0; ik < k; ik++) {
      for (int j = 0; j < d; j++) {
        qDiag[ik][j] = Math.exp(q[ik][j]);
        sumQ[ik] += q[ik][j];
      }
    }

    double[] centered = new double[d];
    double[] qCentered = new double[d];
    double[] mainTerm = new double[k];
    double slse = 0;
    for (int ix = 0; ix < n; ix++) {
      for (int ik = 0; ik < k; ik++) {
        for (int j = 0; j < d; j++) {
          centered[j] = x[ix][j] - mu[ik][j];
        }
        qTimesX(qDiag[ik], l[ik], centered, qCentered);
        mainTerm[ik] = alpha[ik] + sumQ[ik] - 0.5 * sqnorm(qCentered);
      }
      slse += logSumExp(mainTerm);
    }
    double err = constant + slse - n * logSumExp(alpha);
    return err + logWishartPrior(qDiag, sumQ, l, gamma, m);
  }

  /**
   * out = Q x for Q = diag(qDiag) + the strictly lower triangle l, stored column by column:
   * entry (j, i), i < j, is l[i (2d - i - 1) / 2 + j - i - 1]. Row by row, each out[j] sums
   * qDiag[j] x[j], then the terms of columns 0, 1, ... in order, as ADBench's column-by-column
   * loop adds them.
   */
  static void qTimesX(double[] qDiag, double[] l, double[] x, double[] out) {
    int d = x.length;
    for (int j = 0; j < d; j++) {
      double sum = qDiag[j] * x[j];
      for (int i = 0; i < j; i++) {
        sum += l[i * (2 * d - i - 1) / 2 + j - i - 1] * x[i];
      }
      out[j] = sum;
    }
  }

  static double sqnorm(double[] x) {
    double s = x[0] * x[0];
    for (int i = 1; i < x.length; i++) {
      s += x[i] * x[i];
    }
    return s;
  }

  static double logSumExp(double[] x) {
    double mx = x[0];
    for (int i = 1; i < x.length; i++) {
      mx = Math.max(mx, x[i]);
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.exp(x[i] - mx);
    }
    return Math.log(s) + mx;
  }

  static double logWishartPrior(double[][] qDiag, double[] sumQ, double[][] l, double gamma,
      int m) {
    int k = qDiag.length;
    int d = qDiag[0].length;
    int n = d + m + 1;
    double c = n * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * n, d);
    double out = 0;
    for (int ik = 0; ik < k; ik++) {
      double frobenius = sqnorm(qDiag[ik]) + (l[ik].length > 0 ? sqnorm(l[ik]) : 0);
      out += 0.5 * gamma * gamma * frobenius - m * sumQ[ik];
    }
    return -out + k * c;
  }

  /** log of the multivariate gamma function Gamma_p(a); a constant here (no parameter in it). */
  static double logGammaDistrib(double a, int p) {
    double out = 0.25 * p * (p - 1) * Math.log(Math.PI);
    for (int j = 1; j <= p; j++) {
      out += LogGamma.of(a + 0.5 * (1 - j));
    }
    return out;
  }
}
