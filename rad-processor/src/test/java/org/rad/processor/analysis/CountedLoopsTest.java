package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * {@link Plan#countedLoop} on hand-built IR: the conditions whose loops the reverse sweep counts
 * down from the bound instead of recording the trip count and the index (found by user-style
 * tests: {@code i + 1 < n} recorded the index and the count at every run of the loop).
 */
class CountedLoopsTest {
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var I = Var.local("i", Type.INT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr.Literal one() {
    return Expr.Literal.ofInt(1);
  }

  static Stmt.For loop(Expr condition) {
    return new Stmt.For(List.of(new Stmt.Declare(I, Expr.Literal.ofInt(0), Origin.SYNTHETIC)), condition,
        List.of(new Stmt.Step(I, true, Origin.SYNTHETIC)), Stmt.Block.of(List.of()), Origin.SYNTHETIC);
  }

  static Plan.CountedLoop counted(Stmt.For f) {
    MethodIR m = new MethodIR("f", true, List.of(N), Type.DOUBLE, Stmt.Block.of(List.of(f)), List.of(I), List.of(),
        true, Origin.SYNTHETIC, Map.of());
    return Plan.of(m, new Effects(AliasClasses.of(m, Map.of()), Map.of(), Map.of()), Map.of()).countedLoop(f);
  }

  static Expr binary(Expr.BinaryOp op, Expr a, Expr b, Type t) {
    return new Expr.Binary(op, a, b, t);
  }

  @Test
  void theIndexShiftedByALiteralIsCountedAgainstTheShiftedBound() {
    Plan.CountedLoop c = counted(loop(binary(Expr.BinaryOp.LT, binary(Expr.BinaryOp.ADD, ref(I), one(), Type.INT), ref(N),
        Type.BOOLEAN)));
    assertEquals(Expr.BinaryOp.LT, c.comparison());
    assertEquals(binary(Expr.BinaryOp.SUB, ref(N), one(), Type.INT), c.bound());
    Plan.CountedLoop minus = counted(loop(binary(Expr.BinaryOp.LE, binary(Expr.BinaryOp.SUB, ref(I), one(), Type.INT),
        ref(N), Type.BOOLEAN)));
    assertEquals(binary(Expr.BinaryOp.ADD, ref(N), one(), Type.INT), minus.bound());
  }

  @Test
  void aBoundWrittenFirstIsMirrored() {
    Plan.CountedLoop c = counted(loop(binary(Expr.BinaryOp.GT, ref(N), ref(I), Type.BOOLEAN)));
    assertEquals(Expr.BinaryOp.LT, c.comparison());
    assertEquals(ref(N), c.bound());
  }

  @Test
  void otherConditionsAreNotCounted() {
    assertNull(counted(loop(binary(Expr.BinaryOp.LT, binary(Expr.BinaryOp.MUL, ref(I), Expr.Literal.ofInt(2), Type.INT),
        ref(N), Type.BOOLEAN))), "2 i < n");
    assertNull(counted(loop(binary(Expr.BinaryOp.LT, binary(Expr.BinaryOp.ADD, ref(I), ref(N), Type.INT), ref(N),
        Type.BOOLEAN))), "i + n < n: not a literal shift");
    assertNull(counted(loop(binary(Expr.BinaryOp.NE, ref(I), ref(N), Type.BOOLEAN))), "i != n");
  }
}
