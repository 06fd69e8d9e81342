package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    return method(extra, after, false);
  }

  /** The same, or with {@code c} declared at the top and assigned before the loop ({@code assigned}). */
  static MethodIR method(List<Stmt> extra, List<Stmt> after, boolean assigned) {
    List<Stmt> loop = new ArrayList<>();
    loop.add(new Stmt.Assign(ref(S), Stmt.AssignOp.ADD, new Expr.Index(ref(X), ref(C)), Origin.SYNTHETIC));
    loop.addAll(extra);
    loop.add(new Stmt.Step(C, true, Origin.SYNTHETIC));
    List<Stmt> body = new ArrayList<>();
    body.add(new Stmt.Declare(S, Expr.Literal.ofDouble(0), Origin.SYNTHETIC));
    if (assigned) {
      body.add(new Stmt.Declare(C, null, Origin.SYNTHETIC));
      body.add(new Stmt.Assign(ref(S), Stmt.AssignOp.ADD, Expr.Literal.ofDouble(1), Origin.SYNTHETIC));
      body.add(new Stmt.Assign(ref(C), Stmt.AssignOp.SET, Expr.Literal.ofInt(0), Origin.SYNTHETIC));
    } else {
      body.add(new Stmt.Declare(C, Expr.Literal.ofInt(0), Origin.SYNTHETIC));
    }
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

  /**
   * C code's counter declared at the top and assigned before the loop: the loop gets a counter of
   * its own where the counter is not live after it, and keeps the while loop where it is.
   */
  @Test
  void anAssignedCounterDeadAfterTheLoopGetsOneOfItsOwn() {
    MethodIR m = CountedWhileLoops.rewrite(method(List.of(), List.of(), true));
    List<Stmt> body = m.body().stmts();
    Stmt.For f = assertInstanceOf(Stmt.For.class, body.get(3));
    Stmt.Declare own = assertInstanceOf(Stmt.Declare.class, f.init().get(0));
    assertEquals("c2", own.var().name());
    assertEquals(new Expr.Index(ref(X), ref(own.var())), ((Stmt.Assign) f.body().stmts().get(0)).value());
    assertEquals(List.of(new Stmt.Step(own.var(), true, Origin.SYNTHETIC)), f.update());
    assertTrue(m.locals().contains(own.var()));
    Stmt read = new Stmt.Assign(ref(S), Stmt.AssignOp.MUL, ref(C), Origin.SYNTHETIC);
    MethodIR live = method(List.of(), List.of(read), true);
    assertSame(live, CountedWhileLoops.rewrite(live), "c is read after the loop");
  }

  /** {@code for (c = 0; c < n; c += 2)} over a counter declared at the top gets a counter of its own. */
  @Test
  void aForLoopOverAnAssignedCounterGetsOneOfItsOwn() {
    Stmt.For loop = new Stmt.For(List.of(new Stmt.Assign(ref(C), Stmt.AssignOp.SET, Expr.Literal.ofInt(0),
        Origin.SYNTHETIC)), new Expr.Binary(Expr.BinaryOp.LT, ref(C), ref(N), Type.BOOLEAN),
        List.of(new Stmt.Assign(ref(C), Stmt.AssignOp.ADD, Expr.Literal.ofInt(2), Origin.SYNTHETIC)),
        Stmt.Block.of(List.of(new Stmt.Assign(ref(S), Stmt.AssignOp.ADD, new Expr.Index(ref(X), ref(C)),
            Origin.SYNTHETIC))), Origin.SYNTHETIC);
    MethodIR m = new MethodIR("f", true, List.of(X, N), Type.DOUBLE, Stmt.Block.of(List.of(
        new Stmt.Declare(S, Expr.Literal.ofDouble(0), Origin.SYNTHETIC), new Stmt.Declare(C, null, Origin.SYNTHETIC),
        loop, new Stmt.Return(ref(S), Origin.SYNTHETIC))), List.of(S, C), List.of(X), true, Origin.SYNTHETIC, Map.of());
    Stmt.For f = assertInstanceOf(Stmt.For.class, CountedWhileLoops.rewrite(m).body().stmts().get(2));
    assertInstanceOf(Stmt.Declare.class, f.init().get(0));
  }

  /**
   * A declaration between the counter and its loop that neither mentions the counter nor changes
   * its start leaves the loop counted, and {@code c = c + 2} is a step like {@code c += 2}.
   */
  @Test
  void aStatementBetweenAndAnAssignedStepKeepTheLoopCounted() {
    Var acc = Var.local("acc", Type.DOUBLE);
    Stmt.While loop = new Stmt.While(new Expr.Binary(Expr.BinaryOp.LT, ref(C), ref(N), Type.BOOLEAN), Stmt.Block.of(List.of(
        new Stmt.Assign(ref(S), Stmt.AssignOp.ADD, new Expr.Index(ref(X), ref(C)), Origin.SYNTHETIC),
        new Stmt.Assign(ref(C), Stmt.AssignOp.SET, new Expr.Binary(Expr.BinaryOp.ADD, ref(C), Expr.Literal.ofInt(2),
            Type.INT), Origin.SYNTHETIC))), Origin.SYNTHETIC);
    MethodIR m = new MethodIR("f", true, List.of(X, N), Type.DOUBLE, Stmt.Block.of(List.of(
        new Stmt.Declare(S, Expr.Literal.ofDouble(0), Origin.SYNTHETIC),
        new Stmt.Declare(C, Expr.Literal.ofInt(0), Origin.SYNTHETIC),
        new Stmt.Declare(acc, Expr.Literal.ofDouble(1), Origin.SYNTHETIC),
        loop, new Stmt.Return(ref(S), Origin.SYNTHETIC))), List.of(S, C, acc), List.of(X), true, Origin.SYNTHETIC,
        Map.of());
    List<Stmt> body = CountedWhileLoops.rewrite(m).body().stmts();
    assertEquals(List.of(new Stmt.Declare(acc, Expr.Literal.ofDouble(1), Origin.SYNTHETIC)), body.subList(1, 2));
    Stmt.For f = assertInstanceOf(Stmt.For.class, body.get(2));
    assertEquals(List.of(new Stmt.Assign(ref(C), Stmt.AssignOp.ADD, Expr.Literal.ofInt(2), Origin.SYNTHETIC)), f.update());
  }

  /**
   * A statement between the counter's assignment and its loop that may leave early keeps the
   * while loop: {@code for (...) { c = 0; if (s > 1) break; while (c < n) { ...; c++; } c = 5; }
   * s *= c;} leaves with c = 0 on the break, though c is dead right after the while loop.
   */
  @Test
  void aStatementBetweenThatMayLeaveKeepsTheWhileLoop() {
    Var i = Var.local("i", Type.INT);
    Stmt.While inner = new Stmt.While(new Expr.Binary(Expr.BinaryOp.LT, ref(C), ref(N), Type.BOOLEAN),
        Stmt.Block.of(List.of(new Stmt.Assign(ref(S), Stmt.AssignOp.ADD, new Expr.Index(ref(X), ref(C)),
            Origin.SYNTHETIC), new Stmt.Step(C, true, Origin.SYNTHETIC))), Origin.SYNTHETIC);
    Stmt leave = new Stmt.If(new Expr.Binary(Expr.BinaryOp.GT, ref(S), Expr.Literal.ofDouble(1), Type.BOOLEAN),
        Stmt.Block.of(List.of(new Stmt.Break(Origin.SYNTHETIC))), null, Origin.SYNTHETIC);
    Stmt.For outer = new Stmt.For(List.of(new Stmt.Declare(i, Expr.Literal.ofInt(0), Origin.SYNTHETIC)),
        new Expr.Binary(Expr.BinaryOp.LT, ref(i), ref(N), Type.BOOLEAN), List.of(new Stmt.Step(i, true, Origin.SYNTHETIC)),
        Stmt.Block.of(List.of(new Stmt.Assign(ref(C), Stmt.AssignOp.SET, Expr.Literal.ofInt(0), Origin.SYNTHETIC), leave,
            inner, new Stmt.Assign(ref(C), Stmt.AssignOp.SET, Expr.Literal.ofInt(5), Origin.SYNTHETIC))),
        Origin.SYNTHETIC);
    MethodIR m = new MethodIR("f", true, List.of(X, N), Type.DOUBLE, Stmt.Block.of(List.of(
        new Stmt.Declare(S, Expr.Literal.ofDouble(0), Origin.SYNTHETIC), new Stmt.Declare(C, null, Origin.SYNTHETIC),
        outer, new Stmt.Assign(ref(S), Stmt.AssignOp.MUL, ref(C), Origin.SYNTHETIC),
        new Stmt.Return(ref(S), Origin.SYNTHETIC))), List.of(S, C, i), List.of(X), true, Origin.SYNTHETIC, Map.of());
    Stmt.For after = assertInstanceOf(Stmt.For.class, CountedWhileLoops.rewrite(m).body().stmts().get(2));
    assertInstanceOf(Stmt.While.class, after.body().stmts().get(2));
  }
}
