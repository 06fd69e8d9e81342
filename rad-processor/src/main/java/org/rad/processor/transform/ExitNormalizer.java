package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Rewrites {@code return}, {@code break} and {@code continue} into assignments of boolean flags so
 * that every block runs to its end, which is what lets the reverse sweep replay control flow from
 * recorded branch decisions and trip counts alone.
 *
 * <ul>
 *   <li>{@code return e;} becomes {@code result = e; returned = true;} and the method returns
 *       {@code result} at its end; the final {@code return} of the body needs no flag.
 *   <li>{@code break;} sets the loop's {@code broke} flag, {@code continue;} its {@code skipped}
 *       flag.
 *   <li>the statements after one that may set a flag are guarded by {@code if (!flag)}, and a
 *       loop whose body may break or return also tests the flag in its condition.
 * </ul>
 *
 * Before that, exits that need no flag are taken out: the statements after an {@code if} whose
 * one branch always leaves the block move into its other branch ({@code if (x < 0) return a;
 * return b;} is {@code if (x < 0) return a; else return b;}); a {@code return} that is the last
 * statement on its path through the body becomes an assignment of the result, and a
 * {@code continue} that is the last statement on its path through a loop body goes. A piecewise
 * helper written with early returns then has no flag, and its reverse sweep re-evaluates the
 * conditions where their operands are unchanged instead of popping a recorded bit per exit.
 */
public final class ExitNormalizer {
  private final Names names;
  private final List<Var> added = new ArrayList<>();
  private final Var result;
  private Var returned;

  /** The flags of the innermost loop, created when a break/continue needs them. */
  private Var broke;
  private Var skipped;

  private ExitNormalizer(Names names, Var result) {
    this.names = names;
    this.result = result;
  }

  /** The method with a single exit; its result (if not void) is in the returned variable. */
  public record Normalized(MethodIR method, Var result) {}

  public static Normalized normalize(MethodIR method) {
    Names names = new Names(method);
    Var result = method.returnType() == Type.VOID ? null : names.fresh("result", method.returnType(), Var.Kind.SYNTHETIC);
    ExitNormalizer n = new ExitNormalizer(names, result);
    // A return that is the last statement on its path needs no flag: nothing runs after it. It
    // stays in its place, so that it lands in the same guarded block as the statements before it
    // that follow an early exit: the reverse sweep recomputes a declaration at the start of its
    // block's reverse, which is right only while every use stays inside that block, as Java's
    // scoping has it.
    List<Stmt> stmts = n.tailReturns(chainElses(method.body().stmts()), result);
    List<Stmt> out = new ArrayList<>();
    n.block(stmts, out);
    List<Var> locals = new ArrayList<>(method.locals());
    if (result != null) {
      locals.add(result);
    }
    locals.addAll(n.added);
    return new Normalized(method.withBody(new Stmt.Block(out, method.body().origin()), locals), result);
  }

  /**
   * {@code in} with the statements after an {@code if} whose one branch always leaves the block
   * moved into its other branch (they run exactly when that branch runs), in every nested block.
   */
  static List<Stmt> chainElses(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    for (int k = 0; k < in.size(); k++) {
      Stmt s = chainNested(in.get(k));
      if (s instanceof Stmt.If i && k + 1 < in.size()) {
        boolean thenLeaves = alwaysLeaves(i.whenTrue().stmts());
        boolean elseLeaves = i.whenFalse() != null && alwaysLeaves(i.whenFalse().stmts());
        if (thenLeaves != elseLeaves) {
          List<Stmt> rest = in.subList(k + 1, in.size());
          List<Stmt> other = new ArrayList<>(thenLeaves
              ? (i.whenFalse() == null ? List.of() : i.whenFalse().stmts()) : i.whenTrue().stmts());
          other.addAll(rest);
          Origin otherOrigin = thenLeaves && i.whenFalse() != null ? i.whenFalse().origin()
              : thenLeaves ? Origin.SYNTHETIC : i.whenTrue().origin();
          Stmt.Block chained = new Stmt.Block(chainElses(other), otherOrigin);
          out.add(thenLeaves ? new Stmt.If(i.condition(), i.whenTrue(), chained, i.origin())
              : new Stmt.If(i.condition(), chained, i.whenFalse(), i.origin()));
          return out;
        }
      }
      out.add(s);
    }
    return out;
  }

  private static Stmt chainNested(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return new Stmt.Block(chainElses(b.stmts()), b.origin());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(i.condition(), new Stmt.Block(chainElses(i.whenTrue().stmts()), i.whenTrue().origin()),
          i.whenFalse() == null ? null : new Stmt.Block(chainElses(i.whenFalse().stmts()), i.whenFalse().origin()),
          i.origin());
    }
    if (s instanceof Stmt.For f) {
      return new Stmt.For(f.init(), f.condition(), f.update(), loopBody(f.body()), f.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(w.condition(), loopBody(w.body()), w.origin());
    }
    return s;
  }

  /** A loop body chained, without a {@code continue} that ends a path through it (a no-op there). */
  private static Stmt.Block loopBody(Stmt.Block body) {
    return new Stmt.Block(tailContinues(chainElses(body.stmts())), body.origin());
  }

