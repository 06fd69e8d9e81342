package org.rad.samples.mlp;

import org.rad.runtime.RadContext;
import org.rad.samples.util.HeldHeap;

/** Measures the heap the MLP's gradient holds between its sweeps (see {@link HeldHeap}). */
public final class MlpMemoryProbe {
  private MlpMemoryProbe() {}

  public static long heldBetweenSweeps(MlpParams p, MlpParams bar, double[][] x, int[] labels, RadContext ctx) {
    ctx.begin();
    try {
      return HeldHeap.between(
          () -> MlpGrad.lossForward(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels, ctx),
          () -> MlpGrad.lossReverse(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels,
              bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], 1.0, ctx));
    } finally {
      ctx.end();
    }
  }

  /** The same for the EJML version of the network ({@link EjmlMlp}). */
  public static long heldBetweenSweeps(EjmlMlpParams p, EjmlMlpParams bar, org.ejml.data.DMatrixRMaj x, int[] labels,
      RadContext ctx) {
    ctx.begin();
    try {
      return HeldHeap.between(
          () -> EjmlMlpGrad.lossForward(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels, ctx),
          () -> EjmlMlpGrad.lossReverse(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels,
              bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], 1.0, ctx));
    } finally {
      ctx.end();
    }
  }
}
