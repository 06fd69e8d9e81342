package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * {@link Soundness} on hand-built reverse sweeps: a temporary ({@code adj}, only ever set) that
 * the reverse of one statement fills with a sampled value and the reverse of another reuses for
 * an exact adjoint does not make the second's term look like a sample times itself; where the
 * temporary may still hold the sampled value (one branch of an {@code if}, the first iteration of
 * a loop that sets it after reading it), the term is rejected.
 */
class SoundnessTemporariesTest {
  static final Var S = Var.local("s", Type.DOUBLE); // sampled
  static final Var C = Var.local("c", Type.BOOLEAN);
  static final Var ADJ = new Var("adj", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var Y_BAR = new Var("yBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var R_BAR = new Var("rBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var X_BAR = new Var("xBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var Z_BAR = new Var("zBar", Type.DOUBLE, Var.Kind.ADJOINT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Stmt set(Var v, Expr e) {
    return new Stmt.Assign(ref(v), Stmt.AssignOp.SET, e, Origin.SYNTHETIC);
  }

  static Stmt add(Var v, Expr e) {
    return new Stmt.Assign(ref(v), Stmt.AssignOp.ADD, e, Origin.SYNTHETIC);
  }

  static Expr times(Expr l, Expr r) {
    return new Expr.Binary(Expr.BinaryOp.MUL, l, r, Type.DOUBLE);
  }

  static Soundness.Violation check(Stmt... reverse) {
    Stmt.Block body = Stmt.Block.of(List.of(reverse));
    MethodIR m = new MethodIR("f", true, List.of(), Type.DOUBLE, body, List.of(S, C), List.of(), true, Origin.SYNTHETIC,
        Map.of());
    return Soundness.check(body, Set.of("s"), new Effects(AliasClasses.of(m, Map.of()), Map.of(), Map.of()));
  }

  /** yBar holds s; adj = yBar; then adj = rBar, exact, multiplies s: sound. */
  static Stmt[] reused() {
    return new Stmt[] {add(Y_BAR, ref(S)), set(ADJ, ref(Y_BAR)), add(X_BAR, ref(ADJ)), set(ADJ, ref(R_BAR)),
        add(Z_BAR, times(ref(ADJ), ref(S)))};
  }

  @Test
  void aTemporaryReusedForAnExactAdjointIsExact() {
    assertNull(check(reused()));
  }

  @Test
  void aTemporaryThatMayHoldTheSampleOnOneBranchIsRejected() {
    Stmt branch = new Stmt.If(ref(C), Stmt.Block.of(List.of(set(ADJ, ref(Y_BAR)))),
        Stmt.Block.of(List.of(set(ADJ, ref(R_BAR)))), Origin.SYNTHETIC);
    Soundness.Violation v = check(add(Y_BAR, ref(S)), branch, add(Z_BAR, times(ref(ADJ), ref(S))));
    assertNotNull(v);
    assertEquals('c', v.rule());
  }

  @Test
  void aTemporaryReadBeforeItIsSetInALoopHoldsItsValueFromBefore() {
    Stmt loop = new Stmt.While(ref(C), Stmt.Block.of(List.of(add(Z_BAR, times(ref(ADJ), ref(S))), set(ADJ, ref(R_BAR)))),
        Origin.SYNTHETIC);
    Soundness.Violation v = check(add(Y_BAR, ref(S)), set(ADJ, ref(Y_BAR)), loop);
    assertNotNull(v, "the first iteration multiplies s by adj = yBar, which holds s");
    assertEquals('c', v.rule());
  }
}
