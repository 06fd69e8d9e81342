package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rad.processor.analysis.Activity;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * {@link Adjoints} on hand-built IR: the reverse of a quotient whose divisor carries a derivative
 * divides once ({@code 1 / y} into a temporary, the partials multiply by it), where it divided
 * twice ({@code 1.0 / y} and {@code x / y}, or {@code (c / y) / y}); a constant divisor divides the
 * seed, and an inactive one gives one reciprocal to the numerator.
 */
class QuotientAdjointsTest {
  static final Var X = new Var("x", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var Y = new Var("y", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var R = Var.local("r", Type.DOUBLE);

  /** The reverse statements of {@code r = left / right; return r;} with the parameters named in {@code active} active. */
  static List<Stmt> reverse(Expr left, Expr right, Set<String> active) {
    Expr quotient = new Expr.Binary(Expr.BinaryOp.DIV, left, right, Type.DOUBLE);
    Stmt.Block body = Stmt.Block.of(List.of(new Stmt.Declare(R, quotient, Origin.SYNTHETIC),
        new Stmt.Return(new Expr.Ref(R), Origin.SYNTHETIC)));
    MethodIR m = new MethodIR("f", true, List.of(X, Y), Type.DOUBLE, body, List.of(R), List.of(X, Y), true,
        Origin.SYNTHETIC, Map.of());
    Activity activity = Activity.of(m, R, active, AliasClasses.of(m, Map.of()), Map.of(), Set.of());
    int[] temps = {0};
    Adjoints adjoints = new Adjoints(activity, e -> new Expr.Ref(new Var(((Expr.Ref) e).var().name() + "Bar", Type.DOUBLE,
        Var.Kind.ADJOINT)), t -> new Var("t" + temps[0]++, t, Var.Kind.ADJOINT));
    List<Stmt> out = new ArrayList<>();
    adjoints.propagate(quotient, new Expr.Ref(new Var("rBar", Type.DOUBLE, Var.Kind.ADJOINT)), out);
    return out;
  }

  /** How many divisions the statements evaluate. */
  static int divisions(List<Stmt> stmts) {
    int[] n = {0};
    for (Stmt s : stmts) {
      Stmt.Assign a = (Stmt.Assign) s;
      Exprs.walk(a.value(), e -> {
        if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.DIV) {
          n[0]++;
        }
      });
    }
    return n[0];
  }

  static final Expr ONE = new Expr.Literal("1.0", Type.DOUBLE);

  @Test
  void bothActiveDivideOnce() {
    List<Stmt> out = reverse(new Expr.Ref(X), new Expr.Ref(Y), Set.of("x", "y"));
    assertEquals(1, divisions(out), out.toString());
    // t0 = 1.0 / y first: every partial multiplies by it
    Stmt.Assign first = (Stmt.Assign) out.get(0);
    assertEquals(new Expr.Binary(Expr.BinaryOp.DIV, ONE, new Expr.Ref(Y), Type.DOUBLE), first.value());
  }

  @Test
  void anInactiveNumeratorDividesOnce() {
    List<Stmt> out = reverse(new Expr.Literal("2.0", Type.DOUBLE), new Expr.Ref(Y), Set.of("y"));
    assertEquals(1, divisions(out), out.toString());
  }

  @Test
  void aConstantDivisorDividesTheSeed() {
    List<Stmt> out = reverse(new Expr.Ref(X), new Expr.Literal("3.0", Type.DOUBLE), Set.of("x"));
    assertEquals(1, divisions(out), out.toString());
    assertEquals(1, out.size());
  }
}
