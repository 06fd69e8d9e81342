package org.rad.samples.mlp;

import org.ejml.data.DMatrixRMaj;

/** The MLP's weights (one row per output unit) and biases (1 x n) as EJML matrices. */
public final class EjmlMlpParams {
  public final DMatrixRMaj[] w;
  public final DMatrixRMaj[] b;

  private EjmlMlpParams(DMatrixRMaj[] w, DMatrixRMaj[] b) {
    this.w = w;
    this.b = b;
  }

  /** A copy of {@code p} as matrices. */
  public static EjmlMlpParams of(MlpParams p) {
    DMatrixRMaj[] w = new DMatrixRMaj[p.w.length];
    DMatrixRMaj[] b = new DMatrixRMaj[p.b.length];
    for (int l = 0; l < w.length; l++) {
      w[l] = new DMatrixRMaj(p.w[l]);
      b[l] = new DMatrixRMaj(1, p.b[l].length, true, p.b[l]);
    }
    return new EjmlMlpParams(w, b);
  }

  /** Zeros of the same shapes (adjoint accumulators). */
  public EjmlMlpParams zeros() {
    DMatrixRMaj[] zw = new DMatrixRMaj[w.length];
    DMatrixRMaj[] zb = new DMatrixRMaj[b.length];
    for (int l = 0; l < w.length; l++) {
      zw[l] = new DMatrixRMaj(w[l].numRows, w[l].numCols);
      zb[l] = new DMatrixRMaj(b[l].numRows, b[l].numCols);
    }
    return new EjmlMlpParams(zw, zb);
  }

  /** All values in the order of {@link MlpParams#flatten()}: w1 (row-major), b1, w2, b2, ... */
  public double[] flatten() {
    int n = 0;
    for (int l = 0; l < w.length; l++) {
      n += w[l].getNumElements() + b[l].getNumElements();
    }
    double[] out = new double[n];
    int pos = 0;
    for (int l = 0; l < w.length; l++) {
      System.arraycopy(w[l].data, 0, out, pos, w[l].getNumElements());
      pos += w[l].getNumElements();
      System.arraycopy(b[l].data, 0, out, pos, b[l].getNumElements());
      pos += b[l].getNumElements();
    }
    return out;
  }
}
