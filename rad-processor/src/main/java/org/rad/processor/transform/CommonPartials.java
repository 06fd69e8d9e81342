package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Computes once the partial derivatives that one statement's reverse needs several times. The
 * chain rule writes a factor where each operand needs it: {@code y = 1 / (1 + exp(-x))} reads
 * {@code exp(-x)} in two partials, {@code sin(pow(a, b))} reads {@code pow(a, b)} in the cosine
 * and in both of pow's partials. Within a run of adjoint updates (the reverse of one statement,
 * after its restore) no primal value changes, so a {@code Math} or {@code Derivatives} call that
 * reads only primal values and appears twice is the same number both times: it goes into a
 * temporary ({@code part = Math.exp(-x);}) computed before the run; {@code Derivatives.tanh(x)}
 * and {@code Derivatives.sqrt(x)} beside a shared {@code Math.tanh(x)} or {@code Math.sqrt(x)}
 * become {@code 1 - part * part} and {@code 0.5 / part}, the same arithmetic. Runs end at
 * anything that is not an adjoint update (a restore, a branch, a call).
 */
final class CommonPartials {
  private CommonPartials() {}

  /** {@code stmts} with the repeated pure calls of each run of adjoint updates shared. */
  static List<Stmt> share(List<Stmt> stmts, IntFunction<Var> temp) {
    List<Stmt> out = new ArrayList<>();
    List<Stmt> run = new ArrayList<>();
    int[] used = {0};
    for (Stmt s : stmts) {
      if (isAdjointUpdate(s)) {
        run.add(s);
        continue;
      }
      flush(run, out, temp, used);
      out.add(s);
    }
    flush(run, out, temp, used);
    return out;
  }

  private static void flush(List<Stmt> run, List<Stmt> out, IntFunction<Var> temp, int[] used) {
    if (run.size() < 2 && run.stream().noneMatch(s -> repeatsWithin((Stmt.Assign) s))) {
      out.addAll(run);
      run.clear();
      return;
    }
    List<Stmt.Assign> assigns = new ArrayList<>();
    run.forEach(s -> assigns.add((Stmt.Assign) s));
    List<Stmt> prefix = new ArrayList<>();
    while (true) {
      Expr repeated = mostRepeated(assigns);
      if (repeated == null) {
        break;
      }
      Var t = temp.apply(used[0]++);
      prefix.add(new Stmt.Assign(new Expr.Ref(t), Stmt.AssignOp.SET, repeated, Origin.SYNTHETIC));
      for (int k = 0; k < assigns.size(); k++) {
        Stmt.Assign a = assigns.get(k);
        assigns.set(k, new Stmt.Assign(replace(a.target(), repeated, t), a.op(), replace(a.value(), repeated, t), a.origin()));
      }
    }
    out.addAll(prefix);
    out.addAll(assigns);
    run.clear();
  }

  private static boolean repeatsWithin(Stmt.Assign a) {
    return mostRepeated(List.of(a)) != null;
  }

  /** An adjoint update: {@code xBar += ...}, {@code aBar[i] -= ...}, {@code adj = ...}, no call with effects. */
  private static boolean isAdjointUpdate(Stmt s) {
    if (!(s instanceof Stmt.Assign a)) {
      return false;
    }
    Expr root = a.target();
    while (root instanceof Expr.Index ix) {
      root = ix.array();
    }
    return root instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT
        && !Exprs.any(a.value(), CommonPartials::hasEffects) && !Exprs.any(a.target(), CommonPartials::hasEffects);
  }

  private static boolean hasEffects(Expr e) {
    return e instanceof Expr.ContextCall || e instanceof Expr.MethodCall || e instanceof Expr.LibraryCall
        || e instanceof Expr.StaticCall c && c.owner() != Expr.Owner.MATH && c.owner() != Expr.Owner.DERIVATIVES;
  }

  /**
   * The innermost pure call that the run evaluates at least twice (reading no adjoint), or null.
   * Innermost first: sharing {@code exp(-x)} may make two larger expressions equal afterwards.
   */
  private static Expr mostRepeated(List<Stmt.Assign> assigns) {
    Map<Expr, Integer> counts = new LinkedHashMap<>();
    for (Stmt.Assign a : assigns) {
      count(a.target(), counts);
      count(a.value(), counts);
    }
    Expr best = null;
    for (Map.Entry<Expr, Integer> e : counts.entrySet()) {
      if (e.getValue() >= 2 && (best == null || depth(e.getKey()) < depth(best))) {
        best = e.getKey();
      }
    }
    return best;
  }

  private static void count(Expr e, Map<Expr, Integer> counts) {
    Exprs.children(e).forEach(c -> count(c, counts));
    // (only double values: the shared temporaries are doubles, and Math.abs(k) of an int k is an
    // int, an index or an integer division's operand)
    if (e instanceof Expr.StaticCall c && (c.owner() == Expr.Owner.MATH || c.owner() == Expr.Owner.DERIVATIVES)
        && c.type() == org.rad.processor.ir.Type.DOUBLE && !org.rad.processor.ir.MathRules.isGuardedProduct(c) && !Exprs.any(e, x -> x instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT
            || x instanceof Expr.Index ix && isAdjointArray(ix) || hasEffects(x))) {
      // Derivatives.tanh(x) is 1 - t * t of t = Math.tanh(x): it counts as a use of Math.tanh(x)
      counts.merge(fromResultOf(c) != null ? fromResultOf(c) : e, 1, Integer::sum);
    }
  }

  /**
   * For a {@code Derivatives} call that computes a function's derivative from the function's value
   * ({@code Derivatives.tanh(x)} is {@code 1 - t * t} of {@code t = Math.tanh(x)}: see
   * {@link MathRules.Rule#helperFromResult()}): that Math call; else null.
   */
  private static Expr fromResultOf(Expr.StaticCall c) {
    if (c.owner() != Expr.Owner.DERIVATIVES || c.args().size() != 1) {
      return null;
    }
    boolean rule = MathRules.find(c.name()).filter(r -> c.name().equals(r.helperFromResult())).isPresent();
    return rule ? new Expr.StaticCall(Expr.Owner.MATH, c.name(), c.args(), c.type()) : null;
  }

  /**
   * The derivative written with the shared value {@code t} of its function, the table's rule from
   * the result, which is the arithmetic of the {@code Derivatives} helper (tanh' = 1 - t * t,
   * sqrt' = 0.5 / t).
   */
  private static Expr fromResult(String name, Var t) {
    return MathRules.of(name).fromResult(new Expr.Ref(t));
  }

  private static boolean isAdjointArray(Expr.Index ix) {
    Expr root = ix;
    while (root instanceof Expr.Index i) {
      root = i.array();
    }
    return root instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT;
  }

  private static int depth(Expr e) {
    int d = 0;
    for (Expr c : Exprs.children(e)) {
      d = Math.max(d, depth(c));
    }
    return d + 1;
  }

  private static Expr replace(Expr e, Expr what, Var with) {
    if (e.equals(what)) {
      return new Expr.Ref(with);
    }
    if (e instanceof Expr.StaticCall c && what.equals(fromResultOf(c))) {
      return fromResult(c.name(), with);
    }
    return Exprs.mapChildren(e, c -> replace(c, what, with));
  }
}
