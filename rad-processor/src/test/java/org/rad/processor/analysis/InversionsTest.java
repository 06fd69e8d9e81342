package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Stmt.AssignOp;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link Inversions} on hand-built statements: which integer updates the reverse sweep undoes. */
class InversionsTest {
  static final Var K = Var.local("k", Type.INT);
  static final Var M = Var.local("m", Type.LONG);
  static final Var D = Var.local("d", Type.INT);
  static final Var X = Var.local("x", Type.DOUBLE);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Stmt.Assign assign(Var v, AssignOp op, Expr value) {
    return new Stmt.Assign(ref(v), op, value, Origin.SYNTHETIC);
  }

  static Expr add(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.ADD, a, b, a.type() == Type.LONG || b.type() == Type.LONG ? Type.LONG : Type.INT);
  }

  static Expr sub(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.SUB, a, b, Type.INT);
  }

  @Test
  void stepsAreUndoneByTheOppositeStep() {
    assertEquals(new Stmt.Step(K, false, Origin.SYNTHETIC), Inversions.inverse(new Stmt.Step(K, true, Origin.SYNTHETIC)));
    assertEquals(new Stmt.Step(M, true, Origin.SYNTHETIC), Inversions.inverse(new Stmt.Step(M, false, Origin.SYNTHETIC)));
  }

  @Test
  void additionsOfWhatTheVariableDoesNotReadAreUndoneBySubtraction() {
    Expr d2 = add(ref(D), Expr.Literal.ofInt(2));
    assertEquals(assign(K, AssignOp.SUB, d2), Inversions.inverse(assign(K, AssignOp.ADD, d2)));
    assertEquals(assign(K, AssignOp.ADD, ref(D)), Inversions.inverse(assign(K, AssignOp.SUB, ref(D))));
    assertEquals(assign(K, AssignOp.SUB, ref(D)), Inversions.inverse(assign(K, AssignOp.SET, add(ref(K), ref(D)))));
    assertEquals(assign(K, AssignOp.SUB, ref(D)), Inversions.inverse(assign(K, AssignOp.SET, add(ref(D), ref(K)))));
    assertEquals(assign(K, AssignOp.ADD, ref(D)), Inversions.inverse(assign(K, AssignOp.SET, sub(ref(K), ref(D)))));
    assertEquals(assign(M, AssignOp.SUB, Expr.Literal.ofInt(3)),
        Inversions.inverse(assign(M, AssignOp.SET, add(Expr.Literal.ofInt(3), ref(M)))));
  }

  @Test
  void otherUpdatesAreNotInverted() {
    assertNull(Inversions.inverse(new Stmt.Step(X, true, Origin.SYNTHETIC)), "a double's ++ does not round-trip");
    assertNull(Inversions.inverse(assign(X, AssignOp.ADD, ref(X))), "doubles round");
    assertNull(Inversions.inverse(assign(K, AssignOp.ADD, ref(K))), "k += k reads k");
    assertNull(Inversions.inverse(assign(K, AssignOp.SET, sub(ref(D), ref(K)))), "d - k is not k plus something");
    assertNull(Inversions.inverse(assign(K, AssignOp.MUL, ref(D))), "k *= d loses bits");
    assertNull(Inversions.inverse(assign(K, AssignOp.SET, ref(D))), "a plain overwrite");
    Expr call = new Expr.StaticCall(Expr.Owner.MATH, "floorMod", List.of(ref(D), Expr.Literal.ofInt(3)), Type.INT);
    assertNull(Inversions.inverse(assign(K, AssignOp.ADD, call)), "calls are not re-evaluated");
    assertNull(Inversions.inverse(new Stmt.Declare(K, ref(D), Origin.SYNTHETIC)), "a declaration defines, not updates");
  }
}
