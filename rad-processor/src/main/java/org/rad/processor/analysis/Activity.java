package org.rad.processor.analysis;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Activity analysis: a double variable (or a class of aliased double arrays) is active when it
 * depends on a differentiated input (varied) and influences the result (useful). Only active values
 * get adjoints; everything else runs in the forward sweep as it is. The analysis is
 * flow-insensitive, so it is conservative: more may be active than strictly needs to be, never
 * less.
 */
public final class Activity {
  private final AliasClasses aliases;
  private final Map<String, MethodSummary> summaries;
  private final Set<String> varied = new HashSet<>();
  private final Set<String> useful = new HashSet<>();

  private Activity(AliasClasses aliases, Map<String, MethodSummary> summaries) {
    this.aliases = aliases;
    this.summaries = summaries;
  }

  /**
   * Analyzes {@code method} whose parameters {@code activeParams} carry derivatives in, and whose
   * result and written array parameters carry them out.
   */
  public static Activity of(MethodIR method, Var result, Set<String> activeParams, AliasClasses aliases,
      Map<String, MethodSummary> summaries, Set<String> writtenParams) {
    Activity a = new Activity(aliases, summaries);
    for (Var p : method.params()) {
      if (activeParams.contains(p.name())) {
        a.varied.add(a.key(p));
      }
    }
    if (result != null && result.type().isDifferentiable()) {
      a.useful.add(a.key(result));
    }
    for (Var p : method.params()) {
      if (p.type().isDifferentiable() && p.type().isArray() && writtenParams.contains(p.name())) {
        a.useful.add(a.key(p));
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Stmt s : flatten(method.body())) {
        changed |= a.propagate(s);
      }
    }
    return a;
  }

  private static java.util.List<Stmt> flatten(Stmt.Block body) {
    java.util.List<Stmt> all = new java.util.ArrayList<>();
    Statements.forEach(body, all::add);
    return all;
  }

  /** The key a variable's activity is tracked under: its name, or its alias class for arrays. */
  public String key(Var v) {
    return v.type().isArray() ? aliases.contentsKey(v.name()) : v.name();
  }

  /** Whether {@code v} (a double, or an array of doubles) carries a derivative. */
  public boolean isActive(Var v) {
    if (!v.type().isDifferentiable()) {
      return false;
    }
    String k = key(v);
    return varied.contains(k) && useful.contains(k);
  }

  public boolean isVaried(Var v) {
    return v.type().isDifferentiable() && varied.contains(key(v));
  }

