package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Merges the increments of one adjoint (a scalar's, or an array element's) within a straight run of
 * a reverse sweep:
 *
 * <pre>
 *   phiBar[i][j] += adj;                        laplacianBar = adj * diffusion;
 *   laplacianBar = adj * diffusion;       =>    phiBar[i + 1][j] += laplacianBar;
 *   phiBar[i + 1][j] += laplacianBar;           phiBar[i][j] += adj + -laplacianBar * 4;
 *   phiBar[i][j] += -laplacianBar * 4;
 * </pre>
 *
 * Each {@code +=} of an array element is a load and a store that the JIT keeps in order with every
 * other store into a {@code double[]} (it cannot tell the rows apart), so an element incremented
 * several times in a loop body makes a chain of dependent memory round trips, which is what
 * bounds a stencil's reverse. Adjoint increments commute, so the earlier ones may move down to the
 * last, across statements that only add into adjoint arrays or write other scalars, as long as
 * nothing in between reads an adjoint array (a read would see the difference), sets one, or
 * changes what the moved term or the element's location reads. The sum is the same up to
 * rounding: the terms are added together first, then into the element.
 */
final class MergedIncrements {
  private MergedIncrements() {}

  static Stmt.Block merge(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      out.add(nested(s));
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < out.size() && !changed; i++) {
        if (!(out.get(i) instanceof Stmt.Assign first) || !increment(first)) {
          continue;
        }
        Set<String> termReads = refs(first.value());
        refsInto(first.target(), termReads);
        for (int j = i + 1; j < out.size(); j++) {
          Stmt s = out.get(j);
          if (s instanceof Stmt.Assign later && increment(later) && later.target().equals(first.target())) {
            out.set(j, new Stmt.Assign(later.target(), Stmt.AssignOp.ADD,
                new Expr.Binary(Expr.BinaryOp.ADD, signed(first), signed(later), Type.DOUBLE), later.origin()));
            out.remove(i);
            changed = true;
            break;
          }
          if (!crossable(s, termReads) || reads(s, first.target())) {
            break;
          }
        }
      }
    }
    return new Stmt.Block(out, b.origin());
  }

  private static Stmt nested(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return merge(b);
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(i.condition(), merge(i.whenTrue()), i.whenFalse() == null ? null : merge(i.whenFalse()), i.origin());
    }
    if (s instanceof Stmt.For f) {
      return new Stmt.For(f.init(), f.condition(), f.update(), merge(f.body()), f.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(w.condition(), merge(w.body()), w.origin());
    }
    return s;
  }

  /**
   * {@code aBar[..] += term}, {@code xBar += term} or {@code -= term}, with a term that reads no
   * adjoint array and calls nothing.
   */
  private static boolean increment(Stmt.Assign a) {
    return (a.op() == Stmt.AssignOp.ADD || a.op() == Stmt.AssignOp.SUB)
        && (a.target() instanceof Expr.Index || a.target() instanceof Expr.Ref)
        && adjointRoot(a.target()) && a.target().type() == Type.DOUBLE && simple(a.target()) && simple(a.value())
        && !Exprs.any(a.value(), e -> e instanceof Expr.Index ix && adjointRoot(ix));
  }

  /** Whether {@code s} reads the scalar adjoint {@code target} (other than by adding into it). */
  private static boolean reads(Stmt s, Expr target) {
    if (!(target instanceof Expr.Ref r) || !(s instanceof Stmt.Assign a)) {
      return false;
    }
    return Exprs.mentions(a.value(), r.var()) || !(a.target() instanceof Expr.Ref) && Exprs.mentions(a.target(), r.var());
  }

  /**
   * Whether an increment may move down across {@code s}: {@code s} adds into an adjoint array or
   * writes a scalar that neither the term nor the location reads, and reads no adjoint array.
   */
  private static boolean crossable(Stmt s, Set<String> termReads) {
    if (!(s instanceof Stmt.Assign a) || !simple(a.value())
        || Exprs.any(a.value(), e -> e instanceof Expr.Index ix && adjointRoot(ix))) {
      return false;
    }
    if (a.target() instanceof Expr.Ref r) {
      return !termReads.contains(r.var().name()) && !r.type().isArray();
    }
    return increment(a);
  }

  private static Expr signed(Stmt.Assign a) {
    return a.op() == Stmt.AssignOp.ADD ? a.value() : Adjoints.neg(a.value());
  }

  private static boolean adjointRoot(Expr e) {
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT;
  }

  /** No call of any kind: evaluating it later gives the same value if what it reads is unchanged. */
  private static boolean simple(Expr e) {
    return !Exprs.any(e, x -> x instanceof Expr.MethodCall || x instanceof Expr.ContextCall
        || x instanceof Expr.StaticCall c && c.owner() != Expr.Owner.MATH && c.owner() != Expr.Owner.DERIVATIVES);
  }

  private static Set<String> refs(Expr e) {
    Set<String> names = new HashSet<>();
    refsInto(e, names);
    return names;
  }

  private static void refsInto(Expr e, Set<String> names) {
    Exprs.walk(e, x -> {
      if (x instanceof Expr.Ref r) {
        names.add(r.var().name());
      }
    });
  }
}
