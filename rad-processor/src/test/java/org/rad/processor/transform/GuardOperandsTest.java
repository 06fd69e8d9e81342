package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * {@link GuardOperands} on hand-built reverse sweeps: which operand of each guarded product is
 * tested: a helper's result adjoint outside loops, other adjoint variables, partials a loop does
 * not change, and products of data.
 */
class GuardOperandsTest {
  static final Var ADJ = new Var("adj", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var SEED = new Var("resultBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var C_BAR = new Var("cBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var X_BAR = new Var("xBar", Type.DOUBLE_ARRAY, Var.Kind.ADJOINT);
  static final Var PHI = Var.local("phi", Type.DOUBLE_ARRAY);
  static final Var R = Var.local("r", Type.DOUBLE);
  static final Var ST = Var.local("st", Type.DOUBLE);
  static final Var J = Var.local("j", Type.INT);
  static final Var N = Var.local("n", Type.INT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr times(Expr seed, Expr partial) {
    return new Expr.StaticCall(Expr.Owner.DERIVATIVES, "times", List.of(seed, partial), Type.DOUBLE);
  }

  static Stmt add(Expr target, Expr value) {
    return new Stmt.Assign(target, Stmt.AssignOp.ADD, value, Origin.SYNTHETIC);
  }

  static Stmt set(Var target, Expr value) {
    return new Stmt.Assign(ref(target), Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  static Stmt.For loop(Stmt... body) {
    return new Stmt.For(List.of(set(J, ref(N))),
        new Expr.Binary(Expr.BinaryOp.GE, ref(J), Expr.Literal.ofInt(0), Type.BOOLEAN),
        List.of(new Stmt.Step(J, false, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  static List<String> choose(Var callersSeed, Stmt... stmts) {
    return GuardOperands.choose(Stmt.Block.of(List.of(stmts)), callersSeed).stmts().stream().map(IrText::of).toList();
  }

  static List<String> chooseInLoop(Var callersSeed, Stmt... body) {
    Stmt.For out = (Stmt.For) GuardOperands.choose(Stmt.Block.of(List.of(loop(body))), callersSeed).stmts().get(0);
    return out.body().stmts().stream().map(IrText::of).toList();
  }

  static Stmt intoX(Expr value) {
    return add(new Expr.Index(ref(X_BAR), Expr.Literal.ofInt(1)), value);
  }

  /**
   * Run once per call of a helper, a product of its result adjoint (the caller's sum over sampled
   * values, 0 or not at random) tests the partial, which is finite whatever the data.
   */
  @Test
  void aHelpersResultAdjointIsNotTestedOutsideLoops() {
    assertEquals(List.of("xBar[1] += Derivatives.scaled(resultBar, st)"), choose(SEED, intoX(times(ref(SEED), ref(ST)))));
  }

  /** An entry's result adjoint (none named) and other adjoint variables keep one shared test. */
  @Test
  void otherAdjointVariablesAreTested() {
    assertEquals(List.of("xBar[1] += Derivatives.times(resultBar, st)"), choose(null, intoX(times(ref(SEED), ref(ST)))));
    assertEquals(List.of("xBar[1] += Derivatives.times(adj, st)"), choose(SEED, intoX(times(ref(ADJ), ref(ST)))));
  }

  /**
   * In a loop, a partial the loop does not change is tested (the test leaves the loop) unless its
   * seed is tested anyway, in a product with a partial that changes: then that one test serves both.
   */
  @Test
  void inLoopsAnInvariantPartialIsTestedUnlessItsSeedIsAnyway() {
    assertEquals(List.of("cBar += Derivatives.scaled(resultBar, r)"),
        chooseInLoop(null, add(ref(C_BAR), times(ref(SEED), ref(R)))));
    Expr element = new Expr.Index(ref(PHI), ref(J));
    assertEquals(List.of("cBar += Derivatives.times(adj, r)", "cBar += Derivatives.times(adj, phi[j])"),
        chooseInLoop(null, add(ref(C_BAR), times(ref(ADJ), ref(R))), add(ref(C_BAR), times(ref(ADJ), element))));
  }

  /**
   * A sum over a nested loop ({@code cBar}, a row's sum of products with data) and what is computed
   * from it are 0 or not as the data go: their partials are tested, even partials that change.
   */
  @Test
  void aSumOverANestedLoopIsNotTested() {
    Expr element = new Expr.Index(ref(PHI), ref(J));
    Stmt.For inner = loop(add(ref(C_BAR), times(ref(ADJ), element)));
    Var scaledSum = new Var("adj2", Type.DOUBLE, Var.Kind.ADJOINT);
    List<String> outer = chooseInLoop(null, inner, set(scaledSum, times(ref(C_BAR), ref(R))),
        intoX(times(ref(scaledSum), element)), intoX(times(ref(ADJ), element)));
    assertEquals(List.of("adj2 = Derivatives.scaled(cBar, r)", "xBar[1] += Derivatives.scaled(adj2, phi[j])",
        "xBar[1] += Derivatives.times(adj, phi[j])"), outer.subList(1, 4));
  }

  /** A partial written in the loop is not invariant, even when it is a plain variable. */
  @Test
  void aPartialWrittenInTheLoopChanges() {
    assertEquals(List.of("r = phi[j]", "cBar += Derivatives.times(adj, r)"),
        chooseInLoop(null, set(R, new Expr.Index(ref(PHI), ref(J))), add(ref(C_BAR), times(ref(ADJ), ref(R)))));
  }

  /** A seed that is a product of data is 0 or not as the data go: its partial is tested. */
  @Test
  void aProductSeedIsNotTested() {
    Expr element = new Expr.Index(ref(PHI), ref(J));
    Expr product = new Expr.Binary(Expr.BinaryOp.MUL, ref(ADJ), element, Type.DOUBLE);
    assertEquals(List.of("cBar += Derivatives.scaled((adj * phi[j]), r)"),
        chooseInLoop(null, add(ref(C_BAR), times(product, ref(R)))));
    assertEquals(List.of("cBar += Derivatives.times(adj, phi[j])"), chooseInLoop(null, add(ref(C_BAR), times(ref(ADJ), element))));
  }
}
