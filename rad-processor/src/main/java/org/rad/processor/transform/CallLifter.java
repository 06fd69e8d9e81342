package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import org.rad.processor.analysis.Effects;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Moves each call of a method of the user's class out of the expression it sits in, into a
 * declaration of its own: {@code y = 2 * f(x) + 1} becomes {@code double fResult = f(x); y = 2 *
 * fResult + 1}. The reverse sweep then handles a call as one statement whose callee's reverse sweep
 * runs at one place. A {@code ?:} with calls in its branches becomes an if/else that assigns a
 * local, and so does {@code a && f(x) > 0} (or {@code ||}) with calls on its right: each call runs
 * exactly when Java would run it. Calls in loop conditions and updates stay where they are; they
 * run as their primal copies, so they may carry no derivative and write into no array (checked
 * later).
 *
 * <p>A second pass, once the callees' summaries are known ({@link #liftArgumentsTheCallWrites}),
 * moves into a local of its own each argument that reads what the call writes ({@code
 * addSquare(a, a[0] * x)}): the reverse sweep must see the argument's value from before the call,
 * not re-evaluate it after the call changed {@code a}.
 */
public final class CallLifter {
  private final Names names;
  private final List<Var> added = new ArrayList<>();
  /** Whether an argument of a call goes into a local of its own (besides array expressions). */
  private final BiPredicate<Expr.MethodCall, Expr> ownLocal;

  private CallLifter(Names names, BiPredicate<Expr.MethodCall, Expr> ownLocal) {
    this.names = names;
    this.ownLocal = ownLocal;
  }

  public static MethodIR lift(MethodIR method) {
    return lift(method, (call, arg) -> false);
  }

  /**
   * {@code method}, already lifted, with every argument that is not an array and that reads a
   * variable or array contents the call may write (by {@code effects}, which knows the callees'
   * summaries) moved into a local declared just before the call.
   */
  public static MethodIR liftArgumentsTheCallWrites(MethodIR method, Effects effects) {
    return lift(method, (call, arg) -> {
      if (arg.type().isArray() || arg instanceof Expr.Literal) {
        return false;
      }
      Set<String> written = effects.writes(new Stmt.Call(call, call.origin()));
      return effects.reads(arg).stream().anyMatch(written::contains);
    });
  }

