package org.rad.samples.mlp;

import java.util.SplittableRandom;

/** The weights and biases of a fully connected network, with their adjoints' shape. */
public final class MlpParams {
  public final double[][][] w;
  public final double[][] b;

  private MlpParams(double[][][] w, double[][] b) {
    this.w = w;
    this.b = b;
  }

  /** He-uniform initialization for layer sizes {@code sizes[0] -> sizes[1] -> ...}. */
  public static MlpParams init(int[] sizes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int layers = sizes.length - 1;
    double[][][] w = new double[layers][][];
    double[][] b = new double[layers][];
    for (int l = 0; l < layers; l++) {
      double bound = Math.sqrt(6.0 / sizes[l]);
      w[l] = new double[sizes[l + 1]][sizes[l]];
      b[l] = new double[sizes[l + 1]];
      for (double[] row : w[l]) {
        for (int j = 0; j < row.length; j++) {
          row[j] = random.nextDouble(-bound, bound);
        }
      }
    }
    return new MlpParams(w, b);
  }

  /** Zeros of the same shapes (adjoint accumulators). */
  public MlpParams zeros() {
    double[][][] zw = new double[w.length][][];
    double[][] zb = new double[b.length][];
    for (int l = 0; l < w.length; l++) {
      zw[l] = new double[w[l].length][w[l][0].length];
      zb[l] = new double[b[l].length];
    }
    return new MlpParams(zw, zb);
  }

  /** Number of scalar parameters. */
  public int size() {
    int n = 0;
    for (int l = 0; l < w.length; l++) {
      n += w[l].length * w[l][0].length + b[l].length;
    }
    return n;
  }

  /** All parameters in one vector: w1 rows, b1, w2 rows, b2, ... */
  public double[] flatten() {
    double[] flat = new double[size()];
    int pos = 0;
    for (int l = 0; l < w.length; l++) {
      for (double[] row : w[l]) {
        System.arraycopy(row, 0, flat, pos, row.length);
        pos += row.length;
      }
      System.arraycopy(b[l], 0, flat, pos, b[l].length);
      pos += b[l].length;
    }
    return flat;
  }

  /** Overwrites the parameters from a vector laid out as {@link #flatten()}. */
  public void assign(double[] flat) {
    int pos = 0;
    for (int l = 0; l < w.length; l++) {
      for (double[] row : w[l]) {
        System.arraycopy(flat, pos, row, 0, row.length);
        pos += row.length;
      }
      System.arraycopy(flat, pos, b[l], 0, b[l].length);
      pos += b[l].length;
    }
  }
}
