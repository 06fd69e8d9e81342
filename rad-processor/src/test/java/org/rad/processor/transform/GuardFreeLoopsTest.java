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
 * {@link GuardFreeLoops} on hand-built reverse loops: which guarded products become plain in the
 * version a test of their partials before the loop selects, and which loops stay as they are.
 */
class GuardFreeLoopsTest {
  static final Var ADJ = new Var("adj", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var C_BAR = new Var("cBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var X_BAR = new Var("xBar", Type.DOUBLE_ARRAY, Var.Kind.ADJOINT);
  static final Var PHI = Var.local("phi", Type.DOUBLE_ARRAY);
  static final Var R = Var.local("r", Type.DOUBLE);
  static final Var P = Var.local("p", Type.DOUBLE);
  static final Var J = Var.local("j", Type.INT);
  static final Var K = Var.local("k", Type.INT);
  static final Var N = Var.local("n", Type.INT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr times(Expr seed, Expr partial) {
    return new Expr.StaticCall(Expr.Owner.DERIVATIVES, "times", List.of(seed, partial), Type.DOUBLE);
  }

  static Expr at(Var array, Var index) {
    return new Expr.Index(ref(array), ref(index));
  }

  /** A product of adj whose partial, an element at the loop's index, changes in every iteration. */
  static Expr varying() {
    return times(ref(ADJ), at(PHI, J));
  }

  static Stmt set(Var target, Expr value) {
    return new Stmt.Assign(ref(target), Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  static Stmt intoX(Expr value) {
    return new Stmt.Assign(at(X_BAR, J), Stmt.AssignOp.ADD, value, Origin.SYNTHETIC);
  }

  static Stmt.For loop(Var index, Stmt... body) {
    return new Stmt.For(List.of(set(index, ref(N))),
        new Expr.Binary(Expr.BinaryOp.GE, ref(index), Expr.Literal.ofInt(0), Type.BOOLEAN),
        List.of(new Stmt.Step(index, false, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  static String version(Stmt... stmts) {
    return text(GuardFreeLoops.version(Stmt.Block.of(List.of(stmts))));
  }

  /** The statements of {@code b}, one per line, nested ones indented, loops by their condition. */
  static String text(Stmt.Block b) {
    StringBuilder out = new StringBuilder();
    text(b, "", out);
    return out.toString();
  }

  private static void text(Stmt.Block b, String indent, StringBuilder out) {
    for (Stmt s : b.stmts()) {
      out.append(indent).append(IrText.of(s)).append('\n');
      if (s instanceof Stmt.If i) {
        text(i.whenTrue(), indent + "  ", out);
        if (i.whenFalse() != null) {
          out.append(indent).append("else\n");
          text(i.whenFalse(), indent + "  ", out);
        }
      } else if (s instanceof Stmt.For f) {
        text(f.body(), indent + "  ", out);
      }
    }
  }

  /** One test of the partial the loop leaves alone; the element's product keeps its guard. */
  @Test
  void anInvariantPartialIsTestedOnceBeforeTheLoop() {
    String out = version(loop(J, set(ADJ, at(PHI, J)), intoX(times(ref(ADJ), ref(R))),
        intoX(times(ref(ADJ), at(PHI, J)))));
    assertEquals("""
        if (Derivatives.finite(r))
          for (...; (j >= 0); ...)
            adj = phi[j]
            xBar[j] += (adj * r)
            xBar[j] += Derivatives.times(adj, phi[j])
        else
          for (...; (j >= 0); ...)
            adj = phi[j]
            xBar[j] += Derivatives.times(adj, r)
            xBar[j] += Derivatives.times(adj, phi[j])
        """, out);
  }

  /** A partial the loop sets (p, set from an element) changes between iterations: no version. */
  @Test
  void aPartialTheLoopSetsKeepsItsGuard() {
    Stmt.For f = loop(J, set(P, at(PHI, J)), intoX(times(ref(ADJ), ref(P))));
    assertEquals(text(Stmt.Block.of(List.of(f))), version(f));
  }

  /**
   * Where the invariant partial's product is the adjoint's only test in the loop, the loop stays as
   * it is: GuardOperands tests the partial, a test the JIT takes out of the loop.
   */
  @Test
  void aLoneProductIsLeftToGuardOperands() {
    Stmt.For f = loop(J, intoX(times(ref(ADJ), ref(R))), intoX(times(ref(C_BAR), at(PHI, J))));
    assertEquals(text(Stmt.Block.of(List.of(f))), version(f));
  }

  /** A finite constant needs no test; an integer division might throw before the loop: not tested. */
  @Test
  void constantsAreNotTestedAndIntegerDivisionsNotMoved() {
    String constant = version(loop(J, intoX(times(ref(ADJ), Expr.Literal.ofDouble(2.5))), intoX(varying()),
        intoX(times(ref(ADJ), ref(R)))));
    assertEquals(true, constant.startsWith("if (Derivatives.finite(r))\n"), constant);
    assertEquals(true, constant.contains("(adj * 2.5)"), constant);
    Expr quotient = new Expr.Cast(Type.DOUBLE, new Expr.Binary(Expr.BinaryOp.DIV, ref(N), ref(K), Type.INT));
    Stmt.For f = loop(J, intoX(times(ref(ADJ), quotient)), intoX(varying()));
    assertEquals(text(Stmt.Block.of(List.of(f))), version(f));
  }

  /** Only innermost loops are versioned: the test sits between the outer loop and the inner one. */
  @Test
  void theInnermostLoopIsVersioned() {
    String out = version(loop(K, loop(J, intoX(times(ref(ADJ), ref(R))), intoX(varying()))));
    assertEquals(true, out.startsWith("for (...; (k >= 0); ...)\n  if (Derivatives.finite(r))\n"), out);
  }

  /** A negated partial is tested as itself; two partials share one test. */
  @Test
  void negatedPartialsAndSeveralTests() {
    Var s = Var.local("s", Type.DOUBLE);
    String out = version(loop(J, intoX(times(ref(ADJ), new Expr.Unary(Expr.UnaryOp.NEG, ref(R)))),
        intoX(times(ref(ADJ), ref(s))), intoX(times(ref(ADJ), ref(R))), intoX(varying())));
    assertEquals(true, out.startsWith("if ((Derivatives.finite(r) && Derivatives.finite(s)))\n"), out);
    assertEquals(true, out.contains("xBar[j] += (adj * -r)\n"), out);
  }
}
