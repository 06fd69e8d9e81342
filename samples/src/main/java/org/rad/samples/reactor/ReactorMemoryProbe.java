package org.rad.samples.reactor;

import org.rad.runtime.RadContext;
import org.rad.samples.util.HeldHeap;

/** Measures the heap the reactor gradient holds between its sweeps (see {@link HeldHeap}). */
public final class ReactorMemoryProbe {
  private ReactorMemoryProbe() {}

  public static long heldBetweenSweeps(double[] theta, int n, int steps, RadContext ctx) {
    ctx.begin();
    try {
      return HeldHeap.between(
          () -> ReactorGrad.lossForward(theta, n, steps, ReactorProblem.DT, ctx),
          () -> ReactorGrad.lossReverse(theta, n, steps, ReactorProblem.DT, new double[theta.length], 1.0, ctx));
    } finally {
      ctx.end();
    }
  }
}
