package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link LoopOutlining} on hand-built reverse sweeps. */
class LoopOutliningTest {
  static final Var I = Var.local("i", Type.INT);
  static final Var J = Var.local("j", Type.INT);
  static final Var M = Var.local("m", Type.INT);
  static final Var N = Var.local("n", Type.INT);
  static final Var X = Var.local("x", Type.DOUBLE_ARRAY);
  static final Var Y = new Var("yBar", Type.DOUBLE_ARRAY, Var.Kind.ADJOINT);
  static final Var Z = Var.local("z", Type.DOUBLE_ARRAY);
  static final Var W = Var.local("w", Type.DOUBLE);
  static final Var A = Var.local("a", Type.DOUBLE);
  static final Var T = Var.local("t", Type.DOUBLE);
  static final Var U = Var.local("u", Type.DOUBLE);
  static final Var S = new Var("sBar", Type.DOUBLE, Var.Kind.ADJOINT);
  static final Var FLAG = Var.local("flag", Type.BOOLEAN);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Stmt set(Expr target, Expr value) {
    return new Stmt.Assign(target, Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  static Stmt add(Expr target, Expr value) {
    return new Stmt.Assign(target, Stmt.AssignOp.ADD, value, Origin.SYNTHETIC);
  }

  static Expr at(Var array, Var index) {
    return new Expr.Index(ref(array), ref(index));
  }

  static Expr times(Expr l, Expr r) {
    return new Expr.Binary(Expr.BinaryOp.MUL, l, r, Type.DOUBLE);
  }

  /** {@code for (v = last; v >= 0; v--) body}. */
  static Stmt.For down(Var v, Var last, Stmt... body) {
    return new Stmt.For(List.of(set(ref(v), ref(last))),
        new Expr.Binary(Expr.BinaryOp.GE, ref(v), Expr.Literal.ofInt(0), Type.BOOLEAN),
        List.of(new Stmt.Step(v, false, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  /** An inner loop of eleven statements (its init and update counted) that adds into sBar. */
  static Stmt.For inner(Stmt... extra) {
    List<Stmt> body = new ArrayList<>(List.of(
        set(ref(A), at(X, J)),
        add(at(Y, J), times(ref(A), ref(W))),
        add(ref(S), times(ref(A), at(Z, J))),
        set(ref(T), times(ref(A), ref(A))),
        add(at(Z, J), ref(T)),
        set(ref(T), times(ref(T), ref(W))),
        add(at(Y, J), ref(T))));
    body.addAll(List.of(extra));
    return down(J, N, body.toArray(Stmt[]::new));
  }

  static LoopOutlining.Result outline(Set<String> liveAtEnd, Stmt... stmts) {
    return LoopOutlining.outline(Stmt.Block.of(List.of(stmts)), liveAtEnd, "fReverse", Set.of());
  }

  static Set<String> names(List<Var> vars) {
    return vars.stream().map(Var::name).collect(Collectors.toSet());
  }

  /** The inner loop of a nest becomes a method returning the one scalar it sets that is read after it. */
  @Test
  void anInnerLoopBecomesAMethodReturningTheScalarItAccumulates() {
    Stmt.For outer = down(I, M, inner());
    LoopOutlining.Result r = outline(Set.of("sBar"), outer);
    assertEquals(1, r.helpers().size());
    LoopOutlining.Helper h = r.helpers().get(0);
    assertEquals("fReverseLoop1", h.name());
    assertEquals(S, h.returned());
    assertEquals(Set.of("n", "x", "yBar", "w", "sBar", "z"), names(h.params()));
    assertEquals(Set.of("j", "a", "t"), names(h.locals()));
    Stmt.For rewritten = (Stmt.For) r.body().stmts().get(0);
    assertEquals(List.of("sBar = fReverseLoop1(" + h.params().stream().map(Var::name).collect(Collectors.joining(", ")) + ")"),
        rewritten.body().stmts().stream().map(IrText::of).toList());
  }

  /** Two values the rest of the sweep reads: Java returns one, so the loop stays. */
  @Test
  void aLoopSettingTwoValuesReadAfterItStays() {
    Stmt.For outer = down(I, M, inner(set(ref(U), ref(A))));
    LoopOutlining.Result r = outline(Set.of("sBar", "u"), outer);
    assertTrue(r.helpers().isEmpty());
  }

  /** A loop that is not inside another runs once per call: nothing to gain. */
  @Test
  void aTopLevelLoopStays() {
    assertTrue(outline(Set.of("sBar"), inner()).helpers().isEmpty());
  }

  @Test
  void aSmallLoopStays() {
    Stmt.For small = down(J, N, add(at(Y, J), ref(W)));
    assertTrue(outline(Set.of(), down(I, M, small)).helpers().isEmpty());
  }

  /**
   * A region that breaks out of the loop around it cannot be a method; the loop inside it, which
   * jumps nowhere, can.
   */
  @Test
  void aBreakOfTheOuterLoopKeepsItsBranchButNotTheLoopInIt() {
    Stmt.Block branch = Stmt.Block.of(List.of(inner(), new Stmt.Break(Origin.SYNTHETIC)));
    Stmt.For outer = down(I, M, new Stmt.If(ref(FLAG), branch, null, Origin.SYNTHETIC));
    LoopOutlining.Result r = outline(Set.of("sBar"), outer);
    assertEquals(1, r.helpers().size());
    Stmt.If kept = (Stmt.If) ((Stmt.For) r.body().stmts().get(0)).body().stmts().get(0);
    assertInstanceOf(Stmt.Assign.class, kept.whenTrue().stmts().get(0));
    assertInstanceOf(Stmt.Break.class, kept.whenTrue().stmts().get(1));
  }

  /** A break of the loop's own is fine; the context goes along when the region calls it. */
  @Test
  void itsOwnBreakAndTheContextMove() {
    Stmt pop = set(ref(A), new Expr.ContextCall(RuntimeOp.POP_DOUBLE, List.of(), Type.DOUBLE));
    Stmt ownBreak = new Stmt.If(ref(FLAG), Stmt.Block.of(List.of(new Stmt.Break(Origin.SYNTHETIC))), null,
        Origin.SYNTHETIC);
    Stmt.For outer = down(I, M, inner(pop, ownBreak));
    LoopOutlining.Result r = outline(Set.of("sBar"), outer);
    assertEquals(1, r.helpers().size());
    List<Var> params = r.helpers().get(0).params();
    assertSame(SweepBuilder.CTX, params.get(params.size() - 1));
  }

  /** The context is no parameter of a region that does not call it, even where it is live. */
  @Test
  void theContextGoesOnlyWhereItIsCalled() {
    Stmt pop = set(ref(W), new Expr.ContextCall(RuntimeOp.POP_DOUBLE, List.of(), Type.DOUBLE));
    Stmt.For outer = down(I, M, pop, inner());
    LoopOutlining.Helper h = outline(Set.of("sBar"), outer).helpers().get(0);
    assertTrue(h.params().stream().noneMatch(p -> p.name().equals("ctx")), h.params().toString());
  }

  /** A region that sets nothing read after it is a void method. */
  @Test
  void aRegionSettingNothingReadAfterIsVoid() {
    Stmt.For elementsOnly = down(J, N,
        set(ref(A), at(X, J)),
        add(at(Y, J), times(ref(A), ref(W))),
        set(ref(T), times(ref(A), ref(A))),
        add(at(Z, J), ref(T)),
        set(ref(T), times(ref(T), ref(W))),
        add(at(Y, J), ref(T)));
    LoopOutlining.Result r = outline(Set.of(), down(I, M, elementsOnly));
    assertNull(r.helpers().get(0).returned());
    assertInstanceOf(Stmt.Call.class, ((Stmt.For) r.body().stmts().get(0)).body().stmts().get(0));
  }

  /**
   * A restore before a row's loop ({@code ctx.popDoubles(...)}) stays in the sweep, where the JIT
   * inlines the runtime's code; the loop after it moves.
   */
  @Test
  void aContextCallBeforeTheLoopStaysOutside() {
    Stmt restore = new Stmt.Call(new Expr.ContextCall(RuntimeOp.POP_DOUBLES, List.of(ref(X), Expr.Literal.ofInt(0), ref(N)),
        Type.VOID), Origin.SYNTHETIC);
    Stmt.Block branch = Stmt.Block.of(List.of(restore, inner()));
    Stmt.For outer = down(I, M, new Stmt.If(ref(FLAG), branch, null, Origin.SYNTHETIC));
    LoopOutlining.Result r = outline(Set.of("sBar"), outer);
    assertEquals(1, r.helpers().size());
    assertTrue(r.helpers().get(0).params().stream().noneMatch(p -> p.name().equals("ctx")));
    Stmt.If kept = (Stmt.If) ((Stmt.For) r.body().stmts().get(0)).body().stmts().get(0);
    assertEquals(List.of("ctx.popDoubles(x, 0, n)", "sBar = fReverseLoop1(" + r.helpers().get(0).params().stream()
        .map(Var::name).collect(Collectors.joining(", ")) + ")"), kept.whenTrue().stmts().stream().map(IrText::of).toList());
  }

  /** A name the class has already is skipped, and no two methods get one name. */
  @Test
  void namesAvoidTheClassesMethodsAndEachOther() {
    List<Stmt> loops = List.of(down(I, M, inner()), down(I, M, inner()), down(I, M, inner()));
    LoopOutlining.Result r = LoopOutlining.outline(Stmt.Block.of(loops), Set.of("sBar"), "fReverse", Set.of("fReverseLoop2"));
    assertEquals(List.of("fReverseLoop1", "fReverseLoop3", "fReverseLoop4"),
        r.helpers().stream().map(LoopOutlining.Helper::name).toList());
  }
}
