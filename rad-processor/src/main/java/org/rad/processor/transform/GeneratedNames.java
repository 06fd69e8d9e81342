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
    methods.values().forEach(m -> used.add(m.name()));
    Map<String, String> base = new HashMap<>();
    Set<String> first = new HashSet<>();
    for (var e : methods.entrySet()) {
      String name = e.getValue().name();
      if (first.add(name)) {
        base.put(e.getKey(), name);
      } else {
        String unique = name;
        for (int n = 2; !used.add(unique); n++) {
          unique = name + n;
        }
        base.put(e.getKey(), unique);
      }
    }
    return base;
  }

  /** {@code body} with every call of a method of the class renamed to its helpers' base name. */
  static Stmt.Block renameCalls(Stmt.Block body, Map<String, String> base) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : body.stmts()) {
      out.add(statement(s, base));
    }
    return new Stmt.Block(out, body.origin());
  }

  private static Stmt statement(Stmt s, Map<String, String> base) {
    if (s instanceof Stmt.Block b) {
      return renameCalls(b, base);
    }
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(d.var(), d.init() == null ? null : expr(d.init(), base), d.origin());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(expr(a.target(), base), a.op(), expr(a.value(), base), a.origin());
    }
    if (s instanceof Stmt.Call c) {
      return new Stmt.Call(expr(c.call(), base), c.origin());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(expr(i.condition(), base), renameCalls(i.whenTrue(), base),
          i.whenFalse() == null ? null : renameCalls(i.whenFalse(), base), i.origin());
    }
    if (s instanceof Stmt.For f) {
      List<Stmt> init = new ArrayList<>();
      f.init().forEach(x -> init.add(statement(x, base)));
      List<Stmt> update = new ArrayList<>();
      f.update().forEach(x -> update.add(statement(x, base)));
      return new Stmt.For(init, f.condition() == null ? null : expr(f.condition(), base), update,
          renameCalls(f.body(), base), f.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(expr(w.condition(), base), renameCalls(w.body(), base), w.origin());
    }
    if (s instanceof Stmt.Return r && r.value() != null) {
      return new Stmt.Return(expr(r.value(), base), r.origin());
    }
    return s;
  }

  private static Expr expr(Expr e, Map<String, String> base) {
    Expr mapped = Exprs.mapChildren(e, c -> expr(c, base));
    if (mapped instanceof Expr.MethodCall c && !c.name().equals(base.get(c.key()))) {
      return new Expr.MethodCall(base.get(c.key()), c.key(), c.receiver(), c.args(), c.type(), c.origin());
    }
    return mapped;
  }
}
