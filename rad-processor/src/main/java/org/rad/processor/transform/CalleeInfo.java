package org.rad.processor.transform;

import java.util.List;
import java.util.Set;
import org.rad.processor.analysis.MethodSummary;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * What a caller's sweeps need to call a differentiated method: the base name of its generated
 * helpers ({@code nameForward}, ...; see GeneratedNames), its parameters, which of them carry
 * derivatives (and so get an adjoint argument or hand one back), and its summary. A callee that
 * {@code takesNullAdjoints} (an EJML rule) is passed null for the adjoint of an argument that
 * carries no derivative at the call, and skips its share. A callee that is not {@code resultUsed}
 * (a copy made for calls whose result reaches nothing) ignores the adjoint of its result. A
 * callee that {@code returnsAdjoint} has one double parameter that carries derivatives, and its
 * reverse sweep returns that parameter's adjoint; other callees hand the adjoints of their double
 * parameters back through the context ({@code ctx.pushAdjoint}, in parameter order).
 */
public record CalleeInfo(String name, boolean isStatic, List<Var> params, Set<String> activeParams,
    Type returnType, MethodSummary summary, boolean takesNullAdjoints, java.util.BitSet contentsRead, List<Var> kept,
    boolean resultUsed, boolean returnsAdjoint) {

  /** Whether the callee's reverse sweep reads the contents of array argument {@code k}. */
  public boolean readsContents(int k) {
    return contentsRead == null || contentsRead.get(k);
  }

  /**
   * Whether a caller that recomputes this method's result in its reverse sweep, and then runs its
   * reverse, calls {@code namePrimalKeep} and {@code nameReverseKept}: the first keeps the
   * intermediates in {@link #kept()} (the method's top-level double declarations that its reverse
   * would recompute) and the second takes them back instead of computing them again.
   */
  public boolean keepsIntermediates() {
    return !kept.isEmpty();
  }

  /** The double parameters that carry derivatives, in order: those whose adjoints come back. */
  public List<Integer> scalarAdjointParams() {
    List<Integer> out = new java.util.ArrayList<>();
    for (int k = 0; k < params.size(); k++) {
      if (isActiveParam(params.get(k)) && params.get(k).type() == Type.DOUBLE) {
        out.add(k);
      }
    }
    return out;
  }

  public boolean isActiveParam(Var p) {
    return activeParams.contains(p.name()) && p.type().isDifferentiable();
  }

  /** Whether the reverse sweep takes the adjoint of the result. */
  public boolean takesResultAdjoint() {
    return returnType.isDifferentiable();
  }
}
