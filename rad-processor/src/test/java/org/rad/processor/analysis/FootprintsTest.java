package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link Footprints} on hand-built IR: the index range a method reaches through an array parameter. */
class FootprintsTest {
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var M = new Var("m", Type.INT, Var.Kind.PARAMETER);
  static final Var O = new Var("o", Type.INT, Var.Kind.PARAMETER);
  static final Var K = new Var("k", Type.INT, Var.Kind.PARAMETER);
  static final Var OUT = new Var("out", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var IN = new Var("in", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var I = Var.local("i", Type.INT);
  static final Var J = Var.local("j", Type.INT);
  static final Var T = Var.local("t", Type.INT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr plus(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.ADD, a, b, Type.INT);
  }

  static Expr minus(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.SUB, a, b, Type.INT);
  }

  static Expr times(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.MUL, a, b, Type.INT);
  }

  static Expr at(Var array, Expr index) {
    return new Expr.Index(ref(array), index);
  }

  static Stmt copy(Expr outIndex, Expr inIndex) {
    return new Stmt.Assign(at(OUT, outIndex), Stmt.AssignOp.SET, at(IN, inIndex), Origin.SYNTHETIC);
  }

  /** {@code for (int index = 0; index < bound; index++) { body }}. */
  static Stmt.For loop(Var index, Expr bound, Stmt... body) {
    return new Stmt.For(List.of(new Stmt.Declare(index, Expr.Literal.ofInt(0), Origin.SYNTHETIC)),
        new Expr.Binary(Expr.BinaryOp.LT, ref(index), bound, Type.BOOLEAN),
        List.of(new Stmt.Step(index, true, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  static MethodIR method(Stmt... body) {
    return new MethodIR("layer", true, List.of(N, M, OUT, O, IN, K), Type.VOID, Stmt.Block.of(List.of(body)),
        List.of(I, J, T), List.of(), false, Origin.SYNTHETIC, Map.of());
  }

  static String range(MethodIR m, Var param) {
    Footprints.Range r = Footprints.of(m, param);
    return r == null ? null : r.empty() ? "empty" : "[" + IrText.of(r.lo()) + ", " + IrText.of(r.hi()) + ")";
  }

  /** LSTM's layer: the state's two halves written from the input at an offset. */
  @Test
  void offsetsPlusALoopIndexGiveARangeOfTheLoopsLength() {
    MethodIR m = method(loop(I, ref(N),
        copy(plus(ref(O), ref(I)), plus(ref(K), ref(I))),
        copy(plus(plus(ref(O), ref(N)), ref(I)), plus(ref(K), ref(I)))));
    assertEquals("[k, (k + n))", range(m, IN));
    // o and o + n differ by n, whose sign the analysis does not know: compared at run time
    assertEquals("[Math.min(o, (n + o)), (Math.max(((n + o) - 1), (((2 * n) + o) - 1)) + 1))", range(m, OUT));
  }

  @Test
  void aDecreasingIndexAndASymbolicStride() {
    MethodIR m = method(loop(I, ref(N), loop(J, ref(M),
        copy(plus(times(ref(I), ref(M)), ref(J)), minus(ref(K), ref(I))))));
    assertEquals("[((k - n) + 1), (k + 1))", range(m, IN));
    // the coefficient m of i may be negative: both ends of i are candidates for each extreme
    assertEquals("[Math.min(0, ((m * n) - m)), (Math.max((m - 1), ((m * n) - 1)) + 1))", range(m, OUT));
  }

  @Test
  void anUntouchedParameterHasAnEmptyRange() {
    assertEquals("empty", range(method(loop(I, ref(N), copy(ref(I), ref(I)))), new Var("other", Type.DOUBLE_ARRAY,
        Var.Kind.PARAMETER)));
  }

  @Test
  void otherUsesLeaveTheRangeUnknown() {
    Stmt local = new Stmt.Declare(T, ref(K), Origin.SYNTHETIC);
    assertNull(range(method(local, copy(ref(T), ref(K))), OUT), "an index held by a local");
    Stmt passOn = new Stmt.Call(new Expr.MethodCall("g", "g", null, List.of(ref(OUT)), Type.VOID, Origin.SYNTHETIC),
        Origin.SYNTHETIC);
    assertNull(range(method(passOn), OUT), "passed on to a call");
    assertNull(range(method(loop(I, ref(N), copy(times(ref(I), ref(I)), ref(I)))), OUT), "not affine in i");
    Stmt assignsK = new Stmt.Assign(ref(K), Stmt.AssignOp.ADD, Expr.Literal.ofInt(1), Origin.SYNTHETIC);
    assertNull(range(method(assignsK, copy(ref(O), ref(K))), IN), "k is assigned");
    Stmt.For triangular = loop(I, ref(N), loop(J, ref(I), copy(ref(J), ref(J))));
    assertNull(range(method(triangular), OUT), "a bound that depends on an enclosing index");
  }
}