  /** Whether every path through {@code stmts} ends in a return, break or continue. */
  private static boolean alwaysLeaves(List<Stmt> stmts) {
    if (stmts.isEmpty()) {
      return false;
    }
    Stmt last = stmts.get(stmts.size() - 1);
    if (last instanceof Stmt.Return || last instanceof Stmt.Break || last instanceof Stmt.Continue) {
      return true;
    }
    if (last instanceof Stmt.Block b) {
      return alwaysLeaves(b.stmts());
    }
    return last instanceof Stmt.If i && i.whenFalse() != null && alwaysLeaves(i.whenTrue().stmts())
        && alwaysLeaves(i.whenFalse().stmts());
  }

  /**
   * {@code stmts} with each return that ends a path through them made an assignment of the result.
   * A new array returned at the end of the method's own block ({@code return new double[] {a, b}})
   * is declared in a local first: the local the method returns, whose adjoint is the caller's
   * adjoint of the result, so the array is not kept for its identity (as {@code double[] r = new
   * double[2]; ...; return r;} is not).
   */
  private List<Stmt> tailReturns(List<Stmt> stmts, Var result) {
    if (!stmts.isEmpty() && stmts.get(stmts.size() - 1) instanceof Stmt.Return r
        && (r.value() instanceof Expr.NewArray || r.value() instanceof Expr.ArrayLiteral)) {
      Var array = names.fresh("returnedArray", r.value().type(), Var.Kind.LOCAL);
      added.add(array);
      List<Stmt> out = new ArrayList<>(stmts.subList(0, stmts.size() - 1));
      out.add(new Stmt.Declare(array, r.value(), r.origin()));
      out.add(new Stmt.Assign(Exprs.ref(result), Stmt.AssignOp.SET, Exprs.ref(array), r.origin()));
      return out;
    }
    return atTail(stmts, last -> {
      if (!(last instanceof Stmt.Return r)) {
        return null;
      }
      return r.value() == null ? List.of() : List.of(new Stmt.Assign(Exprs.ref(result), Stmt.AssignOp.SET, r.value(), r.origin()));
    });
  }

  /** {@code stmts} without a continue that ends a path through them. */
  private static List<Stmt> tailContinues(List<Stmt> stmts) {
    return atTail(stmts, last -> last instanceof Stmt.Continue ? List.of() : null);
  }

  /**
   * {@code stmts} with the statement that ends each path through them (into blocks and both
   * branches of a final {@code if}, not into loops) replaced by what {@code replace} gives, where
   * it gives something (null: keep it).
   */
  private static List<Stmt> atTail(List<Stmt> stmts, java.util.function.Function<Stmt, List<Stmt>> replace) {
    if (stmts.isEmpty()) {
      return stmts;
    }
    List<Stmt> out = new ArrayList<>(stmts.subList(0, stmts.size() - 1));
    Stmt last = stmts.get(stmts.size() - 1);
    List<Stmt> replaced = replace.apply(last);
    if (replaced != null) {
      out.addAll(replaced);
    } else if (last instanceof Stmt.Block b) {
      out.add(new Stmt.Block(atTail(b.stmts(), replace), b.origin()));
    } else if (last instanceof Stmt.If i) {
      out.add(new Stmt.If(i.condition(), new Stmt.Block(atTail(i.whenTrue().stmts(), replace), i.whenTrue().origin()),
          i.whenFalse() == null ? null : new Stmt.Block(atTail(i.whenFalse().stmts(), replace), i.whenFalse().origin()),
          i.origin()));
    } else {
      out.add(last);
    }
    return out;
  }

  private Var flag(String base) {
    Var v = names.fresh(base, Type.BOOLEAN, Var.Kind.SYNTHETIC);
    added.add(v);
    return v;
  }

  /** Normalizes {@code in} into {@code out}; returns the flags it may set that are still live. */
  private Set<Var> block(List<Stmt> in, List<Stmt> out) {
    Set<Var> mayExit = new LinkedHashSet<>();
    for (int k = 0; k < in.size(); k++) {
      Set<Var> flags = statement(in.get(k), out);
      mayExit.addAll(flags);
      if (!flags.isEmpty() && k + 1 < in.size()) {
        List<Stmt> rest = new ArrayList<>();
        mayExit.addAll(block(in.subList(k + 1, in.size()), rest));
        if (!rest.isEmpty()) {
          out.add(new Stmt.If(notAny(flags), Stmt.Block.of(rest), null, Origin.SYNTHETIC));
        }
        break;
      }
    }
    return mayExit;
  }

  private static Expr notAny(Set<Var> flags) {
    Expr e = null;
    for (Var f : flags) {
      Expr n = Exprs.not(Exprs.ref(f));
      e = e == null ? n : Exprs.and(e, n);
    }
    return e;
  }

  private Stmt.Block nested(Stmt.Block b, Set<Var> mayExit) {
    List<Stmt> out = new ArrayList<>();
    mayExit.addAll(block(b.stmts(), out));
    return new Stmt.Block(out, b.origin());
  }

