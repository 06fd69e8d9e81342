package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link CountedWhileLoops} on hand-built bodies: which while loops are the for loops they stand for. */
class CountedWhileLoopsTest {
  static final Var X = new Var("x", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var C = Var.local("c", Type.INT);
  static final Var S = Var.local("s", Type.DOUBLE);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  /** {@code int c = 0; while (c < n) { s += x[c]; extra...; c++; } after...} */
  static MethodIR method(List<Stmt> extra, List<Stmt> after) {
    List<Stmt> loop = new ArrayList<>();
    loop.add(new Stmt.Assign(ref(S), Stmt.AssignOp.ADD, new Expr.Index(ref(X), ref(C)), Origin.SYNTHETIC));
    loop.addAll(extra);
    loop.add(new Stmt.Step(C, true, Origin.SYNTHETIC));
    List<Stmt> body = new ArrayList<>();
    body.add(new Stmt.Declare(S, Expr.Literal.ofDouble(0), Origin.SYNTHETIC));
    body.add(new Stmt.Declare(C, Expr.Literal.ofInt(0), Origin.SYNTHETIC));
    body.add(new Stmt.While(new Expr.Binary(Expr.BinaryOp.LT, ref(C), ref(N), Type.BOOLEAN), Stmt.Block.of(loop),
        Origin.SYNTHETIC));
    body.addAll(after);
    body.add(new Stmt.Return(ref(S), Origin.SYNTHETIC));
    return new MethodIR("f", true, List.of(X, N), Type.DOUBLE, Stmt.Block.of(body), List.of(S, C), List.of(X), true,
        Origin.SYNTHETIC, Map.of());
  }

  @Test
  void aWhileLoopOverItsOwnCounterIsAForLoop() {
    MethodIR m = CountedWhileLoops.rewrite(method(List.of(), List.of()));
    List<Stmt> body = m.body().stmts();
    assertEquals(3, body.size()); // s, the for loop, the return
    Stmt.For f = assertInstanceOf(Stmt.For.class, body.get(1));
    assertEquals(List.of(new Stmt.Declare(C, Expr.Literal.ofInt(0), Origin.SYNTHETIC)), f.init());
    assertEquals(List.of(new Stmt.Step(C, true, Origin.SYNTHETIC)), f.update());
    assertEquals(1, f.body().stmts().size()); // the step went to the update
  }

  @Test
  void aCounterReadAfterTheLoopKeepsTheWhileLoop() {
    Stmt read = new Stmt.Assign(ref(S), Stmt.AssignOp.MUL, ref(C), Origin.SYNTHETIC);
    MethodIR m = method(List.of(), List.of(read));
    assertSame(m, CountedWhileLoops.rewrite(m));
  }

  @Test
  void aContinueOrASecondStepKeepsTheWhileLoop() {
    Stmt skip = new Stmt.If(new Expr.Binary(Expr.BinaryOp.GT, ref(S), Expr.Literal.ofDouble(1), Type.BOOLEAN),
        Stmt.Block.of(List.of(new Stmt.Continue(Origin.SYNTHETIC))), null, Origin.SYNTHETIC);
    MethodIR continues = method(List.of(skip), List.of());
    assertSame(continues, CountedWhileLoops.rewrite(continues), "continue skips the step; a for loop's would not");
    MethodIR twice = method(List.of(new Stmt.Step(C, true, Origin.SYNTHETIC)), List.of());
    assertSame(twice, CountedWhileLoops.rewrite(twice));
  }

  @Test
  void aBreakLeavesBothWithoutTheStep() {
    Stmt leave = new Stmt.If(new Expr.Binary(Expr.BinaryOp.GT, ref(S), Expr.Literal.ofDouble(1), Type.BOOLEAN),
        Stmt.Block.of(List.of(new Stmt.Break(Origin.SYNTHETIC))), null, Origin.SYNTHETIC);
    MethodIR m = CountedWhileLoops.rewrite(method(List.of(leave), List.of()));
    assertInstanceOf(Stmt.For.class, m.body().stmts().get(1));
  }
}
