package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link Liveness} on hand-built statements. */
class LivenessTest {
  static final Var A = Var.local("a", Type.DOUBLE);
  static final Var B = Var.local("b", Type.DOUBLE);
  static final Var C = Var.local("c", Type.DOUBLE);
  static final Var S = Var.local("s", Type.DOUBLE);
  static final Var X = Var.local("x", Type.DOUBLE_ARRAY);
  static final Var J = Var.local("j", Type.INT);
  static final Var N = Var.local("n", Type.INT);
  static final Var FLAG = Var.local("flag", Type.BOOLEAN);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Stmt set(Var v, Expr value) {
    return new Stmt.Assign(ref(v), Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  static Stmt add(Expr target, Expr value) {
    return new Stmt.Assign(target, Stmt.AssignOp.ADD, value, Origin.SYNTHETIC);
  }

  static Expr plus(Expr l, Expr r) {
    return new Expr.Binary(Expr.BinaryOp.ADD, l, r, Type.DOUBLE);
  }

  /** {@code for (j = n; j >= 0; j--) body}. */
  static Stmt.For down(Stmt... body) {
    return new Stmt.For(List.of(set(J, ref(N))),
        new Expr.Binary(Expr.BinaryOp.GE, ref(J), Expr.Literal.ofInt(0), Type.BOOLEAN),
        List.of(new Stmt.Step(J, false, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  @Test
  void aSetKillsAndItsValueReads() {
    Stmt first = set(A, plus(ref(B), ref(C)));
    Stmt second = set(S, ref(A));
    Liveness l = Liveness.of(Stmt.Block.of(List.of(first, second)), Set.of("s"));
    assertEquals(Set.of("s"), l.after(second));
    assertEquals(Set.of("a"), l.after(first));
    assertEquals(Set.of("b", "c"), Liveness.before(first, l.after(first)));
  }

  @Test
  void anIncrementReadsWhatItSets() {
    Stmt inc = add(ref(S), ref(A));
    assertEquals(Set.of("s", "a"), Liveness.before(inc, Set.of("s")));
  }

  @Test
  void anElementWriteReadsItsArrayAndIndexAndSetsNoVariable() {
    Stmt write = set(A, Expr.Literal.ofInt(0));
    Stmt element = add(new Expr.Index(ref(X), ref(J)), ref(A));
    Liveness l = Liveness.of(Stmt.Block.of(List.of(write, element)), Set.of("x"));
    assertEquals(Set.of("x", "j", "a"), l.after(write));
    assertEquals(Set.of("x", "j"), Liveness.before(write, l.after(write)));
  }

  /** A sum carried around a loop is live at its head, and so before the loop. */
  @Test
  void whatTheBodyReadsBeforeSettingIsLiveAroundTheLoop() {
    Stmt body = add(ref(S), new Expr.Index(ref(X), ref(J)));
    Stmt.For loop = down(body);
    Liveness l = Liveness.of(Stmt.Block.of(List.of(loop)), Set.of("s"));
    assertEquals(Set.of("s", "x", "n"), Liveness.before(loop, Set.of("s")), "the loop sets j before reading it");
    assertEquals(Set.of("s", "x", "j"), l.after(body), "the update reads j, the next iteration s and x");
  }

  /** A temporary set before it is read in each iteration is not live at the loop's head. */
  @Test
  void aTemporarySetFirstInEachIterationIsNotLiveBefore() {
    Stmt.For loop = down(set(A, new Expr.Index(ref(X), ref(J))), add(ref(S), ref(A)));
    assertEquals(Set.of("s", "x", "n"), Liveness.before(loop, Set.of("s")));
  }

  /**
   * {@code break} continues with what is live after its loop ({@code c}, which the code after the
   * loop reads), not with the rest of the body (which sets {@code c} first).
   */
  @Test
  void aBreakGoesOnWithWhatIsLiveAfterItsLoop() {
    Stmt first = set(A, Expr.Literal.ofInt(0));
    Stmt.If test = new Stmt.If(ref(FLAG), Stmt.Block.of(List.of(new Stmt.Break(Origin.SYNTHETIC))), null,
        Origin.SYNTHETIC);
    Stmt.While loop = new Stmt.While(ref(FLAG), Stmt.Block.of(List.of(first, test, set(C, ref(B)))), Origin.SYNTHETIC);
    Liveness l = Liveness.of(Stmt.Block.of(List.of(loop, set(S, ref(C)))), Set.of("s"));
    assertEquals(Set.of("flag", "b", "c"), l.after(first));
  }

  /** {@code continue} goes on with what the update and the next test read. */
  @Test
  void aContinueGoesOnWithTheUpdate() {
    Stmt first = set(C, Expr.Literal.ofInt(0));
    Stmt.For loop = down(first, new Stmt.If(ref(FLAG), Stmt.Block.of(List.of(new Stmt.Continue(Origin.SYNTHETIC))), null,
        Origin.SYNTHETIC), set(A, ref(B)));
    Liveness l = Liveness.of(Stmt.Block.of(List.of(loop)), Set.of());
    assertEquals(Set.of("j", "flag", "b"), l.after(first));
  }

  @Test
  void aContextCallReadsTheContext() {
    Stmt pop = set(A, new Expr.ContextCall(RuntimeOp.POP_DOUBLE, List.of(), Type.DOUBLE));
    assertEquals(Set.of("ctx"), Liveness.before(pop, Set.of()));
    assertEquals(Set.of("a", "ctx"), Liveness.mentions(pop));
  }
}