  private Set<Var> statement(Stmt s, List<Stmt> out) {
    Set<Var> mayExit = new LinkedHashSet<>();
    if (s instanceof Stmt.Return r) {
      if (returned == null) {
        returned = flag("returned");
      }
      if (r.value() != null) {
        out.add(new Stmt.Assign(Exprs.ref(result), Stmt.AssignOp.SET, r.value(), r.origin()));
      }
      out.add(set(returned, r.origin()));
      mayExit.add(returned);
    } else if (s instanceof Stmt.Break b) {
      if (broke == null) {
        broke = flag("broke");
      }
      out.add(set(broke, b.origin()));
      mayExit.add(broke);
    } else if (s instanceof Stmt.Continue c) {
      if (skipped == null) {
        skipped = flag("skipped");
      }
      out.add(set(skipped, c.origin()));
      mayExit.add(skipped);
    } else if (s instanceof Stmt.Block b) {
      out.add(nested(b, mayExit));
    } else if (s instanceof Stmt.If i) {
      Stmt.Block t = nested(i.whenTrue(), mayExit);
      Stmt.Block f = i.whenFalse() == null ? null : nested(i.whenFalse(), mayExit);
      out.add(new Stmt.If(i.condition(), t, f, i.origin()));
    } else if (s instanceof Stmt.For f) {
      mayExit.addAll(loop(f.init(), f.condition(), f.update(), f.body(), f.origin(), out));
    } else if (s instanceof Stmt.While w) {
      mayExit.addAll(loop(List.of(), w.condition(), List.of(), w.body(), w.origin(), out));
    } else {
      out.add(s);
    }
    return mayExit;
  }

  private static Stmt set(Var flag, Origin origin) {
    return new Stmt.Assign(Exprs.ref(flag), Stmt.AssignOp.SET, new Expr.Literal("true", Type.BOOLEAN), origin);
  }

  private static Stmt clear(Var flag) {
    return new Stmt.Assign(Exprs.ref(flag), Stmt.AssignOp.SET, new Expr.Literal("false", Type.BOOLEAN), Origin.SYNTHETIC);
  }

  private Set<Var> loop(List<Stmt> init, Expr condition, List<Stmt> update, Stmt.Block body, Origin origin, List<Stmt> out) {
    Var outerBroke = broke;
    Var outerSkipped = skipped;
    broke = null;
    skipped = null;
    try {
      Set<Var> bodyExits = new LinkedHashSet<>();
      Stmt.Block newBody = nested(body, bodyExits);
      Var loopBroke = broke;
      Var loopSkipped = skipped;
      boolean leaves = loopBroke != null || bodyExits.contains(returned) && returned != null;
      if (!leaves) {
        List<Stmt> stmts = new ArrayList<>();
        if (loopSkipped != null) {
          stmts.add(clear(loopSkipped));
        }
        stmts.addAll(newBody.stmts());
        Stmt.Block b = new Stmt.Block(stmts, newBody.origin());
        out.add(isFor(init, update, condition) ? new Stmt.For(init, condition, update, b, origin) : new Stmt.While(condition, b, origin));
        return Set.of();
      }
      // A loop left early: a while loop that tests the flags, its update guarded by them.
      List<Var> stops = new ArrayList<>();
      if (loopBroke != null) {
        stops.add(loopBroke);
        out.add(clear(loopBroke));
      }
      if (returned != null && bodyExits.contains(returned)) {
        stops.add(returned);
      }
      out.addAll(init);
      // while (!broke && condition); for (;;) and while (true) become while (!broke)
      Expr go = condition == null || condition instanceof Expr.Literal lit && lit.text().equals("true") ? null : condition;
      for (int k = stops.size() - 1; k >= 0; k--) {
        Expr notStopped = Exprs.not(Exprs.ref(stops.get(k)));
        go = go == null ? notStopped : Exprs.and(notStopped, go);
      }
      List<Stmt> stmts = new ArrayList<>();
      if (loopSkipped != null) {
        stmts.add(clear(loopSkipped));
      }
      if (update.isEmpty()) {
        stmts.addAll(newBody.stmts());
      } else {
        // The body stays a block of its own, apart from the update: what the body declares from
        // the loop index (a row reference m[i]) is then re-derived at the start of the body's
        // reverse, after the update's reverse has restored the index.
        stmts.add(newBody);
        Set<Var> stopSet = new LinkedHashSet<>(stops);
        stmts.add(new Stmt.If(notAny(stopSet), Stmt.Block.of(update), null, Origin.SYNTHETIC));
      }
      out.add(new Stmt.While(go, new Stmt.Block(stmts, newBody.origin()), origin));
      return returned != null && bodyExits.contains(returned) ? Set.of(returned) : Set.of();
    } finally {
      broke = outerBroke;
      skipped = outerSkipped;
    }
  }

  private static boolean isFor(List<Stmt> init, List<Stmt> update, Expr condition) {
    return !init.isEmpty() || !update.isEmpty() || condition == null;
  }
}
