package org.rad.processor.transform;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Replaces calls of index helpers by their formula: a static method returning an {@code int} or
 * {@code long} whose body is one {@code return} of arithmetic on its integer parameters
 * ({@code static int idx(int i, int j, int n) { return i * (n + 1) + j; }}). Written out at the
 * call, {@code next[idx(i, j, n)]} becomes {@code next[i * (n + 1) + j]}: an element the record
 * planning sees as a function of the loop index, so a loop over {@code j} can record its slice
 * in bulk, and the reverse sweep calls no helper to find the element again. Only calls whose
 * arguments have the parameters' types and call nothing are replaced (the formula evaluates an
 * argument as often as it names the parameter).
 */
final class IndexFormulas {
  private IndexFormulas() {}

  /** The methods with the calls of index helpers replaced by their formulas. */
  static Map<String, MethodIR> inline(Map<String, MethodIR> methods) {
    Map<String, MethodIR> formulas = new HashMap<>();
    methods.forEach((key, m) -> {
      if (isFormula(m)) {
        formulas.put(key, m);
      }
    });
    if (formulas.isEmpty()) {
      return methods;
    }
    Map<String, MethodIR> out = new LinkedHashMap<>();
    methods.forEach((key, m) -> out.put(key,
        m.withBody(Statements.mapExpressions(m.body(), e -> replace(e, formulas)), m.locals())));
    return out;
  }

  private static boolean isFormula(MethodIR m) {
    boolean integral = m.returnType() == Type.INT || m.returnType() == Type.LONG;
    if (!m.isStatic() || m.entry() || !integral || m.body().stmts().size() != 1
        || !(m.body().stmts().get(0) instanceof Stmt.Return r) || r.value() == null) {
      return false;
    }
    for (Var p : m.params()) {
      if (p.type() != Type.INT && p.type() != Type.LONG) {
        return false;
      }
    }
    return arithmetic(r.value(), m.params());
  }

  private static boolean arithmetic(Expr e, List<Var> params) {
    if (e instanceof Expr.Literal lit) {
      return lit.type().isIntegral();
    }
    if (e instanceof Expr.Ref r) {
      return params.contains(r.var());
    }
    if (e instanceof Expr.Binary b) {
      boolean op = switch (b.op()) {
        case ADD, SUB, MUL, DIV, REM -> true;
        default -> false;
      };
      return op && arithmetic(b.left(), params) && arithmetic(b.right(), params);
    }
    if (e instanceof Expr.Unary u) {
      return u.op() == Expr.UnaryOp.NEG && arithmetic(u.operand(), params);
    }
    if (e instanceof Expr.Cast c) {
      return c.type().isIntegral() && arithmetic(c.operand(), params);
    }
    return false;
  }

  private static Expr replace(Expr e, Map<String, MethodIR> formulas) {
    if (!(e instanceof Expr.MethodCall call) || call.receiver() != null || !formulas.containsKey(call.key())) {
      return e;
    }
    MethodIR m = formulas.get(call.key());
    Map<Var, Expr> arguments = new HashMap<>();
    for (int k = 0; k < m.params().size(); k++) {
      Expr a = call.args().get(k);
      if (a.type() != m.params().get(k).type() || Exprs.any(a, x -> x instanceof Expr.MethodCall
          || x instanceof Expr.NewArray || x instanceof Expr.ArrayLiteral || x instanceof Expr.Clone
          || x instanceof Expr.LibraryCall)) {
        return e;
      }
      arguments.put(m.params().get(k), a);
    }
    Expr formula = ((Stmt.Return) m.body().stmts().get(0)).value();
    return Exprs.substitute(formula, arguments);
  }
}