  private static MethodIR lift(MethodIR method, BiPredicate<Expr.MethodCall, Expr> ownLocal) {
    CallLifter lifter = new CallLifter(new Names(method), ownLocal);
    Stmt.Block body = lifter.block(method.body());
    if (lifter.added.isEmpty()) {
      return method;
    }
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
      Expr value = expr(a.value(), out);
      if (target instanceof Expr.Ref r && r.type().isArray() && !(value instanceof Expr.Ref) && reads(value, r.var())) {
        // a = a.clone(): the new array gets a name of its own, so that the reverse sweep can tell
        // the new array's adjoint from the old one's
        Var next = names.fresh(r.var().name() + "New", r.type(), Var.Kind.SYNTHETIC);
        added.add(next);
        out.add(new Stmt.Declare(next, value, a.origin()));
        value = new Expr.Ref(next);
      }
      out.add(new Stmt.Assign(target, a.op(), value, a.origin()));
    } else if (s instanceof Stmt.Call c && c.call().type().isArray()) {
      // an array result gets a variable even when dropped: a reverse sweep of the call needs the
      // array to give the callee an adjoint of it
      Expr.MethodCall call = (Expr.MethodCall) c.call();
      Var v = names.fresh(call.name() + "Result", call.type(), Var.Kind.SYNTHETIC);
      added.add(v);
      out.add(new Stmt.Declare(v, liftArgs(call, out), c.origin()));
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

  /**
   * The call with its arguments' calls lifted. An array argument that is not a variable, an
   * element or a field ({@code new double[] {x, y}}, {@code a.clone()}) is assigned to a local
   * first, so the callee's reverse sweep has an adjoint array to add into.
   */
  private Expr.MethodCall liftArgs(Expr.MethodCall call, List<Stmt> out) {
    List<Expr> args = new ArrayList<>();
    for (Expr a : call.args()) {
      Expr lifted = expr(a, out);
      boolean arrayExpression = lifted.type().isArray()
          && !(lifted instanceof Expr.Ref || lifted instanceof Expr.Index || lifted instanceof Expr.FieldRead);
      if (arrayExpression || ownLocal.test(call, lifted)) {
        Var v = names.fresh(call.name() + "Argument", lifted.type(), Var.Kind.SYNTHETIC);
        added.add(v);
        out.add(new Stmt.Declare(v, lifted, call.origin()));
        lifted = new Expr.Ref(v);
      }
      args.add(lifted);
    }
    return new Expr.MethodCall(call.name(), call.key(), call.receiver(), args, call.type(), call.origin());
  }

  private Expr.Index index(Expr.Index ix, List<Stmt> out) {
    Expr array = ix.array() instanceof Expr.Index inner ? index(inner, out) : ix.array();
    return new Expr.Index(array, expr(ix.index(), out));
  }

  private Stmt.Block branch(Var v, Expr value) {
    List<Stmt> stmts = new ArrayList<>();
    Expr lifted = expr(value, stmts);
    stmts.add(new Stmt.Assign(new Expr.Ref(v), Stmt.AssignOp.SET, lifted, Origin.SYNTHETIC));
    return Stmt.Block.of(stmts);
  }

  private static boolean reads(Expr e, Var v) {
    return Exprs.any(e, x -> x instanceof Expr.Ref r && r.var().equals(v));
  }

  private static boolean allocates(Expr e) {
    return Exprs.any(e, x -> x instanceof Expr.Clone || x instanceof Expr.NewArray || x instanceof Expr.ArrayLiteral);
  }

  private static boolean hasCall(Expr e) {
    return Exprs.any(e, x -> x instanceof Expr.MethodCall);
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
      Expr left = expr(b.left(), out);
      if (!hasCall(b.right())) {
        return new Expr.Binary(b.op(), left, b.right(), b.type());
      }
      // the right operand is evaluated only sometimes: l && f(x) > 0 becomes boolean both = l;
      // if (both) { both = f(x) > 0; }, its calls lifted inside the branch that evaluates it
      boolean and = b.op() == Expr.BinaryOp.AND;
      Var v = names.fresh(and ? "both" : "either", Type.BOOLEAN, Var.Kind.SYNTHETIC);
      added.add(v);
      out.add(new Stmt.Declare(v, left, Origin.SYNTHETIC));
      Expr taken = and ? new Expr.Ref(v) : Exprs.not(new Expr.Ref(v));
      out.add(new Stmt.If(taken, branch(v, b.right()), null, Origin.SYNTHETIC));
      return new Expr.Ref(v);
    }
    if (e instanceof Expr.Conditional c) {
      Expr condition = expr(c.condition(), out);
      if (!hasCall(c.whenTrue()) && !hasCall(c.whenFalse())
          && !(c.type().isArray() && (allocates(c.whenTrue()) || allocates(c.whenFalse())))) {
        return new Expr.Conditional(condition, c.whenTrue(), c.whenFalse(), c.type());
      }
      // c ? f(x) : y becomes if (c) { chosen = f(x); } else { chosen = y; }: each call in a
      // branch of its own, evaluated only when its branch is taken; so does c ? a : a.clone(),
      // whose new array's adjoint the reverse sweep then adds back into a's
      Var v = names.fresh("chosen", c.type(), Var.Kind.SYNTHETIC);
      added.add(v);
      out.add(new Stmt.If(condition, branch(v, c.whenTrue()), branch(v, c.whenFalse()), Origin.SYNTHETIC));
      return new Expr.Ref(v);
    }
    return Exprs.mapChildren(e, child -> expr(child, out));
  }
}
