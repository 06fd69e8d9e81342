package org.rad.samples.mlp;

/**
 * Backpropagation written by hand for the same network and loss as {@link Mlp#loss}: the yardstick
 * the generated gradient's speed is compared with. Keeps the hidden activations, then runs the
 * chain rule layer by layer; adds the gradient into {@code bar} and returns the loss.
 */
public final class HandWrittenMlp {
  private HandWrittenMlp() {}

  public static double lossAndGradient(MlpParams p, double[][] x, int[] labels, MlpParams bar) {
    int layers = p.w.length;
    int batch = x.length;
    double[][][] acts = new double[layers][][];
    acts[0] = x;
    for (int l = 0; l < layers - 1; l++) {
      acts[l + 1] = Mlp.dense(p.w[l], p.b[l], acts[l]);
    }
    double[][] w = p.w[layers - 1];
    double[] b = p.b[layers - 1];
    double[][] in = acts[layers - 1];
    double[][] delta = new double[batch][];
    double total = 0;
    for (int n = 0; n < batch; n++) {
      double[] logits = new double[w.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < w.length; i++) {
        double s = b[i];
        for (int j = 0; j < in[n].length; j++) {
          s += w[i][j] * in[n][j];
        }
        logits[i] = s;
        max = Math.max(max, s);
      }
      double sum = 0;
      for (double v : logits) {
        sum += Math.exp(v - max);
      }
      total += Math.log(sum) + max - logits[labels[n]];
      // d loss / d logits = (softmax - onehot) / batch
      double[] d = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        d[i] = (Math.exp(logits[i] - max) / sum - (i == labels[n] ? 1 : 0)) / batch;
      }
      delta[n] = d;
    }
    for (int l = layers - 1; l >= 0; l--) {
      double[][] wl = p.w[l];
      double[][] a = acts[l];
      double[][] prev = l > 0 ? new double[batch][a[0].length] : null;
      for (int n = 0; n < batch; n++) {
        double[] d = delta[n];
        for (int i = 0; i < wl.length; i++) {
          double di = d[i];
          if (di == 0) {
            continue;
          }
          double[] wi = wl[i];
          double[] gi = bar.w[l][i];
          bar.b[l][i] += di;
          double[] an = a[n];
          for (int j = 0; j < an.length; j++) {
            gi[j] += di * an[j];
          }
          if (prev != null) {
            double[] pn = prev[n];
            for (int j = 0; j < wi.length; j++) {
              pn[j] += di * wi[j];
            }
          }
        }
        if (prev != null) {
          // through the ReLU that produced a (= acts[l]): zero where the unit was off
          double[] pn = prev[n];
          double[] an = a[n];
          for (int j = 0; j < pn.length; j++) {
            if (an[j] <= 0) {
              pn[j] = 0;
            }
          }
        }
      }
      delta = prev;
    }
    return total / batch;
  }
}
