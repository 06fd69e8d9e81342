package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link CommonPartials} on hand-built reverse-sweep statements. */
class CommonPartialsTest {
  static final Var X = Var.local("x", Type.DOUBLE);
  static final Var X_BAR = new Var("xBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var Y_BAR = new Var("yBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var ADJ = new Var("adj", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var PART = new Var("part", Type.DOUBLE, Var.Kind.ADJOINT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr exp(Expr e) {
    return new Expr.StaticCall(Expr.Owner.MATH, "exp", List.of(e), Type.DOUBLE);
  }

  static Expr times(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.MUL, a, b, Type.DOUBLE);
  }

  static Stmt add(Var target, Expr value) {
    return new Stmt.Assign(ref(target), Stmt.AssignOp.ADD, value, Origin.SYNTHETIC);
  }

  static List<String> text(List<Stmt> stmts) {
    List<String> out = new ArrayList<>();
    stmts.forEach(s -> out.add(IrText.of(s)));
    return out;
  }

  static List<Stmt> share(Stmt... stmts) {
    return CommonPartials.share(List.of(stmts), k -> new Var(k == 0 ? "part" : "part" + (k + 1), Type.DOUBLE,
        Var.Kind.ADJOINT));
  }

  @Test
  void aCallTwoUpdatesReadIsComputedOnce() {
    List<Stmt> shared = share(add(X_BAR, times(ref(ADJ), exp(ref(X)))), add(Y_BAR, times(ref(ADJ), exp(ref(X)))));
    assertEquals(text(List.of(new Stmt.Assign(ref(PART), Stmt.AssignOp.SET, exp(ref(X)), Origin.SYNTHETIC),
        add(X_BAR, times(ref(ADJ), ref(PART))), add(Y_BAR, times(ref(ADJ), ref(PART))))), text(shared));
  }

  @Test
  void aRestoreBetweenEndsTheRun() {
    // x changes between the two updates: exp(x) is not the same number
    Stmt restore = new Stmt.Assign(ref(X), Stmt.AssignOp.SET, Expr.Literal.ofDouble(2), Origin.SYNTHETIC);
    Stmt first = add(X_BAR, times(ref(ADJ), exp(ref(X))));
    Stmt second = add(Y_BAR, times(ref(ADJ), exp(ref(X))));
    assertEquals(text(List.of(first, restore, second)), text(share(first, restore, second)));
  }

  @Test
  void aCallOfAnAdjointIsNotShared() {
    // exp(adj) reads an adjoint that the run updates
    Stmt first = add(X_BAR, exp(ref(ADJ)));
    Stmt second = add(Y_BAR, exp(ref(ADJ)));
    assertEquals(text(List.of(first, second)), text(share(first, second)));
  }

  @Test
  void aDerivativeOfASharedFunctionIsWrittenFromItsValue() {
    // tanh(x) in one partial and tanh'(x) in another: one Math.tanh, and 1 - part * part
    Expr tanh = new Expr.StaticCall(Expr.Owner.MATH, "tanh", List.of(ref(X)), Type.DOUBLE);
    Expr derivative = new Expr.StaticCall(Expr.Owner.DERIVATIVES, "tanh", List.of(ref(X)), Type.DOUBLE);
    List<Stmt> shared = share(add(X_BAR, times(ref(ADJ), tanh)), add(Y_BAR, times(ref(ADJ), derivative)));
    Expr oneMinusSquare = new Expr.Binary(Expr.BinaryOp.SUB, Expr.Literal.ofDouble(1), times(ref(PART), ref(PART)),
        Type.DOUBLE);
    assertEquals(text(List.of(new Stmt.Assign(ref(PART), Stmt.AssignOp.SET, tanh, Origin.SYNTHETIC),
        add(X_BAR, times(ref(ADJ), ref(PART))), add(Y_BAR, times(ref(ADJ), oneMinusSquare)))), text(shared));
  }

  /**
   * For every entry whose argument partial is a helper computing the rule from the result
   * (MathRules.Rule.helperFromResult), the helper beside a shared Math call becomes the table's
   * rule from the result, written with the shared value; for no other Derivatives call.
   */
  @Test
  void everyHelperThatTheTableDerivesFromTheResultIsWrittenFromTheSharedValue() {
    for (org.rad.processor.ir.MathRules.Rule r : org.rad.processor.ir.MathRules.all()) {
      if (r.arity() != 1 || r.helpers().isEmpty()) {
        continue;
      }
      Expr f = new Expr.StaticCall(Expr.Owner.MATH, r.name(), List.of(ref(X)), Type.DOUBLE);
      Expr derivative = r.partial(0, List.of(ref(X)));
      List<Stmt> shared = share(add(X_BAR, times(ref(ADJ), f)), add(Y_BAR, times(ref(ADJ), derivative)));
      List<Stmt> expected = r.helperFromResult() != null
          ? List.of(new Stmt.Assign(ref(PART), Stmt.AssignOp.SET, f, Origin.SYNTHETIC), add(X_BAR, times(ref(ADJ), ref(PART))),
              add(Y_BAR, times(ref(ADJ), r.fromResult(ref(PART)))))
          : List.of(add(X_BAR, times(ref(ADJ), f)), add(Y_BAR, times(ref(ADJ), derivative)));
      assertEquals(text(expected), text(shared), r.name());
    }
  }
}
