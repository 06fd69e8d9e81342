package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;

/**
 * The names of each method's generated helpers ({@code fForward}, {@code fReverse},
 * {@code fPrimal}). Overloads of one name would give helpers whose signatures may clash (the
 * reverse sweep adds adjoint parameters), so the second overload's helpers are named after
 * {@code f2}, the third's after {@code f3}; the public entries keep the user's names.
 */
final class GeneratedNames {
  private GeneratedNames() {}

  /** The base name of each method's helpers, by method key, for {@code methods} in order. */
  static Map<String, String> of(Map<String, MethodIR> methods) {
    Set<String> used = new HashSet<>();
    Set<String> userNames = new HashSet<>();
    methods.values().forEach(m -> {
      used.add(m.name());
      userNames.add(m.name());
    });
    Map<String, String> base = new HashMap<>();
    Set<String> first = new HashSet<>();
    for (var e : methods.entrySet()) {
      String name = e.getValue().name();
      if (first.add(name) && !helperClashes(name, userNames)) {
        base.put(e.getKey(), name);
      } else {
        // (a second overload, or a method whose helpers would take a name of the user's methods:
        // an entry named fForward beside a helper f)
        String unique = name;
        for (int n = 2; !used.add(unique) || helperClashes(unique, userNames); n++) {
          unique = name + n;
        }
        base.put(e.getKey(), unique);
      }
    }
    return base;
  }

  /** Whether a helper of base name {@code base} ({@code baseForward}, ...) would have a name of the user's methods. */
  private static boolean helperClashes(String base, Set<String> userNames) {
    for (org.rad.processor.ir.Sweep s : org.rad.processor.ir.Sweep.values()) {
      if (userNames.contains(s.of(base))) {
        return true;
      }
    }
    return false;
  }

  /** {@code body} with every call of a method of the class renamed to its helpers' base name. */
  static Stmt.Block renameCalls(Stmt.Block body, Map<String, String> base) {
    return org.rad.processor.analysis.Statements.mapExpressions(body, e ->
        e instanceof Expr.MethodCall c && !c.name().equals(base.get(c.key()))
            ? new Expr.MethodCall(base.get(c.key()), c.key(), c.receiver(), c.args(), c.type(), c.origin())
            : e);
  }
}
