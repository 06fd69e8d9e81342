package org.rad.processor.analysis;

import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Integer updates the reverse sweep undoes instead of recording: {@code k++}, {@code k--},
 * {@code k += d}, {@code k -= d}, {@code k = k + d}, {@code k = d + k} and {@code k = k - d} on an
 * {@code int} or {@code long} variable, where {@code d} is an integer expression that does not
 * read {@code k} and calls nothing. Integer addition wraps around exactly (two's complement), so
 * {@code k -= d} after {@code k += d} gives back the old {@code k} bit for bit, whatever the
 * values; a running index ({@code idx++} in a loop) then costs nothing on the tape. The same
 * holds for an element of an {@code int[]} or {@code long[]} ({@code count[i % 4]++}, {@code
 * hist[b] += w}) whose index and {@code d} read no array element (another variable may hold
 * this array) and call nothing.
 *
 * <p>The inverse reads {@code k}'s new value and {@code d}: the record planner makes sure both
 * hold their forward values where the inverse runs, as for any other reverse-sweep read.
 */
public final class Inversions {
  private Inversions() {}

  /** The statement that undoes {@code s}, or null when {@code s} is not such an update. */
  public static Stmt inverse(Stmt s) {
    if (s instanceof Stmt.Step st && st.var().type().isIntegral()) {
      return new Stmt.Step(st.var(), !st.increment(), Origin.SYNTHETIC);
    }
    if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Index ix && ix.type().isIntegral()) {
      return elementInverse(a, ix);
    }
    if (!(s instanceof Stmt.Assign a) || !(a.target() instanceof Expr.Ref r) || !r.var().type().isIntegral()) {
      return null;
    }
    Var k = r.var();
    Expr delta = null;
    boolean add = false;
    if (a.op() == Stmt.AssignOp.ADD || a.op() == Stmt.AssignOp.SUB) {
      delta = a.value();
      add = a.op() == Stmt.AssignOp.ADD;
    } else if (a.op() == Stmt.AssignOp.SET && a.value() instanceof Expr.Binary b
        && (b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB)) {
      add = b.op() == Expr.BinaryOp.ADD;
      if (b.left().equals(r)) {
        delta = b.right();
      } else if (add && b.right().equals(r)) {
        delta = b.left();
      }
    }
    if (delta == null || !delta.type().isIntegral() || Exprs.mentions(delta, k) || calls(delta)) {
      return null;
    }
    return new Stmt.Assign(r, add ? Stmt.AssignOp.SUB : Stmt.AssignOp.ADD, delta, Origin.SYNTHETIC);
  }

  /** The inverse of {@code a[e] += d} (or {@code -=}) on an integer element, or null. */
  private static Stmt elementInverse(Stmt.Assign a, Expr.Index target) {
    if (a.op() != Stmt.AssignOp.ADD && a.op() != Stmt.AssignOp.SUB) {
      return null;
    }
    Expr array = target;
    while (array instanceof Expr.Index i) {
      array = i.array();
    }
    if (!(array instanceof Expr.Ref root)) {
      return null;
    }
    // (no element reads in the step or the indices at all: another array variable there may be
    // this very array, c[0] += d[0] with d == c, which the reverse would not undo)
    Expr delta = a.value();
    if (!delta.type().isIntegral() || readsElements(delta) || calls(delta) || calls(target)) {
      return null;
    }
    for (Expr e = target; e instanceof Expr.Index i; e = i.array()) {
      if (readsElements(i.index())) {
        return null;
      }
    }
    return new Stmt.Assign(target, a.op() == Stmt.AssignOp.ADD ? Stmt.AssignOp.SUB : Stmt.AssignOp.ADD, delta,
        Origin.SYNTHETIC);
  }

  private static boolean readsElements(Expr e) {
    return Exprs.any(e, x -> x instanceof Expr.Index);
  }

  private static boolean calls(Expr e) {
    return Exprs.any(e, x -> x instanceof Expr.MethodCall || x instanceof Expr.ContextCall
        || x instanceof Expr.StaticCall || x instanceof Expr.LibraryCall);
  }
}
