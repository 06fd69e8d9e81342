package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link ExitNormalizer} on hand-built method bodies: which exits still need a flag. */
class ExitNormalizerTest {
  static final Var X = new Var("x", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var I = Var.local("i", Type.INT);
  static final Var S = Var.local("s", Type.DOUBLE);

  static Expr less(Var v, double c) {
    return new Expr.Binary(Expr.BinaryOp.LT, new Expr.Ref(v), Expr.Literal.ofDouble(c), Type.BOOLEAN);
  }

  static Stmt ret(Expr e) {
    return new Stmt.Return(e, Origin.SYNTHETIC);
  }

  static Stmt.Block block(Stmt... s) {
    return Stmt.Block.of(List.of(s));
  }

  static Stmt.If when(Expr c, Stmt.Block t, Stmt.Block f) {
    return new Stmt.If(c, t, f, Origin.SYNTHETIC);
  }

  static Stmt add(Var v, Expr e) {
    return new Stmt.Assign(new Expr.Ref(v), Stmt.AssignOp.ADD, e, Origin.SYNTHETIC);
  }

  static ExitNormalizer.Normalized normalize(List<Var> locals, Stmt... body) {
    MethodIR m = new MethodIR("f", true, List.of(X, N), Type.DOUBLE, block(body), locals, List.of(X), false,
        Origin.SYNTHETIC, Map.of());
    return ExitNormalizer.normalize(m);
  }

  /** Every statement of {@code b}, nested ones too, one per line, indented by depth. */
  static String text(Stmt.Block b) {
    StringBuilder out = new StringBuilder();
    print(b, 0, out);
    return out.toString();
  }

  static void print(Stmt s, int depth, StringBuilder out) {
    String pad = "  ".repeat(depth);
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(x -> print(x, depth, out));
    } else if (s instanceof Stmt.If i) {
      out.append(pad).append(IrText.of(i)).append('\n');
      print(i.whenTrue(), depth + 1, out);
      if (i.whenFalse() != null) {
        out.append(pad).append("else\n");
        print(i.whenFalse(), depth + 1, out);
      }
    } else if (s instanceof Stmt.For f) {
      out.append(pad).append(IrText.of(f)).append('\n');
      print(f.body(), depth + 1, out);
    } else if (s instanceof Stmt.While w) {
      out.append(pad).append(IrText.of(w)).append('\n');
      print(w.body(), depth + 1, out);
    } else {
      out.append(pad).append(IrText.of(s)).append('\n');
    }
  }

  /** {@code if (x < 0) return -x; if (x < 1) return x * x; return x;}: else-chained, no flag. */
  @Test
  void earlyReturnsOfAPiecewiseFunctionNeedNoFlag() {
    ExitNormalizer.Normalized n = normalize(List.of(),
        when(less(X, 0), block(ret(new Expr.Unary(Expr.UnaryOp.NEG, new Expr.Ref(X)))), null),
        when(less(X, 1), block(ret(new Expr.Binary(Expr.BinaryOp.MUL, new Expr.Ref(X), new Expr.Ref(X), Type.DOUBLE))),
            null),
        ret(new Expr.Ref(X)));
    assertEquals("""
        if ((x < 0.0))
          result = -x
        else
          if ((x < 1.0))
            result = (x * x)
          else
            result = x
        """, text(n.method().body()));
    assertEquals(List.of("result"), n.method().locals().stream().map(Var::name).collect(Collectors.toList()));
  }

  /** A branch that returns before more work: the work moves into the else branch. */
  @Test
  void theStatementsAfterALeavingBranchMoveIntoTheOtherBranch() {
    ExitNormalizer.Normalized n = normalize(List.of(S),
        new Stmt.Declare(S, Expr.Literal.ofDouble(0), Origin.SYNTHETIC),
        when(less(X, 0), block(add(S, new Expr.Ref(X))), block(add(S, Expr.Literal.ofDouble(2)), ret(new Expr.Ref(S)))),
        add(S, new Expr.Ref(X)),
        ret(new Expr.Ref(S)));
    assertEquals("""
        Declare[var=s, init=Literal[text=0.0, type=DOUBLE], origin=SYNTHETIC]
        if ((x < 0.0))
          s += x
          s += x
          result = s
        else
          s += 2.0
          result = s
        """, text(n.method().body()).replace("org.rad.processor.ir.Origin$1@", "").replaceAll("origin=[^\\]]*]", "origin=SYNTHETIC]"));
  }

  /** A return inside a loop still leaves the loop by its flag; a trailing continue goes. */
  @Test
  void aReturnInALoopKeepsItsFlagATrailingContinueGoes() {
    Stmt.For loop = new Stmt.For(List.of(new Stmt.Declare(I, Expr.Literal.ofInt(0), Origin.SYNTHETIC)),
        new Expr.Binary(Expr.BinaryOp.LT, new Expr.Ref(I), new Expr.Ref(N), Type.BOOLEAN),
        List.of(new Stmt.Step(I, true, Origin.SYNTHETIC)),
        block(when(less(S, 5), block(add(S, new Expr.Ref(X)), new Stmt.Continue(Origin.SYNTHETIC)), null),
            when(less(S, 9), block(ret(new Expr.Ref(S))), null),
            add(S, Expr.Literal.ofDouble(1))),
        Origin.SYNTHETIC);
    ExitNormalizer.Normalized n = normalize(List.of(S, I),
        new Stmt.Declare(S, Expr.Literal.ofDouble(0), Origin.SYNTHETIC), loop, ret(new Expr.Ref(S)));
    String text = text(n.method().body());
    // the continue ended its path and needs no flag; the return inside the loop does
    assertFalse(text.contains("skipped"), text);
    assertTrue(text.contains("returned = true"), text);
    assertTrue(text.contains("while (...; (!returned && (i < n)); ...)") || text.contains("while ((!returned && (i < n)))"),
        text);
  }
}
