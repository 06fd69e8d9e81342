package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: the Gaussian mixture model objective of ADBench (microsoft/ADBench,
 * {@code src/cpp/shared/gmm.h} with the helpers of {@code matrix.h}), ported to Java by hand.
 * Pointers into the flat arrays become an array and an offset; the structure, the in-place linear
 * updates ({@code out[j] = out[j] + ...}) and the running index ({@code lparamsIdx++}) are the
 * C++'s.
 *
 * <p>Shapes, as in ADBench: {@code alphas} K, {@code means} d K, {@code icf} (d (d + 1) / 2) K (per
 * component the logs of the diagonal of the inverse covariance factor, then its strictly lower
 * part column by column), {@code x} d n; Wishart prior with parameters {@code gamma}, {@code m}.
 */
public final class Gmm {
  private Gmm() {}

  static final double PI = 3.14159265359; // ADBench's defs.h value

  static double arrMax(int n, double[] x) {
    double m = x[0];
    for (int i = 1; i < n; i++) {
      m = Math.max(m, x[i]);
    }
    return m;
  }

  static double sqnorm(int n, double[] x, int off) {
    double res = x[off] * x[off];
    for (int i = 1; i < n; i++) {
      res = res + x[off + i] * x[off + i];
    }
    return res;
  }

  /** out = x - y, over d values from the offsets. */
  static void subtract(int d, double[] x, int xOff, double[] y, int yOff, double[] out) {
    for (int id = 0; id < d; id++) {
      out[id] = x[xOff + id] - y[yOff + id];
    }
  }

  static double logsumexp(int n, double[] x) {
    double mx = arrMax(n, x);
    double semx = 0.;
    for (int i = 0; i < n; i++) {
      semx = semx + Math.exp(x[i] - mx);
    }
    return Math.log(semx) + mx;
  }

  /** log of the multivariate gamma function Gamma_p(a). */
  static double logGammaDistrib(double a, int p) {
    double out = 0.25 * p * (p - 1) * Math.log(PI);
    for (int j = 1; j <= p; j++) {
      out = out + LogGamma.of(a + 0.5 * (1 - j));
    }
    return out;
  }

  static double logWishartPrior(int p, int k, double gamma, int m, double[] sumQs, double[] qdiags, double[] icf) {
    int n = p + m + 1;
    int icfSz = p * (p + 1) / 2;

    double c = n * p * (Math.log(gamma) - 0.5 * Math.log(2)) - logGammaDistrib(0.5 * n, p);

    double out = 0;
    for (int ik = 0; ik < k; ik++) {
      double frobenius = sqnorm(p, qdiags, ik * p) + sqnorm(icfSz - p, icf, ik * icfSz + p);
      out = out + 0.5 * gamma * gamma * (frobenius) - m * sumQs[ik];
    }

    return out - k * c;
  }

  static void preprocessQs(int d, int k, double[] icf, double[] sumQs, double[] qdiags) {
    int icfSz = d * (d + 1) / 2;
    for (int ik = 0; ik < k; ik++) {
      sumQs[ik] = 0.;
      for (int id = 0; id < d; id++) {
        double q = icf[ik * icfSz + id];
        sumQs[ik] = sumQs[ik] + q;
        qdiags[ik * d + id] = Math.exp(q);
      }
    }
  }

  /** out = Q x with Q lower triangular: diagonal at {@code qOff} of qdiag, strict lower part at {@code lOff} of ltri. */
  static void qtimesx(int d, double[] qdiag, int qOff, double[] ltri, int lOff, double[] x, double[] out) {
    for (int id = 0; id < d; id++) {
      out[id] = qdiag[qOff + id] * x[id];
    }

    int lparamsIdx = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        out[j] = out[j] + ltri[lOff + lparamsIdx] * x[i];
        lparamsIdx++;
      }
    }
  }

  /** The negative log-likelihood of the mixture plus the Wishart prior, as ADBench computes it. */
  @Differentiable(wrt = {"alphas", "means", "icf"})
  public static double objective(int d, int k, int n, double[] alphas, double[] means, double[] icf,
      double[] x, double wishartGamma, int wishartM) {
    final double constant = -n * d * 0.5 * Math.log(2 * PI);
    int icfSz = d * (d + 1) / 2;

    double[] qdiags = new double[d * k];
    double[] sumQs = new double[k];
    double[] xcentered = new double[d];
    double[] qxcentered = new double[d];
    double[] mainTerm = new double[k];

    preprocessQs(d, k, icf, sumQs, qdiags);

    double slse = 0.;
    for (int ix = 0; ix < n; ix++) {
      for (int ik = 0; ik < k; ik++) {
        subtract(d, x, ix * d, means, ik * d, xcentered);
        qtimesx(d, qdiags, ik * d, icf, ik * icfSz + d, xcentered, qxcentered);

        mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqnorm(d, qxcentered, 0);
      }
      slse = slse + logsumexp(k, mainTerm);
    }

    double lseAlphas = logsumexp(k, alphas);

    double err = constant + slse - n * lseAlphas;

    err = err + logWishartPrior(d, k, wishartGamma, wishartM, sumQs, qdiags, icf);
    return err;
  }
}
