package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Drops the derivative terms whose adjoint factor is known to be exactly zero, by a forward
 * analysis of the reverse sweep: a scalar adjoint is zero at the start (where it is declared) and
 * after {@code xBar = 0.0;}, until something adds into it. A term {@code yBar += xBar * p} with
 * such an {@code xBar} adds nothing, except NaN where the partial {@code p} is infinite: an
 * overwritten {@code e = Math.exp(1000 * x)} or {@code q = 1 / (x - 5)} at x = 5 must not turn the
 * gradient into NaN (the convention of {@code Derivatives.times}, applied where it is provable).
 * Assignments of zero to an adjoint that is already zero go too, and the first term added into a
 * zero adjoint sets it ({@code pBar = e;} for {@code pBar += e;}), which leaves the {@code pBar =
 * 0.0;} before it dead when nothing else reads it (see {@link DeadAdjointStores}).
 */
final class ZeroAdjoints {
  private Set<String> zero;
  private boolean rewrite;

  private ZeroAdjoints() {}

  /** {@code reverse} without terms of zero adjoints; {@code zeroAtStart} are the adjoints that start at 0. */
  static Stmt.Block simplify(Stmt.Block reverse, Set<String> zeroAtStart) {
    ZeroAdjoints z = new ZeroAdjoints();
    z.zero = new HashSet<>(zeroAtStart);
    z.rewrite = true;
    return z.block(reverse);
  }

  private static boolean candidate(Var v) {
    return v.kind() == Var.Kind.ADJOINT && v.type() == Type.DOUBLE;
  }

  private Stmt.Block block(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      Stmt r = statement(s);
      if (r != null) {
        out.add(r);
      }
    }
    return new Stmt.Block(out, b.origin());
  }

  /** The statement simplified (null when it does nothing), updating {@link #zero}. */
  private Stmt statement(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return block(b);
    }
    if (s instanceof Stmt.Assign a) {
      boolean increment = a.op() == Stmt.AssignOp.ADD || a.op() == Stmt.AssignOp.SUB;
      if (a.target() instanceof Expr.Ref r && candidate(r.var())) {
        String v = r.var().name();
        boolean valueZero = isZero(a.value());
        if (increment && valueZero || a.op() == Stmt.AssignOp.SET && valueZero && zero.contains(v)) {
          return rewrite ? null : s; // adds zero, or sets a zero to zero
        }
        if (a.op() == Stmt.AssignOp.SET && valueZero) {
          zero.add(v);
          return s;
        }
        boolean wasZero = zero.remove(v);
        if (increment && wasZero && rewrite) {
          // the first term into a zero adjoint sets it: no add, and no value carried into the
          // statement from before (0.0 + e is e, but for turning -0.0 into 0.0: the same number)
          Expr value = a.op() == Stmt.AssignOp.ADD ? a.value() : new Expr.Unary(Expr.UnaryOp.NEG, a.value());
          return new Stmt.Assign(a.target(), Stmt.AssignOp.SET, value, a.origin());
        }
        return s;
      }
      if (increment && isAdjointLocation(a.target()) && isZero(a.value())) {
        return rewrite ? null : s; // aBar[i] += 0 * p
      }
      return s;
    }
    if (s instanceof Stmt.Declare d && candidate(d.var())) {
      if (d.init() != null && isZero(d.init())) {
        zero.add(d.var().name());
      } else {
        zero.remove(d.var().name());
      }
      return s;
    }
    if (s instanceof Stmt.If i) {
      Set<String> before = zero;
      zero = new HashSet<>(before);
      Stmt.Block t = block(i.whenTrue());
      Set<String> afterTrue = zero;
      zero = new HashSet<>(before);
      Stmt.Block f = i.whenFalse() == null ? null : block(i.whenFalse());
      zero.retainAll(afterTrue);
      return new Stmt.If(i.condition(), t, f == null || f.stmts().isEmpty() ? null : f, i.origin());
    }
    if (s instanceof Stmt.For f) {
      List<Stmt> init = new ArrayList<>();
      for (Stmt x : f.init()) {
        Stmt r = statement(x);
        init.add(r == null ? x : r);
      }
      Set<String> head = loopHead(f.body(), f.update());
      zero = new HashSet<>(head);
      Stmt.Block body = block(f.body());
      List<Stmt> update = new ArrayList<>();
      for (Stmt x : f.update()) {
        Stmt r = statement(x);
        update.add(r == null ? x : r);
      }
      zero = head; // the loop may run no iteration
      return new Stmt.For(init, f.condition(), update, body, f.origin());
    }
    if (s instanceof Stmt.While w) {
      Set<String> head = loopHead(w.body(), List.of());
      zero = new HashSet<>(head);
      Stmt.Block body = block(w.body());
      zero = head;
      return new Stmt.While(w.condition(), body, w.origin());
    }
    return s; // calls pass adjoints by value, steps and pops write no double adjoint
  }

  /** Adjoints zero at a loop's head whatever the iteration: a fixpoint from {@link #zero} at entry. */
  private Set<String> loopHead(Stmt.Block body, List<Stmt> update) {
    boolean wasRewriting = rewrite;
    rewrite = false;
    Set<String> head = new HashSet<>(zero);
    while (true) {
      zero = new HashSet<>(head);
      block(body);
      update.forEach(this::statement);
      Set<String> next = new HashSet<>(head);
      next.retainAll(zero);
      if (next.equals(head)) {
        break;
      }
      head = next;
    }
    rewrite = wasRewriting;
    return head;
  }

  private static boolean isAdjointLocation(Expr target) {
    Expr e = target;
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT;
  }

  /** Whether {@code e} is exactly zero by the convention 0 * anything = 0. */
  private boolean isZero(Expr e) {
    if (e instanceof Expr.Literal l) {
      return l.isZero();
    }
    if (e instanceof Expr.Ref r) {
      return candidate(r.var()) && zero.contains(r.var().name());
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return isZero(u.operand());
    }
    if (e instanceof Expr.Cast c) {
      return isZero(c.operand());
    }
    if (e instanceof Expr.Binary b) {
      return switch (b.op()) {
        case MUL -> isZero(b.left()) || isZero(b.right());
        case DIV -> isZero(b.left());
        case ADD, SUB -> isZero(b.left()) && isZero(b.right());
        default -> false;
      };
    }
    if (org.rad.processor.ir.MathRules.isGuardedProduct(e)) {
      return isZero(((Expr.StaticCall) e).args().get(0));
    }
    return false;
  }
}
