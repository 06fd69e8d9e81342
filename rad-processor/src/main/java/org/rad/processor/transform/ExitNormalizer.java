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
    List<Stmt> stmts = new ArrayList<>(method.body().stmts());
    // The last statement of the body, when a return, needs no flag: nothing runs after it. It
    // stays in its place, so that it lands in the same guarded block as the statements before it
    // that follow an early exit: the reverse sweep recomputes a declaration at the start of its
    // block's reverse, which is right only while every use stays inside that block, as Java's
    // scoping has it.
    Stmt last = stmts.isEmpty() ? null : stmts.get(stmts.size() - 1);
    if (last instanceof Stmt.Return r) {
      stmts.remove(stmts.size() - 1);
      if (r.value() != null) {
        stmts.add(new Stmt.Assign(Exprs.ref(result), Stmt.AssignOp.SET, r.value(), r.origin()));
      }
    }
    List<Stmt> out = new ArrayList<>();
    n.block(stmts, out);
    List<Var> locals = new ArrayList<>(method.locals());
    if (result != null) {
      locals.add(result);
    }
    locals.addAll(n.added);
    return new Normalized(method.withBody(new Stmt.Block(out, method.body().origin()), locals), result);
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
