package org.rad.processor.transform;

import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Every value on the context's tapes as it was: {@code ctx.pushDouble(x)} and {@code x =
 * ctx.popDouble()} (and the int, long, bit and reference tapes), a slice of a row in one call
 * ({@code ctx.pushDoubles(a, from, to)}). It takes no whole-array records.
 */
final class ExactRecords implements Records {
  private final Set<String> freshLocals;

  ExactRecords() {
    this(Set.of());
  }

  /**
   * @param freshLocals the {@code double[]} locals whose every value is a new array only they
   *     reach: their overwritten references go on the context's fresh-reference tape
   *     ({@code pushFreshRef}), which counts the arrays' bytes without an identity table
   */
  ExactRecords(Set<String> freshLocals) {
    this.freshLocals = freshLocals;
  }

  @Override
  public Stmt record(Expr target, At at) {
    RuntimeOp op = isFresh(target) ? RuntimeOp.PUSH_FRESH_REF : RuntimeOp.push(target.type());
    return new Stmt.Call(SweepBuilder.ctx(op, Type.VOID, target), Origin.SYNTHETIC);
  }

  @Override
  public Stmt.Assign restore(Expr target, At at) {
    RuntimeOp op = isFresh(target) ? RuntimeOp.POP_FRESH_REF : RuntimeOp.pop(target.type());
    return new Stmt.Assign(target, Stmt.AssignOp.SET, SweepBuilder.ctx(op, target.type()), Origin.SYNTHETIC);
  }

  private boolean isFresh(Expr target) {
    return target instanceof Expr.Ref r && r.type() == Type.DOUBLE_ARRAY && freshLocals.contains(r.var().name());
  }

  @Override
  public boolean takesSlice(Expr.Index target, Var index, boolean shifted, At at) {
    return true;
  }

  @Override
  public Stmt recordSlice(Slice slice, Expr target, At at) {
    return bulk(RuntimeOp.PUSH_DOUBLES, slice);
  }

  @Override
  public Stmt restoreSlice(Slice slice, Expr target, At at) {
    return bulk(RuntimeOp.POP_DOUBLES, slice);
  }

  /** {@code ctx.pushDoubles(array, shift + from, shift + to)} (or the pop): the slice's elements in one copy. */
  private static Stmt bulk(RuntimeOp op, Slice slice) {
    Expr from = slice.shifted() ? new Expr.Binary(Expr.BinaryOp.ADD, slice.shift(), slice.from(), Type.INT) : slice.from();
    Expr to = slice.shifted() ? new Expr.Binary(Expr.BinaryOp.ADD, slice.shift(), slice.to(), Type.INT) : slice.to();
    return new Stmt.Call(SweepBuilder.ctx(op, Type.VOID, slice.array(), from, to), Origin.SYNTHETIC);
  }

  @Override
  public List<Var> wholeAfter(Stmt s, Set<String> needed) {
    return List.of();
  }

  @Override
  public List<Stmt> recordWhole(Var v, boolean letGo, List<Var> loopIndices) {
    throw new IllegalStateException("exact records take no whole-array records: " + v.name());
  }

  @Override
  public Stmt restoreWhole(Var v, List<Var> loopIndices) {
    throw new IllegalStateException("exact records take no whole-array records: " + v.name());
  }
}
