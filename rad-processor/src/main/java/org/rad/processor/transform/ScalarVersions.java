package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Gives each assignment of a {@code double} in the method's own block a local of its own: {@code
 * x = Math.min(5, x); return x * x;} becomes {@code double x2 = Math.min(5, x); return x2 * x2;}
 * (and {@code s /= n} becomes {@code double s2 = s / n}). Every version is then a local assigned
 * once from values that are still there in the reverse sweep, which recomputes it instead of
 * recording the value each assignment overwrote, or handing the final value over (a helper that
 * clamps its parameter, called in a loop, recorded one double a call).
 *
 * <p>Only for a parameter or a local declared in the method's own block whose every assignment is
 * a statement of that block (not in a loop or a branch, where one name must hold the value of
 * either path or iteration), and not a {@code @Randomize} double, whose records are keyed by it.
 */
final class ScalarVersions {
  private ScalarVersions() {}

  /** {@code n} with its straight-line double assignments made declarations of new locals. */
  static ExitNormalizer.Normalized of(ExitNormalizer.Normalized n) {
    MethodIR m = n.method();
    Set<Var> candidates = candidates(m, n.result());
    if (candidates.isEmpty()) {
      return n;
    }
    Names names = new Names(m);
    List<Var> added = new ArrayList<>();
    Map<Var, Expr> current = new HashMap<>();
    // declared without a value (double l;): its first assignment declares it, under its own name
    Set<Var> undeclared = new LinkedHashSet<>();
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : m.body().stmts()) {
      if (s instanceof Stmt.Declare d && d.init() == null && candidates.contains(d.var())) {
        undeclared.add(d.var());
      } else if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && undeclared.remove(r.var())) {
        out.add(new Stmt.Declare(r.var(), Exprs.substitute(a.value(), current), a.origin()));
      } else if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && candidates.contains(r.var())) {
        Expr value = Exprs.substitute(a.value(), current);
        if (a.op() != Stmt.AssignOp.SET) {
          Expr old = current.getOrDefault(r.var(), Exprs.ref(r.var()));
          value = new Expr.Binary(binary(a.op()), old, value, Type.DOUBLE);
        }
        Var version = names.fresh(r.var().name(), Type.DOUBLE, Var.Kind.LOCAL);
        added.add(version);
        out.add(new Stmt.Declare(version, value, a.origin()));
        current.put(r.var(), Exprs.ref(version));
      } else {
        out.add(current.isEmpty() ? s
            : Statements.mapExpressions(new Stmt.Block(List.of(s), s.origin()), e -> Exprs.substitute(e, current))
                .stmts().get(0));
      }
    }
    return new ExitNormalizer.Normalized(m.withBodyAdding(new Stmt.Block(out, m.body().origin()), added), n.result());
  }

  private static Expr.BinaryOp binary(Stmt.AssignOp op) {
    return switch (op) {
      case ADD -> Expr.BinaryOp.ADD;
      case SUB -> Expr.BinaryOp.SUB;
      case MUL -> Expr.BinaryOp.MUL;
      case DIV -> Expr.BinaryOp.DIV;
      case SET -> throw new IllegalArgumentException("not a compound assignment");
    };
  }

  /**
   * The doubles to version: parameters and locals declared in the method's own block, assigned
   * somewhere, and only by statements of that block; none in a method with kept statements,
   * which name variables in their text.
   */
  private static Set<Var> candidates(MethodIR m, Var result) {
    Set<Var> own = new LinkedHashSet<>();
    m.params().stream().filter(p -> p.type() == Type.DOUBLE).forEach(own::add);
    Set<Stmt> topLevel = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Stmt s : m.body().stmts()) {
      topLevel.add(s);
      if (s instanceof Stmt.Declare d && d.var().type() == Type.DOUBLE) {
        own.add(d.var());
      }
    }
    own.remove(result);
    own.removeIf(v -> m.randomized().containsKey(v.name()));
    Set<Var> assigned = new LinkedHashSet<>();
    Set<Var> elsewhere = new LinkedHashSet<>();
    boolean[] kept = {false};
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r) {
        (topLevel.contains(s) ? assigned : elsewhere).add(r.var());
      } else if (s instanceof Stmt.Declare d && !topLevel.contains(s)) {
        elsewhere.add(d.var());
      } else if (s instanceof Stmt.Step st) {
        elsewhere.add(st.var());
      } else if (s instanceof Stmt.Opaque) {
        kept[0] = true;
      }
    });
    if (kept[0]) {
      return Set.of();
    }
    own.retainAll(assigned);
    own.removeAll(elsewhere);
    return own;
  }
}
