package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link ZeroAdjoints} on hand-built reverse sweeps: the first term into a zero adjoint sets it. */
class ZeroAdjointsTest {
  static final Var P_BAR = new Var("pBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var Y_BAR = new Var("yBar", Type.DOUBLE_ARRAY, Var.Kind.ADJOINT);
  static final Var E = Var.local("e", Type.DOUBLE);
  static final Var J = Var.local("j", Type.INT);
  static final Var N = Var.local("n", Type.INT);

  static Stmt assign(Expr target, Stmt.AssignOp op, Expr value) {
    return new Stmt.Assign(target, op, value, Origin.SYNTHETIC);
  }

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Stmt reset() {
    return assign(ref(P_BAR), Stmt.AssignOp.SET, Expr.Literal.ofDouble(0.0));
  }

  static List<String> simplify(Stmt... stmts) {
    return ZeroAdjoints.simplify(Stmt.Block.of(List.of(stmts)), Set.of("pBar")).stmts().stream().map(IrText::of)
        .toList();
  }

  @Test
  void theFirstTermSetsAZeroAdjointAndTheNextAdds() {
    assertEquals(List.of("pBar = e", "pBar += e"),
        simplify(assign(ref(P_BAR), Stmt.AssignOp.ADD, ref(E)), assign(ref(P_BAR), Stmt.AssignOp.ADD, ref(E))));
  }

  @Test
  void aSubtractedFirstTermSetsItsNegation() {
    assertEquals(List.of("pBar = -e"), simplify(assign(ref(P_BAR), Stmt.AssignOp.SUB, ref(E))));
  }

  /** A sum carried around a loop is not zero at the loop's head after the first iteration. */
  @Test
  void aSumAcrossIterationsKeepsAdding() {
    Stmt.For loop = loop(assign(ref(P_BAR), Stmt.AssignOp.ADD, ref(E)));
    Stmt.For out = (Stmt.For) ZeroAdjoints.simplify(Stmt.Block.of(List.of(loop)), Set.of("pBar")).stmts().get(0);
    assertEquals("pBar += e", IrText.of(out.body().stmts().get(0)));
  }

  /** Reset at the end of every iteration, the adjoint is zero at the head: each iteration sets it. */
  @Test
  void anAdjointResetEachIterationIsSetEachIteration() {
    Stmt.For loop = loop(assign(ref(P_BAR), Stmt.AssignOp.ADD, ref(E)),
        assign(new Expr.Index(ref(Y_BAR), ref(J)), Stmt.AssignOp.ADD, ref(P_BAR)), reset());
    Stmt.For out = (Stmt.For) ZeroAdjoints.simplify(Stmt.Block.of(List.of(loop)), Set.of("pBar")).stmts().get(0);
    assertEquals(List.of("pBar = e", "yBar[j] += pBar", "pBar = 0.0"), out.body().stmts().stream().map(IrText::of).toList());
  }

  static Stmt.For loop(Stmt... body) {
    return new Stmt.For(List.of(assign(ref(J), Stmt.AssignOp.SET, ref(N))),
        new Expr.Binary(Expr.BinaryOp.GE, ref(J), Expr.Literal.ofInt(0), Type.BOOLEAN),
        List.of(new Stmt.Step(J, false, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }
}
