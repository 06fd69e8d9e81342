package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Expr.Owner;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * One test of an adjoint against zero for a run of products instead of one per product:
 *
 * <pre>
 *   wBar[4] += Derivatives.times(adj, x[0]);        if (adj != 0.0) {
 *   wBar[5] += Derivatives.times(adj, x[1]);   =>     wBar[4] += adj * x[0];
 *   wBar[6] += Derivatives.times(adj, x[2]);          wBar[5] += adj * x[1];
 *                                                     wBar[6] += adj * x[2];
 *                                                   }
 * </pre>
 *
 * {@code Derivatives.times(s, p)} is {@code s * p} except that it is 0 where {@code s} is 0 (so an
 * infinite partial of a value that does not reach the result leaks no NaN). Each call is a
 * compare and a branch; a small function's reverse sweep makes dozens per call, which a
 * gradient taken once per data point pays in full. Where consecutive increments of adjoints are
 * all seeded by the same local {@code s}, which none of them assigns, testing {@code s} once
 * does the same: where {@code s} is 0 every increment added 0 and is skipped (the sums differ
 * at most in the sign of a zero), elsewhere the products are the same. Only increments
 * ({@code +=}, {@code -=}) are grouped: skipping {@code t = times(s, p)} would leave {@code t}'s
 * old value instead of 0. A product nested in another ({@code times(times(s, p), q)}) keeps its
 * inner test: its value may be 0 where {@code s} is not.
 */
final class ZeroSeedTests {
  private ZeroSeedTests() {}

  /** Runs shorter than this stay as they are: one test either way. */
  private static final int MIN_RUN = 2;

  static Stmt.Block group(Stmt.Block b) {
    List<Stmt> in = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      in.add(nested(s));
    }
    List<Stmt> out = new ArrayList<>();
    int i = 0;
    while (i < in.size()) {
      Var seed = seedOf(in.get(i));
      int end = i + 1;
      if (seed != null) {
        while (end < in.size() && seed.equals(seedOf(in.get(end)))) {
          end++;
        }
      }
      if (seed == null || end - i < MIN_RUN) {
        out.add(in.get(i));
        i++;
        continue;
      }
      List<Stmt> guarded = new ArrayList<>();
      for (int k = i; k < end; k++) {
        Stmt.Assign a = (Stmt.Assign) in.get(k);
        guarded.add(new Stmt.Assign(a.target(), a.op(), unguarded(a.value(), seed), a.origin()));
      }
      Expr nonZero = new Expr.Binary(Expr.BinaryOp.NE, new Expr.Ref(seed), Expr.Literal.ofDouble(0.0), Type.BOOLEAN);
      out.add(new Stmt.If(nonZero, Stmt.Block.of(guarded), null, Origin.SYNTHETIC));
      i = end;
    }
    return new Stmt.Block(out, b.origin());
  }

  private static Stmt nested(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return group(b);
    }
    if (s instanceof Stmt.If f) {
      return new Stmt.If(f.condition(), group(f.whenTrue()), f.whenFalse() == null ? null : group(f.whenFalse()),
          f.origin());
    }
    if (s instanceof Stmt.For f) {
      return new Stmt.For(f.init(), f.condition(), f.update(), group(f.body()), f.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(w.condition(), group(w.body()), w.origin());
    }
    return s;
  }

  /**
   * The local whose zero test guards {@code s}: {@code s} is {@code target += v} or
   * {@code target -= v} with {@code v} a seeded product ({@link #unguarded}) of a double local
   * that the target is not; else null.
   */
  private static Var seedOf(Stmt s) {
    if (!(s instanceof Stmt.Assign a) || (a.op() != Stmt.AssignOp.ADD && a.op() != Stmt.AssignOp.SUB)) {
      return null;
    }
    Var seed = seedOf(a.value());
    if (seed == null || (a.target() instanceof Expr.Ref r && r.var().equals(seed))) {
      return null;
    }
    return seed;
  }

  /** The seed of a product {@code times(seed, p)}, possibly negated or scaled by a literal. */
  private static Var seedOf(Expr e) {
    if (isTimes(e) && ((Expr.StaticCall) e).args().get(0) instanceof Expr.Ref r && r.var().type() == Type.DOUBLE) {
      return r.var();
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return seedOf(u.operand());
    }
    if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.MUL) {
      if (b.right() instanceof Expr.Literal) {
        return seedOf(b.left());
      }
      if (b.left() instanceof Expr.Literal) {
        return seedOf(b.right());
      }
    }
    return null;
  }

  /** {@code e} with its seeded product {@code times(seed, p)} written {@code seed * p}. */
  private static Expr unguarded(Expr e, Var seed) {
    if (isTimes(e)) {
      Expr.StaticCall c = (Expr.StaticCall) e;
      return new Expr.Binary(Expr.BinaryOp.MUL, c.args().get(0), c.args().get(1), Type.DOUBLE);
    }
    if (e instanceof Expr.Unary u) {
      return new Expr.Unary(u.op(), unguarded(u.operand(), seed));
    }
    Expr.Binary b = (Expr.Binary) e;
    return b.right() instanceof Expr.Literal
        ? new Expr.Binary(b.op(), unguarded(b.left(), seed), b.right(), b.type())
        : new Expr.Binary(b.op(), b.left(), unguarded(b.right(), seed), b.type());
  }

  private static boolean isTimes(Expr e) {
    return e instanceof Expr.StaticCall c && c.owner() == Owner.DERIVATIVES && c.name().equals("times")
        && c.args().size() == 2;
  }
}
