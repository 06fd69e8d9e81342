package org.rad.samples.mlp;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;

/**
 * The paper's MLP (784-300-300-300-10, ReLU, softmax cross-entropy) written with EJML, as a Java
 * engineer using a matrix library would write it: each layer is one {@code CommonOps_DDRM}
 * product. Weights are {@code DMatrixRMaj} with one row per output unit, biases 1 x n. The
 * processor differentiates the products by its EJML rules; with a seeded context each sampled
 * activation matrix is recorded sparsely and the next layer's weight gradient is computed from the
 * kept entries only.
 */
public final class EjmlMlp {
  private EjmlMlp() {}

  /** ReLU(in W^T + b) for every row (example) of the mini-batch. */
  static DMatrixRMaj dense(DMatrixRMaj w, DMatrixRMaj b, DMatrixRMaj in) {
    DMatrixRMaj out = new DMatrixRMaj(in.numRows, w.numRows);
    CommonOps_DDRM.multTransB(in, w, out);
    for (int n = 0; n < in.numRows; n++) {
      for (int i = 0; i < w.numRows; i++) {
        out.set(n, i, Math.max(0, out.get(n, i) + b.data[i]));
      }
    }
    return out;
  }

  /** Mean softmax cross-entropy of the logits {@code in W^T + b} against integer labels. */
  static double crossEntropy(DMatrixRMaj w, DMatrixRMaj b, DMatrixRMaj in, int[] labels) {
    DMatrixRMaj logits = new DMatrixRMaj(in.numRows, w.numRows);
    CommonOps_DDRM.multTransB(in, w, logits);
    double total = 0;
    for (int n = 0; n < logits.numRows; n++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < logits.numCols; i++) {
        max = Math.max(max, logits.get(n, i) + b.data[i]);
      }
      double sum = 0;
      for (int i = 0; i < logits.numCols; i++) {
        sum += Math.exp(logits.get(n, i) + b.data[i] - max);
      }
      total += Math.log(sum) + max - (logits.get(n, labels[n]) + b.data[labels[n]]);
    }
    return total / in.numRows;
  }

  /** The training loss of one mini-batch {@code x} (rows of 784 pixels) with its labels. */
  @Differentiable(wrt = {"w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4"})
  public static double loss(DMatrixRMaj w1, DMatrixRMaj b1, DMatrixRMaj w2, DMatrixRMaj b2, DMatrixRMaj w3,
      DMatrixRMaj b3, DMatrixRMaj w4, DMatrixRMaj b4, DMatrixRMaj x, int[] labels) {
    @Randomize(fraction = 0.1)
    DMatrixRMaj h1 = dense(w1, b1, x);
    @Randomize(fraction = 0.1)
    DMatrixRMaj h2 = dense(w2, b2, h1);
    @Randomize(fraction = 0.1)
    DMatrixRMaj h3 = dense(w3, b3, h2);
    return crossEntropy(w4, b4, h3, labels);
  }
}
