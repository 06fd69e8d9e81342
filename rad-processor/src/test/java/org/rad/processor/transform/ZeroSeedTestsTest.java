package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link ZeroSeedTests} on hand-built reverse sweeps. */
class ZeroSeedTestsTest {
  static final Var ADJ = Var.local("adj", Type.DOUBLE);
  static final Var OTHER = Var.local("other", Type.DOUBLE);
  static final Var T = Var.local("t", Type.DOUBLE);
  static final Var W_BAR = new Var("wBar", Type.DOUBLE_ARRAY, Var.Kind.ADJOINT);
  static final Var X = Var.local("x", Type.DOUBLE_ARRAY);

  static Expr times(Var seed, Expr partial) {
    return new Expr.StaticCall(Expr.Owner.DERIVATIVES, "times", List.of(new Expr.Ref(seed), partial), Type.DOUBLE);
  }

  static Expr at(Var array, int k) {
    return new Expr.Index(new Expr.Ref(array), Expr.Literal.ofInt(k));
  }

  static Stmt assign(Expr target, Stmt.AssignOp op, Expr value) {
    return new Stmt.Assign(target, op, value, Origin.SYNTHETIC);
  }

  static List<String> text(Stmt.Block b) {
    return b.stmts().stream().map(IrText::of).toList();
  }

  @Test
  void incrementsSeededByOneLocalShareOneTest() {
    Stmt.Block out = ZeroSeedTests.group(Stmt.Block.of(List.of(
        assign(at(W_BAR, 0), Stmt.AssignOp.ADD, times(ADJ, at(X, 0))),
        assign(at(W_BAR, 1), Stmt.AssignOp.SUB, times(ADJ, at(X, 1))),
        assign(at(W_BAR, 2), Stmt.AssignOp.ADD,
            new Expr.Binary(Expr.BinaryOp.MUL, new Expr.Unary(Expr.UnaryOp.NEG, times(ADJ, at(X, 2))),
                Expr.Literal.ofDouble(2.0), Type.DOUBLE)))));
    assertEquals(1, out.stmts().size());
    Stmt.If guard = assertInstanceOf(Stmt.If.class, out.stmts().get(0));
    assertEquals("(adj != 0.0)", IrText.of(guard.condition()));
    assertNull(guard.whenFalse());
    assertEquals(List.of("wBar[0] += (adj * x[0])", "wBar[1] -= (adj * x[1])", "wBar[2] += (-(adj * x[2]) * 2.0)"),
        text(guard.whenTrue()));
  }

  @Test
  void aSetASeedAssignmentADifferentSeedOrALoneIncrementEndTheRun() {
    Stmt.Block out = ZeroSeedTests.group(Stmt.Block.of(List.of(
        // t = times(adj, x[0]): skipping it where adj == 0 would leave t's old value
        assign(new Expr.Ref(T), Stmt.AssignOp.SET, times(ADJ, at(X, 0))),
        assign(at(W_BAR, 0), Stmt.AssignOp.ADD, times(ADJ, at(X, 0))),
        // the seed itself is incremented: the run stops before it
        assign(new Expr.Ref(ADJ), Stmt.AssignOp.ADD, times(ADJ, at(X, 1))),
        assign(at(W_BAR, 1), Stmt.AssignOp.ADD, times(OTHER, at(X, 1))),
        assign(at(W_BAR, 2), Stmt.AssignOp.ADD, times(ADJ, at(X, 2))))));
    // no run of two: every statement stays as it was
    assertEquals(5, out.stmts().size());
    out.stmts().forEach(s -> assertInstanceOf(Stmt.Assign.class, s));
    assertEquals("t = times(adj, x[0])", IrText.of(out.stmts().get(0)).replace("Derivatives.", ""));
  }

  @Test
  void aNestedProductKeepsItsInnerTestAndLoopBodiesAreGrouped() {
    Expr nested = new Expr.StaticCall(Expr.Owner.DERIVATIVES, "times",
        List.of(times(ADJ, at(X, 0)), at(X, 1)), Type.DOUBLE);
    Stmt.Block body = Stmt.Block.of(List.of(
        assign(at(W_BAR, 0), Stmt.AssignOp.ADD, nested),
        assign(at(W_BAR, 1), Stmt.AssignOp.ADD, times(ADJ, at(X, 1))),
        assign(at(W_BAR, 2), Stmt.AssignOp.ADD, times(ADJ, at(X, 2)))));
    Stmt.While loop = new Stmt.While(new Expr.Literal("true", Type.BOOLEAN), body, Origin.SYNTHETIC);
    Stmt.While out = (Stmt.While) ZeroSeedTests.group(Stmt.Block.of(List.of(loop))).stmts().get(0);
    // times(times(adj, x[0]), x[1]) is seeded by an expression, not a local: it stays, and the two after it share a test
    assertEquals(2, out.body().stmts().size());
    assertInstanceOf(Stmt.Assign.class, out.body().stmts().get(0));
    Stmt.If guard = assertInstanceOf(Stmt.If.class, out.body().stmts().get(1));
    assertEquals(List.of("wBar[1] += (adj * x[1])", "wBar[2] += (adj * x[2])"), text(guard.whenTrue()));
  }
}
