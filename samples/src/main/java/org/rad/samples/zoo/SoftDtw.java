package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: soft dynamic time warping (Cuturi and Blondel, ICML 2017) between a series and a
 * target, as its paper's pseudo-code writes it: a table of alignment costs filled cell by cell from
 * the cells above and to the left, through a soft minimum with a stable log-sum-exp.
 */
public final class SoftDtw {
  private SoftDtw() {}

  /** The soft minimum of three costs: {@code -gamma log(sum exp(-c / gamma))}, shifted by the least. */
  static double softmin(double a, double b, double c, double gamma) {
    double m = Math.min(a, Math.min(b, c));
    double s = Math.exp(-(a - m) / gamma) + Math.exp(-(b - m) / gamma) + Math.exp(-(c - m) / gamma);
    return m - gamma * Math.log(s);
  }

  @Differentiable(wrt = "x")
  public static double distance(double[] x, double[] y, double gamma) {
    int n = x.length;
    int m = y.length;
    double[][] r = new double[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= m; j++) {
        r[i][j] = 1e10;
      }
    }
    r[0][0] = 0;
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        double d = (x[i - 1] - y[j - 1]) * (x[i - 1] - y[j - 1]);
        r[i][j] = d + softmin(r[i - 1][j], r[i][j - 1], r[i - 1][j - 1], gamma);
      }
    }
    return r[n][m];
  }
}
