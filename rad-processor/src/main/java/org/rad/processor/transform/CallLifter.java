package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import org.rad.processor.analysis.Effects;
import org.rad.processor.analysis.Statements;
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
 * <p>An element of an array given by an expression that is not a variable, an element or a field
 * ({@code (flip ? a : b)[0]}, {@code x.clone()[0]}, {@code new double[] {x, y}[k]}, {@code
 * pick(a, b)[0] = v}) likewise takes its array from a local declared just before, {@code double[]
 * array = flip ? a : b;}: the reverse sweep finds the adjoint of a variable's array, and a {@code
 * ?:} of arrays in a local is one the alias analysis follows to both of its arrays.
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
    return lifter.added.isEmpty() ? method : method.withBodyAdding(body, lifter.added);
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
      Stmt.AssignOp op = a.op();
      Expr old = null;
      if (target instanceof Expr.Index ix && mayWriteArrays(a.value())) {
        // Java evaluates the element's index, and for a compound assignment reads the element,
        // before the right-hand side, whose call may write into the array
        target = new Expr.Index(ix.array(), before(ix.index(), out));
        if (op != Stmt.AssignOp.SET) {
          old = before(target, out);
        }
      }
      Expr value = expr(a.value(), out);
      if (old != null) {
        Expr.BinaryOp binary = switch (op) {
          case ADD -> Expr.BinaryOp.ADD;
          case SUB -> Expr.BinaryOp.SUB;
          case MUL -> Expr.BinaryOp.MUL;
          default -> Expr.BinaryOp.DIV;
        };
        Type type = old.type() == Type.DOUBLE || value.type() == Type.DOUBLE ? Type.DOUBLE
            : old.type() == Type.LONG || value.type() == Type.LONG ? Type.LONG : Type.INT;
        Expr combined = new Expr.Binary(binary, old, value, type);
        value = type == target.type() ? combined : new Expr.Cast(target.type(), combined);
        op = Stmt.AssignOp.SET;
      }
      if (target instanceof Expr.Ref r && r.type().isArray() && !(value instanceof Expr.Ref) && Exprs.mentions(value, r.var())) {
        // a = a.clone(): the new array gets a name of its own, so that the reverse sweep can tell
        // the new array's adjoint from the old one's
        Var next = names.fresh(r.var().name() + "New", r.type(), Var.Kind.SYNTHETIC);
        added.add(next);
        out.add(new Stmt.Declare(next, value, a.origin()));
        value = new Expr.Ref(next);
      }
      out.add(new Stmt.Assign(target, op, value, a.origin()));
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
    } else if (s instanceof Stmt.For f && (needsLift(f.condition()) || f.update().stream().anyMatch(CallLifter::hasCall))) {
      for (Stmt s2 : f.init()) {
        statement(s2, out);
      }
      out.add(headerInBody(f.condition(), f.update(), f.body(), f.origin()));
    } else if (s instanceof Stmt.While w && needsLift(w.condition())) {
      out.add(headerInBody(w.condition(), List.of(), w.body(), w.origin()));
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
    int lastWriting = lastWriting(call.args());
    for (int k = 0; k < call.args().size(); k++) {
      Expr lifted = expr(call.args().get(k), out);
      if (k < lastWriting) {
        lifted = before(lifted, out); // evaluated before a call in a later argument
      }
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
    Expr array = ix.array() instanceof Expr.Index inner ? index(inner, out) : arrayInLocal(ix.array(), out);
    return new Expr.Index(array, expr(ix.index(), out));
  }

  /**
   * The array an element is taken from, as a variable, an element or a field: any other array
   * expression (a {@code ?:}, a clone, an initializer, a call) is declared in a local here first.
   */
  private Expr arrayInLocal(Expr array, List<Stmt> out) {
    if (array instanceof Expr.Ref || array instanceof Expr.FieldRead) {
      return array;
    }
    if (array instanceof Expr.Index inner) {
      return new Expr.Index(arrayInLocal(inner.array(), out), expr(inner.index(), out));
    }
    Expr lifted = expr(array, out);
    if (lifted instanceof Expr.Ref) {
      return lifted; // a call's result, or a ?: that became an if/else
    }
    Var v = names.fresh("array", lifted.type(), Var.Kind.SYNTHETIC);
    added.add(v);
    out.add(new Stmt.Declare(v, lifted, Origin.SYNTHETIC));
    return new Expr.Ref(v);
  }

  /** Whether {@code ix} takes its element from an array expression that is not a variable or field. */
  private static boolean fromArrayExpression(Expr.Index ix) {
    Expr array = ix.array();
    while (array instanceof Expr.Index inner) {
      array = inner.array();
    }
    return !(array instanceof Expr.Ref || array instanceof Expr.FieldRead);
  }

  private Stmt.Block branch(Var v, Expr value) {
    List<Stmt> stmts = new ArrayList<>();
    Expr lifted = expr(value, stmts);
    stmts.add(new Stmt.Assign(new Expr.Ref(v), Stmt.AssignOp.SET, lifted, Origin.SYNTHETIC));
    return Stmt.Block.of(stmts);
  }

  private static boolean allocates(Expr e) {
    return Exprs.any(e, x -> x instanceof Expr.Clone || x instanceof Expr.NewArray || x instanceof Expr.ArrayLiteral);
  }

  private static boolean hasCall(Expr e) {
    return e != null && Exprs.any(e, x -> x instanceof Expr.MethodCall);
  }

  /** Whether {@code e} holds what {@link #expr} moves out: a call, or an element of an array expression. */
  private static boolean needsLift(Expr e) {
    return e != null && Exprs.any(e, x -> x instanceof Expr.MethodCall || x instanceof Expr.Index ix && fromArrayExpression(ix));
  }

  private static boolean hasCall(Stmt s) {
    boolean[] found = {false};
    Statements.forEach(s, x -> Statements.ownExpressions(x, e -> found[0] |= hasCall(e)));
    return found[0];
  }

  /**
   * A loop whose condition or update calls a method, as {@code while (true)} with the condition
   * tested at the top of the body ({@code if (!condition) break;}) and the update at its end, so
   * that the calls are lifted into statements like any other and run exactly when Java runs them.
   * A {@code continue} in the body must still reach the update: the body then runs inside a loop
   * of one iteration, where {@code continue} becomes {@code break} and a {@code break} also sets a
   * flag that leaves the outer loop.
   */
  private Stmt headerInBody(Expr condition, List<Stmt> update, Stmt.Block body, Origin origin) {
    List<Stmt> stmts = new ArrayList<>();
    if (condition != null) {
      Expr test = expr(condition, stmts);
      stmts.add(new Stmt.If(Exprs.not(test), Stmt.Block.of(List.of(new Stmt.Break(origin))), null, origin));
    }
    Stmt.Block lifted = block(body);
    if (!update.isEmpty() && continues(lifted)) {
      Var left = names.fresh("leftLoop", Type.BOOLEAN, Var.Kind.SYNTHETIC);
      Var once = names.fresh("once", Type.INT, Var.Kind.SYNTHETIC);
      added.add(left);
      added.add(once);
      stmts.add(new Stmt.Declare(left, new Expr.Literal("false", Type.BOOLEAN), origin));
      stmts.add(new Stmt.For(List.of(new Stmt.Declare(once, Expr.Literal.ofInt(0), origin)),
          new Expr.Binary(Expr.BinaryOp.LT, new Expr.Ref(once), Expr.Literal.ofInt(1), Type.BOOLEAN),
          List.of(new Stmt.Step(once, true, origin)), redirectExits(lifted, left), origin));
      stmts.add(new Stmt.If(new Expr.Ref(left), Stmt.Block.of(List.of(new Stmt.Break(origin))), null, origin));
    } else {
      stmts.addAll(lifted.stmts());
    }
    for (Stmt u : update) {
      statement(u, stmts);
    }
    return new Stmt.While(new Expr.Literal("true", Type.BOOLEAN), Stmt.Block.of(stmts), origin);
  }

  /** Whether {@code b} has a {@code continue} of its own loop (not of a loop nested in it). */
  private static boolean continues(Stmt.Block b) {
    for (Stmt s : b.stmts()) {
      if (s instanceof Stmt.Continue || s instanceof Stmt.Block inner && continues(inner)
          || s instanceof Stmt.If i && (continues(i.whenTrue()) || i.whenFalse() != null && continues(i.whenFalse()))) {
        return true;
      }
    }
    return false;
  }

  /** {@code b} with its own loop's {@code continue} as {@code break}, and {@code break} as {@code left = true; break;}. */
  private static Stmt.Block redirectExits(Stmt.Block b, Var left) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      if (s instanceof Stmt.Continue c) {
        out.add(new Stmt.Break(c.origin()));
      } else if (s instanceof Stmt.Break br) {
        out.add(new Stmt.Assign(new Expr.Ref(left), Stmt.AssignOp.SET, new Expr.Literal("true", Type.BOOLEAN), br.origin()));
        out.add(br);
      } else if (s instanceof Stmt.Block inner) {
        out.add(redirectExits(inner, left));
      } else if (s instanceof Stmt.If i) {
        out.add(new Stmt.If(i.condition(), redirectExits(i.whenTrue(), left),
            i.whenFalse() == null ? null : redirectExits(i.whenFalse(), left), i.origin()));
      } else {
        out.add(s);
      }
    }
    return new Stmt.Block(out, b.origin());
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
    if (e instanceof Expr.Index ix && fromArrayExpression(ix)) {
      return new Expr.Index(arrayInLocal(ix.array(), out), expr(ix.index(), out));
    }
    if (e instanceof Expr.Binary b && b.op().isLogical()) {
      Expr left = expr(b.left(), out);
      if (!needsLift(b.right())) {
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
      if (!needsLift(c.whenTrue()) && !needsLift(c.whenFalse())
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
    int lastWriting = lastWriting(Exprs.children(e));
    if (lastWriting <= 0) {
      return Exprs.mapChildren(e, child -> expr(child, out));
    }
    // Java evaluates operands left to right: one evaluated before a call that may write into
    // arrays ({@code a[0] * f(a)}) keeps the value it read before the call, in a local
    int[] position = {0};
    int last = lastWriting;
    return Exprs.mapChildren(e, child -> {
      Expr lifted = expr(child, out);
      return position[0]++ < last ? before(lifted, out) : lifted;
    });
  }

  /**
   * {@code e}, or a local declared with its value here when it reads array elements: what an
   * operand evaluated before a call holds, whatever the call writes.
   */
  private Expr before(Expr e, List<Stmt> out) {
    if (e.type().isArray() || !Exprs.any(e, x -> x instanceof Expr.Index ix && !ix.type().isArray())) {
      return e;
    }
    Var v = names.fresh("before", e.type(), Var.Kind.SYNTHETIC);
    added.add(v);
    out.add(new Stmt.Declare(v, e, Origin.SYNTHETIC));
    return new Expr.Ref(v);
  }

  /** The position of the last of {@code operands} that may write into arrays, or -1. */
  private static int lastWriting(List<Expr> operands) {
    int last = -1;
    for (int k = 0; k < operands.size(); k++) {
      if (mayWriteArrays(operands.get(k))) {
        last = k;
      }
    }
    return last;
  }

  /** Whether {@code e} calls a method with an array argument, which may write into it. */
  private static boolean mayWriteArrays(Expr e) {
    return Exprs.any(e, x -> x instanceof Expr.MethodCall c && c.args().stream().anyMatch(a -> a.type().isArray()));
  }
}
