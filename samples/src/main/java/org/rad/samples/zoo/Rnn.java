package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: a vanilla recurrent network {@code h_t = tanh(W h_{t-1} + U x_t + b)} over a sequence,
 * with a squared error against a target sequence, written with two hidden-state buffers swapped
 * each step as one writes it to avoid an allocation per step.
 */
public final class Rnn {
  private Rnn() {}

  /**
   * L = (1 / T) sum over t of |h_t - y_t|^2 with h_0 = 0; {@code w} is H x H, {@code u} is H x X,
   * {@code xs} is T x X, {@code ys} is T x H.
   */
  @Differentiable(wrt = {"w", "u", "b"})
  public static double loss(double[][] w, double[][] u, double[] b, double[][] xs, double[][] ys) {
    int hidden = b.length;
    double[] h = new double[hidden];
    double[] hNext = new double[hidden];
    double loss = 0;
    for (int t = 0; t < xs.length; t++) {
      double[] x = xs[t];
      for (int i = 0; i < hidden; i++) {
        double a = b[i];
        for (int j = 0; j < hidden; j++) {
          a += w[i][j] * h[j];
        }
        for (int j = 0; j < x.length; j++) {
          a += u[i][j] * x[j];
        }
        hNext[i] = Math.tanh(a);
      }
      double[] tmp = h;
      h = hNext;
      hNext = tmp;
      for (int i = 0; i < hidden; i++) {
        double d = h[i] - ys[t][i];
        loss += d * d;
      }
    }
    return loss / xs.length;
  }
}
