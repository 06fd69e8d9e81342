package org.rad.samples.mlp;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;

/**
 * The paper's fully connected network (section 4): 784-300-300-300-10 with ReLU and a softmax
 * cross-entropy loss, written with plain loops over {@code double[][]} as a Java engineer would
 * write it. Weights are stored row per output unit ({@code w[out][in]}).
 */
public final class Mlp {
  private Mlp() {}

  /** ReLU(in W^T + b) for every row of the mini-batch. */
  static double[][] dense(double[][] w, double[] b, double[][] in) {
    double[][] out = new double[in.length][w.length];
    for (int n = 0; n < in.length; n++) {
      double[] x = in[n];
      double[] y = out[n];
      for (int i = 0; i < w.length; i++) {
        double[] wi = w[i];
        double s = b[i];
        for (int j = 0; j < x.length; j++) {
          s += wi[j] * x[j];
        }
        y[i] = Math.max(0, s);
      }
    }
    return out;
  }

  /** Mean softmax cross-entropy of the logits {@code in W^T + b} against integer labels. */
  static double crossEntropy(double[][] w, double[] b, double[][] in, int[] labels) {
    double total = 0;
    for (int n = 0; n < in.length; n++) {
      double[] x = in[n];
      double[] logits = new double[w.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < w.length; i++) {
        double[] wi = w[i];
        double s = b[i];
        for (int j = 0; j < x.length; j++) {
          s += wi[j] * x[j];
        }
        logits[i] = s;
        max = Math.max(max, s);
      }
      double sum = 0;
      for (int i = 0; i < logits.length; i++) {
        sum += Math.exp(logits[i] - max);
      }
      total += Math.log(sum) + max - logits[labels[n]];
    }
    return total / in.length;
  }

  /** The training loss of one mini-batch {@code x} (rows of 784 pixels) with its labels. */
  @Differentiable(wrt = {"w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4"})
  public static double loss(double[][] w1, double[] b1, double[][] w2, double[] b2, double[][] w3, double[] b3,
      double[][] w4, double[] b4, double[][] x, int[] labels) {
    // Hidden activations: what backprop must remember. With a seeded context the reverse sweep
    // keeps a 10% sample of each (scaled by 1/f); RadContext.exact() keeps them whole.
    @Randomize(fraction = 0.1)
    double[][] h1 = dense(w1, b1, x);
    @Randomize(fraction = 0.1)
    double[][] h2 = dense(w2, b2, h1);
    @Randomize(fraction = 0.1)
    double[][] h3 = dense(w3, b3, h2);
    return crossEntropy(w4, b4, h3, labels);
  }

  /**
   * The same loss with the paper's "same sample": one sample of units shared by every example of
   * the mini-batch (the rows of each activation matrix), instead of one per example.
   */
  @Differentiable(wrt = {"w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4"})
  public static double lossSameSample(double[][] w1, double[] b1, double[][] w2, double[] b2, double[][] w3,
      double[] b3, double[][] w4, double[] b4, double[][] x, int[] labels) {
    @Randomize(fraction = 0.1, sameAcross = Randomize.ROWS)
    double[][] h1 = dense(w1, b1, x);
    @Randomize(fraction = 0.1, sameAcross = Randomize.ROWS)
    double[][] h2 = dense(w2, b2, h1);
    @Randomize(fraction = 0.1, sameAcross = Randomize.ROWS)
    double[][] h3 = dense(w3, b3, h2);
    return crossEntropy(w4, b4, h3, labels);
  }

  /** The predicted class of each row of {@code x}: the largest logit. */
  public static int[] predict(MlpParams p, double[][] x) {
    double[][] h = x;
    for (int l = 0; l < p.w.length - 1; l++) {
      h = dense(p.w[l], p.b[l], h);
    }
    double[][] last = p.w[p.w.length - 1];
    double[] bias = p.b[p.b.length - 1];
    int[] out = new int[x.length];
    for (int n = 0; n < x.length; n++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < last.length; i++) {
        double s = bias[i];
        for (int j = 0; j < h[n].length; j++) {
          s += last[i][j] * h[n][j];
        }
        if (s > best) {
          best = s;
          out[n] = i;
        }
      }
    }
    return out;
  }
}
