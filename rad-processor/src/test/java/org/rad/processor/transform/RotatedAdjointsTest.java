package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link RotatedAdjoints} on hand-built reverse loops. */
class RotatedAdjointsTest {
  static final Var J = Var.local("j", Type.INT);
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var A = Var.local("a", Type.DOUBLE);
  static final Var MID_BAR = new Var("midBar", Type.DOUBLE_ARRAY, Var.Kind.ADJOINT);
  static final Var UP_BAR = new Var("upBar", Type.DOUBLE_ARRAY, Var.Kind.ADJOINT);
  static final Var MID = Var.local("mid", Type.DOUBLE_ARRAY);

  static Expr at(Var array, int offset) {
    Expr j = new Expr.Ref(J);
    Expr index = offset == 0 ? j : new Expr.Binary(offset > 0 ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB, j,
        Expr.Literal.ofInt(Math.abs(offset)), Type.INT);
    return new Expr.Index(new Expr.Ref(array), index);
  }

  static Stmt add(Expr target, Expr value) {
    return new Stmt.Assign(target, Stmt.AssignOp.ADD, value, Origin.SYNTHETIC);
  }

  /** {@code for (j = n - 1; j >= 1; j--) { body }}. */
  static Stmt.For down(Stmt... body) {
    return new Stmt.For(List.of(new Stmt.Assign(new Expr.Ref(J), Stmt.AssignOp.SET,
            new Expr.Binary(Expr.BinaryOp.SUB, new Expr.Ref(N), Expr.Literal.ofInt(1), Type.INT), Origin.SYNTHETIC)),
        new Expr.Binary(Expr.BinaryOp.GE, new Expr.Ref(J), Expr.Literal.ofInt(1), Type.BOOLEAN),
        List.of(new Stmt.Step(J, false, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  static Stmt rotate(Stmt loop) {
    int[] n = {0};
    List<Var> fresh = new ArrayList<>();
    Stmt.Block out = RotatedAdjoints.rotate(Stmt.Block.of(List.of(loop)), () -> {
      Var v = Var.local("acc" + n[0]++, Type.DOUBLE);
      fresh.add(v);
      return v;
    }, type -> Var.local("row" + n[0]++, type));
    return out.stmts().get(0);
  }

  /** The stencil adjoint: midBar[j - 1], [j], [j + 1] in three locals, upBar[j] as it is. */
  @Test
  void threeOffsetsOfOneRowAreCarried() {
    Stmt.For loop = down(
        new Stmt.Assign(new Expr.Ref(A), Stmt.AssignOp.SET, at(MID, 0), Origin.SYNTHETIC),
        add(at(UP_BAR, 0), new Expr.Ref(A)),
        add(at(MID_BAR, 1), new Expr.Ref(A)),
        add(at(MID_BAR, -1), new Expr.Ref(A)),
        add(at(MID_BAR, 0), new Expr.Ref(A)));
    Stmt.If versioned = (Stmt.If) rotate(loop);
    assertEquals("((((n - 1) >= 1) && (midBar != mid)) && (midBar != upBar))", IrText.of(versioned.condition()));
    List<String> rotated = versioned.whenTrue().stmts().stream().map(IrText::of).toList();
    // the window's upper two elements before the loop, its lower two after it
    assertEquals("acc1 = midBar[(n - 1)]", rotated.get(0).replace("((n - 1) + 0)", "(n - 1)"));
    assertEquals("acc2 = midBar[((n - 1) + 1)]", rotated.get(1));
    assertEquals("midBar[j] = acc1", rotated.get(3));
    assertEquals("midBar[(j + 1)] = acc2", rotated.get(4));
    Stmt.For inner = (Stmt.For) versioned.whenTrue().stmts().get(2);
    List<String> body = inner.body().stmts().stream().map(IrText::of).toList();
    assertEquals(List.of("acc0 = midBar[(j - 1)]", "a = mid[j]", "upBar[j] += a", "acc2 += a", "acc0 += a",
        "acc1 += a", "midBar[(j + 1)] = acc2", "acc2 = acc1", "acc1 = acc0"), body);
    assertSame(loop, versioned.whenFalse().stmts().get(0), "the loop as it was where the rows may be one array");
  }

  @Test
  void oneOffsetAConditionalOrACallLeavesTheLoop() {
    Stmt.For single = down(add(at(MID_BAR, 0), at(MID, 0)), add(at(UP_BAR, 1), at(MID, 0)));
    assertSame(single, rotate(single), "no element is shared between iterations");
    Stmt.For conditional = down(add(at(MID_BAR, 0), new Expr.Conditional(new Expr.Binary(Expr.BinaryOp.GT,
        at(MID, 0), Expr.Literal.ofDouble(0), Type.BOOLEAN), at(MID_BAR, 1), Expr.Literal.ofDouble(0), Type.DOUBLE)));
    assertSame(conditional, rotate(conditional), "an element read only sometimes");
    Stmt.For call = down(add(at(MID_BAR, 0), Expr.Literal.ofDouble(1)), add(at(MID_BAR, 1),
        new Expr.StaticCall(Expr.Owner.GENERATED, "fReverse", List.of(new Expr.Ref(MID_BAR)), Type.DOUBLE)));
    assertSame(call, rotate(call), "a call that may read the array");
    assertTrue(rotate(down(add(at(MID_BAR, 0), at(MID, 0)), add(at(MID_BAR, 2), at(MID, 0)))) instanceof Stmt.If,
        "offsets 0 and 2, with a gap between");
  }

  static final Var I = Var.local("i", Type.INT);
  static final Var PHI_BAR = new Var("phiBar", Type.DOUBLE_MATRIX, Var.Kind.ADJOINT);
  static final Var PHI = Var.local("phi", Type.DOUBLE_MATRIX);

  /** {@code m[i + c]}, a row of a matrix. */
  static Expr row(Var matrix, int c) {
    Expr i = c == 0 ? new Expr.Ref(I) : new Expr.Binary(Expr.BinaryOp.ADD, new Expr.Ref(I), Expr.Literal.ofInt(c), Type.INT);
    return new Expr.Index(new Expr.Ref(matrix), i);
  }

  static Expr at(Expr row, int offset) {
    Expr j = new Expr.Ref(J);
    Expr index = offset == 0 ? j : new Expr.Binary(offset > 0 ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB, j,
        Expr.Literal.ofInt(Math.abs(offset)), Type.INT);
    return new Expr.Index(row, index);
  }

  /**
   * The stencil adjoint written through the matrix ({@code phiBar[i][j + 1]}): every row it indexes
   * goes into a local before the loop, and the carried row's elements into locals as for a row reference.
   */
  @Test
  void aRowOfAMatrixIsCarriedThroughALocal() {
    Stmt.For loop = down(
        new Stmt.Assign(new Expr.Ref(A), Stmt.AssignOp.SET, at(row(PHI, 0), 0), Origin.SYNTHETIC),
        add(at(row(PHI_BAR, 1), 0), new Expr.Ref(A)),
        add(at(row(PHI_BAR, 0), 1), new Expr.Ref(A)),
        add(at(row(PHI_BAR, 0), -1), new Expr.Ref(A)));
    Stmt.If versioned = (Stmt.If) rotate(loop);
    assertEquals("((((n - 1) >= 1) && (phiBar[i] != phi[i])) && (phiBar[i] != phiBar[(i + 1)]))",
        IrText.of(versioned.condition()));
    List<String> rotated = versioned.whenTrue().stmts().stream().map(IrText::of).toList();
    assertEquals(List.of("row = phi[i]", "row = phiBar[(i + 1)]", "row = phiBar[i]"),
        rotated.subList(0, 3).stream().map(x -> x.replaceAll("row\\d+", "row")).toList());
    Stmt.For inner = (Stmt.For) versioned.whenTrue().stmts().stream().filter(x -> x instanceof Stmt.For).findFirst()
        .orElseThrow();
    String body = inner.body().stmts().stream().map(IrText::of).toList().toString();
    assertTrue(!body.contains("phiBar[") && !body.contains("phi["), "the loop reads rows through locals only: " + body);
    assertSame(loop, versioned.whenFalse().stmts().get(0));
  }

  /** A loop that replaces a row of a matrix ({@code phiBar[i] = ...}) is left as it is: a row local would miss it. */
  @Test
  void aLoopReplacingARowIsLeft() {
    Stmt.For loop = down(
        new Stmt.Assign(new Expr.Ref(A), Stmt.AssignOp.SET, at(row(PHI, 0), 0), Origin.SYNTHETIC),
        add(at(row(PHI_BAR, 0), 1), new Expr.Ref(A)),
        add(at(row(PHI_BAR, 0), -1), new Expr.Ref(A)),
        new Stmt.Assign(row(PHI_BAR, 0), Stmt.AssignOp.SET, row(PHI_BAR, 1), Origin.SYNTHETIC));
    assertSame(loop, rotate(loop));
  }
}
