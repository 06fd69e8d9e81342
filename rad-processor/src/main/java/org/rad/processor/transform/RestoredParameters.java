package org.rad.processor.transform;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Which array parameters a method's reverse sweep must give back as they were on entry: the
 * interprocedural half of the to-be-recorded analysis.
 *
 * <p>A method that overwrites an element of an array parameter records the old value when its
 * own reverse sweep reads it, and also when a caller may read it after the call's reverse sweep
 * (the contents the caller's earlier statements saw). Without knowing its callers it must assume
 * that every caller does. Here the callers answer: at each call, the keys pending just before it
 * ({@link PushPlanner}: what the reverse of the caller's earlier statements reads, and what the
 * caller itself must give back) say whether the argument's contents are needed. A parameter is
 * restored if any call needs it. An output array the caller has just allocated ({@code double[]
 * out = new double[3]; cross(a, b, out)}) is needed by none, and the callee records nothing for
 * its first writes into it.
 *
 * <p>A {@code @Differentiable} method is asked like any other: its public gradient method keeps
 * the final contents of the arrays it writes and copies them back after the reverse sweep, so
 * it needs nothing given back, and a method of the class that calls it asks for what it needs.
 * (It kept every restore before: a loop that overwrote a parameter each step recorded it each
 * step for nothing.) The {@code fixed} methods keep every restore (sampled records, whose
 * soundness check assumes the plain contract). A call whose statement the planner did not see
 * as a call, or whose argument is neither a variable nor a row of one, needs every argument.
 */
final class RestoredParameters {
  private RestoredParameters() {}

  /** The call of a method of the class that a statement makes as a whole, or null. */
  static Expr.MethodCall calledMethod(Stmt s) {
    return Statements.directCall(s) instanceof Expr.MethodCall c ? c : null;
  }

  /**
   * The array parameters each method must restore, by method key.
   *
   * @param methods the methods being differentiated, by key
   * @param aliases their alias classes, by key
   * @param pendingAtCalls per caller key, the keys pending before each statement that calls a
   *     method ({@link PushPlanner.Result#pendingAtCalls}); a caller not present needs everything
   * @param fixed methods that keep every restore, and whose calls need every argument
   */
  static Map<String, Set<String>> of(Map<String, MethodIR> methods, Map<String, AliasClasses> aliases,
      Map<String, Map<Stmt, Set<String>>> pendingAtCalls, Set<String> fixed) {
    Map<String, Set<String>> needed = new HashMap<>();
    for (var e : methods.entrySet()) {
      Set<String> params = new LinkedHashSet<>();
      if (fixed.contains(e.getKey())) {
        e.getValue().params().stream().filter(p -> p.type().isArray()).forEach(p -> params.add(p.name()));
      }
      needed.put(e.getKey(), params);
    }
    for (var e : methods.entrySet()) {
      String caller = e.getKey();
      Map<Stmt, Set<String>> pending = fixed.contains(caller) ? null : pendingAtCalls.get(caller);
      AliasClasses classes = aliases.get(caller);
      Statements.forEach(e.getValue().body(), s -> Statements.ownExpressions(s, x -> Exprs.walk(x, y -> {
        if (y instanceof Expr.MethodCall call && methods.containsKey(call.key())) {
          Set<String> before = pending == null || calledMethod(s) != call ? null : pending.get(s);
          markNeeded(call, methods.get(call.key()), before, classes, needed.get(call.key()));
        }
      })));
    }
    return needed;
  }

  /** Adds to {@code needed} the callee's array parameters whose argument is needed after the call. */
  private static void markNeeded(Expr.MethodCall call, MethodIR callee, Set<String> pendingBefore,
      AliasClasses callerClasses, Set<String> needed) {
    for (int i = 0; i < callee.params().size() && i < call.args().size(); i++) {
      Var p = callee.params().get(i);
      if (!p.type().isArray()) {
        continue;
      }
      // a row of a matrix (spring(p[i], f[i])) is in its matrix's class
      String root = Statements.rootVar(call.args().get(i));
      boolean argumentNeeded = pendingBefore == null || root == null
          || pendingBefore.contains(callerClasses.contentsKey(root));
      if (argumentNeeded) {
        needed.add(p.name());
      }
    }
  }
}