  /** Whether {@code e} reads an active value, so its derivative has to be propagated. */
  public boolean isActive(Expr e) {
    if (!e.type().isDifferentiable()) {
      return false;
    }
    if (e instanceof Expr.Ref r) {
      return isActive(r.var());
    }
    if (e instanceof Expr.Index ix) {
      Var root = rootVar(ix);
      return root != null && isActive(root);
    }
    if (e instanceof Expr.MethodCall call) {
      return isActiveCall(call);
    }
    if (e instanceof Expr.Conditional c) {
      return isActive(c.whenTrue()) || isActive(c.whenFalse());
    }
    for (Expr c : Exprs.children(e)) {
      if (isActive(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a call nested in an expression (a position the call lifter leaves calls in) may carry
   * derivatives: an argument is varied, and its result is a number or it writes a useful array.
   */
  public boolean isActiveCall(Expr.MethodCall call) {
    boolean anyVaried = call.args().stream().anyMatch(this::isVariedExpr);
    if (!anyVaried) {
      return false;
    }
    if (call.type().isDifferentiable()) {
      return true;
    }
    return writesUsefulArgument(call);
  }

  /**
   * Whether a call in a statement of its own carries derivatives, its result going to {@code
   * result} (null when the result is dropped): an argument is varied, and the result is active or
   * the call writes an array that is useful. A result that reaches nothing useful is not
   * differentiated at all: its callee runs as it is, and no zero adjoint flows into its reverse
   * (where an infinite partial of an overflowed, unused value would turn 0 into NaN).
   */
  public boolean isActiveCall(Expr.MethodCall call, Var result) {
    if (!call.args().stream().anyMatch(this::isVariedExpr)) {
      return false;
    }
    return result != null && isActive(result) || writesUsefulArgument(call);
  }

  private boolean writesUsefulArgument(Expr.MethodCall call) {
    MethodSummary s = summaries.get(call.key());
    for (int i = 0; i < call.args().size(); i++) {
      Var root = rootVar(call.args().get(i));
      if (root != null && root.type().isDifferentiable() && (s == null || s.writesParam(i)) && useful.contains(key(root))) {
        return true;
      }
    }
    return false;
  }

  static Var rootVar(Expr e) {
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.Ref r ? r.var() : null;
  }

  private boolean isVariedExpr(Expr e) {
    if (e instanceof Expr.Ref r) {
      return isVaried(r.var());
    }
    if (e instanceof Expr.Index ix) {
      Var root = rootVar(ix);
      return root != null && e.type().isDifferentiable() && isVaried(root);
    }
    if (e instanceof Expr.MethodCall call) {
      return call.type().isDifferentiable() && call.args().stream().anyMatch(this::isVariedExpr);
    }
    if (!e.type().isDifferentiable() && !(e instanceof Expr.Conditional)) {
      return false;
    }
    for (Expr c : Exprs.children(e)) {
      if (isVariedExpr(c)) {
        return true;
      }
    }
    return false;
  }

  /** Marks every differentiable value {@code e} reads as useful. */
  private boolean markUseful(Expr e) {
    boolean changed = false;
    if (e instanceof Expr.Ref r && r.type().isDifferentiable()) {
      changed |= useful.add(key(r.var()));
    } else if (e instanceof Expr.Index ix) {
      Var root = rootVar(ix);
      if (root != null && root.type().isDifferentiable() && ix.type().isDifferentiable()) {
        changed |= useful.add(key(root));
      }
      return changed; // indices carry no derivative
    }
    if (e instanceof Expr.Conditional c) {
      return markUseful(c.whenTrue()) | markUseful(c.whenFalse()) | changed;
    }
    if (e instanceof Expr.Length || e.type() == Type.BOOLEAN || e.type().isIntegral() && !(e instanceof Expr.MethodCall)) {
      return changed;
    }
    for (Expr c : Exprs.children(e)) {
      changed |= markUseful(c);
    }
    return changed;
  }

  private boolean propagate(Stmt s) {
    boolean changed = false;
    if (s instanceof Stmt.Declare d && d.init() != null) {
      changed |= flow(d.var(), d.init(), false);
    } else if (s instanceof Stmt.Assign a) {
      if (a.target() instanceof Expr.Ref r) {
        changed |= flow(r.var(), a.value(), a.op() != Stmt.AssignOp.SET);
      } else {
        Var root = rootVar(a.target());
        if (root != null) {
          changed |= flow(root, a.value(), true);
        }
      }
    } else if (s instanceof Stmt.Call c) {
      changed |= callEffects((Expr.MethodCall) c.call());
    }
    return changed;
  }

  /** {@code target} receives {@code value} (and keeps its old value too when {@code keeps}). */
  private boolean flow(Var target, Expr value, boolean keeps) {
    boolean changed = false;
    if (!target.type().isDifferentiable()) {
      if (value instanceof Expr.MethodCall call) {
        changed |= callEffects(call);
      }
      return changed;
    }
    if (isVariedExpr(value)) {
      changed |= varied.add(key(target));
    }
    if (useful.contains(key(target))) {
      changed |= markUseful(value);
    }
    if (value instanceof Expr.MethodCall call) {
      changed |= callEffects(call);
    }
    return changed;
  }

  /** A call's effect on its array arguments (which the callee may write). */
  private boolean callEffects(Expr.MethodCall call) {
    boolean changed = false;
    MethodSummary s = summaries.get(call.key());
    boolean anyVaried = call.args().stream().anyMatch(this::isVariedExpr);
    for (int i = 0; i < call.args().size(); i++) {
      Var root = rootVar(call.args().get(i));
      if (root != null && root.type().isDifferentiable() && root.type().isArray() && (s == null || s.writesParam(i))) {
        if (anyVaried) {
          changed |= varied.add(key(root));
        }
      }
    }
    if (writesUsefulArgument(call)) {
      for (Expr a : call.args()) {
        changed |= markUseful(a);
      }
    }
    return changed;
  }

  /** Keys marked useful by a call whose result is useful: all arguments. */
  public boolean markCallArgumentsUseful(Expr.MethodCall call) {
    boolean changed = false;
    for (Expr a : call.args()) {
      changed |= markUseful(a);
    }
    return changed;
  }
}
