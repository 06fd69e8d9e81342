package org.rad.processor.transform;

import java.util.List;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Everything the emitter needs to write one method's generated code.
 *
 * @param method the normalized method (single exit)
 * @param result the variable holding the result, or null for void
 * @param callee how callers see it: active parameters and summary
 * @param forward the forward sweep body (records included), without the final hand-off
 * @param reverse the reverse sweep body, without preamble and epilogue
 * @param handoff variables the forward sweep pushes at its end and the reverse pops at its start
 * @param forwardLocals locals the forward sweep hoists to its top
 * @param reverseLocals locals the reverse sweep hoists to its top (primal values and adjoints)
 * @param shadowParams adjoint arrays of the active array parameters, in parameter order
 * @param resultAdjoint the adjoint of the result (a parameter of the reverse sweep), or null
 * @param arrayLocalShadows pairs (array local, its adjoint) to bind at the start of the reverse
 * @param sampledHandoff for handed-off @Randomize doubles, the sampled push and pop that replace
 *     the plain ones
 * @param notes warnings to report
 * @param resultAliasAdjoint the adjoint of the local the method returns, bound to the result's
 *     adjoint parameter at the start of the reverse sweep; or null
 * @param directShadows the array locals of {@code arrayLocalShadows} whose adjoint the reverse
 *     sweep allocates itself instead of looking it up by the array's identity: a {@code double[]}
 *     allocated once by the method, alone in its alias class, so nothing else can reach it but
 *     through this variable (callees get its adjoint as an argument)
 * @param sizedHandoff the fresh array locals of {@code handoff} of which the reverse sweep needs
 *     only an adjoint of zeros of their final array's size, not the array: only that size is
 *     handed over (nothing, where it is a literal)
 */
public record DifferentiatedMethod(
    MethodIR method,
    Var result,
    CalleeInfo callee,
    Stmt.Block forward,
    Stmt.Block reverse,
    List<Var> handoff,
    List<Var> forwardLocals,
    List<Var> reverseLocals,
    List<Var> shadowParams,
    Var resultAdjoint,
    List<Var[]> arrayLocalShadows,
    List<Var> scalarParamAdjoints,
    java.util.Set<String> writtenParams,
    java.util.Map<String, Stmt[]> sampledHandoff,
    List<Note> notes,
    Var resultAliasAdjoint,
    java.util.Set<String> directShadows,
    java.util.Set<String> sizedHandoff) {

  /** A warning about the method, reported by the processor at its origin. */
  public record Note(org.rad.processor.ir.Origin origin, String message) {}

  /**
   * The length of the array a {@linkplain #directShadows direct-shadow} local is allocated with,
   * where its declaration allocates it with a literal length ({@code double[] h = new double[2]}),
   * else null. Its adjoint is then allocated with that literal length, which lets the JIT keep a
   * small adjoint array in registers (it replaces only allocations of a constant length), and
   * needs no null check: where the allocation did not run, no statement of the reverse sweep
   * reaches the adjoint (the forward sweep would have failed on the null array first).
   */
  public Integer literalLength(Var local) {
    if (!directShadows.contains(local.name())) {
      return null;
    }
    Integer[] length = {null};
    org.rad.processor.analysis.Statements.forEach(method.body(), s -> {
      if (s instanceof Stmt.Declare d && d.var().equals(local) && d.init() instanceof Expr.NewArray n
          && n.dims().size() == 1 && n.dims().get(0) instanceof Expr.Literal l && l.type() == Type.INT
          && l.text().matches("\\d{1,9}")) {
        length[0] = Integer.valueOf(l.text());
      }
    });
    return length[0];
  }
}
