package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Moves each call of a method of the user's class out of the expression it sits in, into a
 * declaration of its own: {@code y = 2 * f(x) + 1} becomes {@code double fResult = f(x); y = 2 *
 * fResult + 1}. The reverse sweep then handles a call as one statement whose callee's reverse sweep
 * runs at one place. Calls in positions that are not always evaluated (the right of && and ||,
 * branches of ?:, loop conditions and updates) stay where they are; the activity analysis rejects
 * them if they carry derivatives.
 */
public final class CallLifter {
  private final Names names;
  private final List<Var> added = new ArrayList<>();

  private CallLifter(Names names) {
    this.names = names;
  }

  public static MethodIR lift(MethodIR method) {
    CallLifter lifter = new CallLifter(new Names(method));
    Stmt.Block body = lifter.block(method.body());
    List<Var> locals = new ArrayList<>(method.locals());
    locals.addAll(lifter.added);
    return method.withBody(body, locals);
  }

  private Stmt.Block block(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      statement(s, out);
    }
    return new Stmt.Block(out, b.origin());
  }

  private void statement(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Block b) {
      out.add(block(b));
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() instanceof Expr.MethodCall call) {
        out.add(new Stmt.Declare(d.var(), liftArgs(call, out), d.origin()));
      } else {
        out.add(new Stmt.Declare(d.var(), d.init() == null ? null : expr(d.init(), out), d.origin()));
      }
    } else if (s instanceof Stmt.Assign a) {
      Expr target = a.target() instanceof Expr.Index ix ? index(ix, out) : a.target();
      out.add(new Stmt.Assign(target, a.op(), expr(a.value(), out), a.origin()));
    } else if (s instanceof Stmt.Call c) {
      out.add(new Stmt.Call(liftArgs((Expr.MethodCall) c.call(), out), c.origin()));
    } else if (s instanceof Stmt.If i) {
      Expr condition = expr(i.condition(), out);
      out.add(new Stmt.If(condition, block(i.whenTrue()), i.whenFalse() == null ? null : block(i.whenFalse()), i.origin()));
    } else if (s instanceof Stmt.For f) {
      List<Stmt> init = new ArrayList<>();
      for (Stmt s2 : f.init()) {
        statement(s2, init);
      }
      out.add(new Stmt.For(init, f.condition(), f.update(), block(f.body()), f.origin()));
    } else if (s instanceof Stmt.While w) {
      out.add(new Stmt.While(w.condition(), block(w.body()), w.origin()));
    } else if (s instanceof Stmt.Return r) {
      out.add(new Stmt.Return(r.value() == null ? null : expr(r.value(), out), r.origin()));
    } else {
      out.add(s); // Step, Break, Continue hold no calls
    }
  }

  private Expr.MethodCall liftArgs(Expr.MethodCall call, List<Stmt> out) {
    List<Expr> args = new ArrayList<>();
    for (Expr a : call.args()) {
      args.add(expr(a, out));
    }
    return new Expr.MethodCall(call.name(), call.key(), call.receiver(), args, call.type(), call.origin());
  }

  private Expr.Index index(Expr.Index ix, List<Stmt> out) {
    Expr array = ix.array() instanceof Expr.Index inner ? index(inner, out) : ix.array();
    return new Expr.Index(array, expr(ix.index(), out));
  }

  /** {@code e} with every always-evaluated call replaced by a fresh local declared before. */
  private Expr expr(Expr e, List<Stmt> out) {
    if (e instanceof Expr.MethodCall call) {
      Expr.MethodCall lifted = liftArgs(call, out);
      Var v = names.fresh(call.name() + "Result", call.type(), Var.Kind.SYNTHETIC);
      added.add(v);
      out.add(new Stmt.Declare(v, lifted, call.origin()));
      return new Expr.Ref(v);
    }
    if (e instanceof Expr.Binary b && b.op().isLogical()) {
      // the right operand is evaluated only sometimes: its calls stay where they are
      return new Expr.Binary(b.op(), expr(b.left(), out), b.right(), b.type());
    }
    if (e instanceof Expr.Conditional c) {
      return new Expr.Conditional(expr(c.condition(), out), c.whenTrue(), c.whenFalse(), c.type());
    }
    return Exprs.mapChildren(e, child -> expr(child, out));
  }
}
