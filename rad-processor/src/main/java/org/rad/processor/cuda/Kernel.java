package org.rad.processor.cuda;

import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * One CUDA kernel: a data-parallel loop nest of a sweep, one thread per iteration of its (one or
 * two) parallel loops. The emitters write it twice: as a {@code __global__} function and as the
 * host code that launches it.
 *
 * @param name the kernel's name in the module
 * @param origin the loop nest, for messages
 * @param outer the outer (or only) parallel loop
 * @param inner the inner parallel loop of a two-dimensional nest, or null
 * @param body what one thread runs, after its loop variables are set
 * @param warpPost statements after the inner loop, linear in {@code warpSums}, that the first lane of
 *     each warp runs once with the sums over the warp's threads (which share the outer index); empty
 *     when each thread runs them itself (they are then at the end of {@code body})
 * @param warpSums the sums that {@code warpPost} reads
 * @param arrays the device arrays it uses, in parameter order
 * @param atomicArrays the names of the arrays it adds into with {@code atomicAdd}
 * @param writtenArrays the names of the arrays it writes
 * @param scalars the host values it reads, in parameter order
 * @param locals the scalars private to a thread (declared in the kernel, starting at zero)
 * @param zeroOnEntry the locals that rely on starting at zero (sums reset at the end of each
 *     iteration, as a reverse sweep's adjoint temporaries are): the host checks they are zero
 * @param reductions scalars summed over all threads: the host adds the total after the launch
 * @param records the records the body takes or regenerates, in order
 * @param pops whether the records are pops (a reverse sweep's kernel) rather than pushes
 */
public record Kernel(
    String name,
    Origin origin,
    Loop outer,
    Loop inner,
    List<Stmt> body,
    List<Stmt> warpPost,
    List<Var> warpSums,
    List<Var> arrays,
    Set<String> atomicArrays,
    Set<String> writtenArrays,
    List<Var> scalars,
    List<Var> locals,
    List<Var> zeroOnEntry,
    List<Var> reductions,
    List<Record> records,
    boolean pops) {

  /**
   * A counted loop {@code for (v = ...; ...; v++ or v--)} seen as the range {@code lo, lo + 1, ...,
   * lo + count - 1}, whatever its direction: a parallel loop's order does not matter, and a
   * forward and a reverse kernel over the same range give the same iteration the same slot.
   */
  public record Loop(Var var, Expr lo, Expr count, Origin origin) {}

  /**
   * A record in the body: {@code call} is the {@code ctx.pushSampledAt}, {@code popSampledAt},
   * {@code pushDouble} or {@code popDouble} call; {@code fraction} the annotated fraction (null for
   * an exact record).
   */
  public record Record(Expr.ContextCall call, Expr fraction) {}

  public boolean twoDimensional() {
    return inner != null;
  }
}
