package org.rad.processor.transform;

import java.util.List;
import java.util.Set;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * How one method records what its reverse sweep needs and gets it back: the record strategy,
 * chosen once per method ({@link #of}). The sweep builder decides what is recorded and where (the
 * plan, the reverse rules); a strategy decides how a value, an element, a slice of a row or a
 * whole array is taken in the forward sweep and restored in the reverse sweep.
 *
 * <ul>
 *   <li>{@link ExactRecords}: every value on the context's tapes, as it was.
 *   <li>{@link SampledRecords}: the values of {@code @Randomize} variables and array classes are
 *       sampled (each kept with the requested probability, scaled), and an array read but never
 *       overwritten may be recorded whole after its last use; every other value is exact.
 * </ul>
 *
 * A checkpointing strategy (recompute a segment from a saved state) would be one more
 * implementation. A strategy's records and restores must mirror each other: a restore takes back
 * exactly what the matching record pushed, in the reverse order the sweep builder asks for them.
 * The records of control flow (branch bits, loop trip counts) and of the whole contents of arrays
 * a call writes are exact in every strategy (the default methods).
 */
sealed interface Records permits ExactRecords, SampledRecords {

  /** The exact strategy for a method without @Randomize requests, else the sampled one. */
  static Records of(RandomizedRecords randomized, AliasClasses aliases) {
    return of(randomized, aliases, Set.of());
  }

  /** The same, with the fresh array locals of {@link ExactRecords#ExactRecords(Set)}. */
  static Records of(RandomizedRecords randomized, AliasClasses aliases, Set<String> freshLocals) {
    return randomized == null ? new ExactRecords(freshLocals) : new SampledRecords(randomized, aliases);
  }

  /**
   * Where a record is taken: {@code site} is what owns it (the statement being built; a sampled
   * record's random decisions are keyed by it), {@code loopIndices} the variables of the loops
   * around it, outermost first.
   */
  record At(Object site, List<Var> loopIndices) {
    public At {
      loopIndices = List.copyOf(loopIndices);
    }
  }

  /**
   * The elements {@code array[shift + x]} for x in [{@code from}, {@code to}) that a loop over
   * {@code index} overwrites one per iteration, recorded in one call before the loop.
   */
  record Slice(Expr array, Expr from, Expr to, Var index, Expr shift) {
    /** Whether the elements are {@code array[shift + x]} for x in [from, to), not {@code array[x]}. */
    boolean shifted() {
      return !(shift instanceof Expr.Literal l && l.isZero());
    }
  }

  /** The forward sweep's record of the value {@code target} holds (a variable or an element). */
  Stmt record(Expr target, At at);

  /** The reverse sweep's restore of what {@link #record} took: {@code target = <the record>;}. */
  Stmt.Assign restore(Expr target, At at);

  /**
   * Whether the records of the elements {@code target} names at the iterations of a counted
   * loop over {@code index} may be taken as one slice (shifted: the element index is
   * {@code base + index}).
   */
  boolean takesSlice(Expr.Index target, Var index, boolean shifted, At at);

  /** The record of a whole slice, in the order the element records of {@code target} would take them. */
  Stmt recordSlice(Slice slice, Expr target, At at);

  /** The restore of a slice {@link #recordSlice} took. */
  Stmt restoreSlice(Slice slice, Expr target, At at);

  /** Arrays recorded whole right after {@code s} (the reverse sweep reads the keys in {@code needed}). */
  List<Var> wholeAfter(Stmt s, Set<String> needed);

  /** The record of the whole array {@code v} after its last use; {@code letGo}: then drop the local. */
  List<Stmt> recordWhole(Var v, boolean letGo, List<Var> loopIndices);

  /** The restore of what {@link #recordWhole} took: {@code v = <the reconstruction>;}. */
  Stmt restoreWhole(Var v, List<Var> loopIndices);

  // ---- the records of control flow and of whole contents: exact in every strategy ---------------

  /** The record of a branch decision: {@code ctx.pushBit(taken)}. */
  default Stmt recordBit(Expr decision) {
    return new Stmt.Call(SweepBuilder.ctx(RuntimeOp.PUSH_BIT, Type.VOID, decision), Origin.SYNTHETIC);
  }

  /** The decision {@link #recordBit} recorded: {@code ctx.popBit()}. */
  default Expr restoreBit() {
    return SweepBuilder.ctx(RuntimeOp.POP_BIT, Type.BOOLEAN);
  }

  /** The record of the number of iterations a loop ran, counted in {@code trips}: {@code ctx.pushInt(trips)}. */
  default Stmt recordTrips(Var trips) {
    return new Stmt.Call(SweepBuilder.ctx(RuntimeOp.PUSH_INT, Type.VOID, new Expr.Ref(trips)), Origin.SYNTHETIC);
  }

  /** The count {@link #recordTrips} recorded: {@code ctx.popInt()}. */
  default Expr restoreTrips() {
    return SweepBuilder.ctx(RuntimeOp.POP_INT, Type.INT);
  }

  /** The record of the whole contents of an array a call that runs as it is writes into. */
  default Stmt recordContents(Expr array) {
    return new Stmt.Call(SweepBuilder.ctx(RuntimeOp.PUSH_CONTENTS, Type.VOID, array), Origin.SYNTHETIC);
  }

  /** Writes back, in place, the contents {@link #recordContents} took. */
  default Stmt restoreContents(Expr array) {
    return new Stmt.Call(SweepBuilder.ctx(RuntimeOp.POP_CONTENTS, Type.VOID, array), Origin.SYNTHETIC);
  }

  /** Whether {@code s} is the restore of one element or value, as {@link #restore} builds it, of {@code target}. */
  static boolean isElementRestore(Stmt s, Expr target) {
    return s instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET && a.target().equals(target)
        && a.value() instanceof Expr.ContextCall c && (c.op() == RuntimeOp.POP_SAMPLED_AT || c.op() == RuntimeOp.POP_DOUBLE);
  }
}
