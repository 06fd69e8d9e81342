package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * {@link Plan#lateCandidates} and {@link Plan#recomputedIn} on hand-built IR: a scalar loaded from
 * an element that a later statement overwrites ({@code double p = a[i]; a[i] = p * p;}) can be
 * recomputed in the reverse of its last reader, after that reader's restore, unless something
 * between them writes what it reads, or the reader does and does not restore before it reads.
 */
class LateRecomputationPlanTest {
  static final Var A = new Var("a", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var I = new Var("i", Type.INT, Var.Kind.PARAMETER);
  static final Var X = new Var("x", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var P = Var.local("p", Type.DOUBLE);
  static final Var Y = Var.local("y", Type.DOUBLE);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr element() {
    return new Expr.Index(ref(A), ref(I));
  }

  static Expr times(Expr l, Expr r) {
    return new Expr.Binary(Expr.BinaryOp.MUL, l, r, Type.DOUBLE);
  }

  static Stmt.Declare load() {
    return new Stmt.Declare(P, element(), Origin.SYNTHETIC);
  }

  static Stmt.Assign store(Expr value) {
    return new Stmt.Assign(element(), Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  static Stmt.Assign setY(Expr value) {
    return new Stmt.Assign(ref(Y), Stmt.AssignOp.ADD, value, Origin.SYNTHETIC);
  }

  static MethodIR method(Stmt... body) {
    List<Stmt> all = new java.util.ArrayList<>(List.of(new Stmt.Declare(Y, Expr.Literal.ofDouble(0), Origin.SYNTHETIC)));
    all.addAll(List.of(body));
    return new MethodIR("f", true, List.of(A, I, X), Type.DOUBLE, Stmt.Block.of(all), List.of(P, Y), List.of(A, X), true,
        Origin.SYNTHETIC, Map.of());
  }

  /** {@link #method} with the local {@code q} too. */
  static MethodIR withQ(Var q, Stmt... body) {
    MethodIR m = method(body);
    return new MethodIR("f", true, List.of(A, I, X), Type.DOUBLE, m.body(), List.of(P, Y, q), List.of(A, X), true,
        Origin.SYNTHETIC, Map.of());
  }

  static Plan plan(MethodIR m, Set<Stmt.Declare> late) {
    return Plan.of(m, new Effects(AliasClasses.of(m, Map.of()), Map.of(), Map.of()), Map.of(), Set.of(), late);
  }

  @Test
  void theReaderThatOverwritesTheElementRestoresFirst() {
    Stmt.Declare p = load();
    Stmt.Assign reader = store(times(ref(P), ref(P)));
    MethodIR m = method(p, reader);
    Plan off = plan(m, Set.of());
    assertSame(reader, off.lateCandidates().get(p));
    assertFalse(off.isRecomputable(p), "not enabled: the declaration is recorded");
    Plan on = plan(m, Set.of(p));
    assertTrue(on.isRecomputable(p));
    assertSame(reader, on.recomputedIn(p));
  }

  @Test
  void anOverwriteAfterTheLastReaderIsRestoredBeforeIt() {
    Stmt.Declare p = load();
    Stmt.Assign reader = setY(times(ref(P), ref(X)));
    MethodIR m = method(p, reader, store(Expr.Literal.ofDouble(5)));
    assertSame(reader, plan(m, Set.of()).lateCandidates().get(p));
  }

  @Test
  void anOverwriteBetweenTheDeclarationAndAReaderIsNot() {
    Stmt.Declare p = load();
    MethodIR m = method(p, setY(ref(P)), store(Expr.Literal.ofDouble(0)), setY(times(ref(P), ref(X))));
    Plan plan = plan(m, Set.of(p));
    assertNull(plan.lateCandidates().get(p), "the second reader would see the element after a[i] = 0");
    assertFalse(plan.isRecomputable(p));
  }

  @Test
  void aReaderWhoseDerivativeComesFromItsResultIsNot() {
    // a[i] = exp(p): the partial is read from the new a[i], before the restore
    Stmt.Declare p = load();
    MethodIR m = method(p, store(new Expr.StaticCall(Expr.Owner.MATH, "exp", List.of(ref(P)), Type.DOUBLE)));
    assertNull(plan(m, Set.of()).lateCandidates().get(p));
  }

  @Test
  void aDeclarationRecomputedFromALateOneFollowsItToItsReader() {
    // double p = a[i]; double q = p * x; a[i] = q: q, recomputed at the block's start, would read
    // p before the reverse of its reader recomputes it (fuzzer seed 2026, program 5577: a tape
    // underflow from a loop bound computed from a stale value); so q is recomputed there too,
    // after p (a DP cell's locals: 42,064 -> 22,056 bytes)
    Var q = Var.local("q", Type.DOUBLE);
    Stmt.Declare p = load();
    Stmt.Declare qd = new Stmt.Declare(q, times(ref(P), ref(X)), Origin.SYNTHETIC);
    Stmt write = store(ref(q));
    MethodIR m = new MethodIR("f", true, List.of(A, I, X), Type.DOUBLE, Stmt.Block.of(List.of(p, qd, write)),
        List.of(P, q), List.of(A, X), true, Origin.SYNTHETIC, Map.of());
    assertSame(write, plan(m, Set.of()).lateCandidates().get(p));
    Plan plan = plan(m, Set.of(p));
    assertTrue(plan.isRecomputable(p));
    assertSame(write, plan.recomputedIn(p));
    assertTrue(plan.isRecomputable(qd));
    assertSame(write, plan.recomputedIn(qd), "q is recomputed at p's reader, not at the block's start");
  }

  @Test
  void aFollowerReadAfterTheReaderMovesTheReaderThere() {
    // double p = a[i]; double q = p * x; y += q; a[i] = q: p's own last reader is q's declaration,
    // but q is read up to the write of p's element, whose reverse restores it first: both are
    // recomputed there (a log-sum-exp over a cell's neighbours, read by the cell's write)
    Var q = Var.local("q", Type.DOUBLE);
    Stmt.Declare p = load();
    Stmt.Declare qd = new Stmt.Declare(q, times(ref(P), ref(X)), Origin.SYNTHETIC);
    Stmt write = store(ref(q));
    MethodIR m = withQ(q, p, qd, setY(ref(q)), write);
    Plan plan = plan(m, Set.of(p));
    assertSame(write, plan.recomputedIn(p));
    assertSame(write, plan.recomputedIn(qd));
  }

  @Test
  void aFollowerReadWherePCannotBeRecomputedKeepsPRecorded() {
    // double p = a[i]; double q = p * x; a[i] = 0; y = q: at y = q the element p read is gone
    // (a[i] = 0 is not its reader), so p is not late, and q is recomputed at the block's start
    Var q = Var.local("q", Type.DOUBLE);
    Stmt.Declare p = load();
    Stmt.Declare qd = new Stmt.Declare(q, times(ref(P), ref(X)), Origin.SYNTHETIC);
    MethodIR m = withQ(q, p, qd, store(Expr.Literal.ofDouble(0)), setY(ref(q)));
    Plan plan = plan(m, Set.of(p));
    assertNull(plan.lateCandidates().get(p));
    assertFalse(plan.isRecomputable(p));
    assertNull(plan.recomputedIn(qd));
  }

  @Test
  void aDeclarationNothingOverwritesIsRecomputedAtItsBlockStartAsBefore() {
    Stmt.Declare p = load();
    MethodIR m = method(p, setY(times(ref(P), ref(X))));
    Plan plan = plan(m, Set.of());
    assertTrue(plan.isRecomputable(p));
    assertNull(plan.recomputedIn(p));
    assertTrue(plan.lateCandidates().isEmpty());
  }

  @Test
  void aLateLocalReadByALaterLateLocalMovesToItsReader() {
    // double t = x * x; double u = t * x; y += u; x = 0: t's own reader is u's declaration, but u
    // is recomputed in the reverse of y += u, which comes first: t moves there and precedes u
    Var t = Var.local("t", Type.DOUBLE);
    Var u = Var.local("u", Type.DOUBLE);
    Stmt.Declare td = new Stmt.Declare(t, times(ref(X), ref(X)), Origin.SYNTHETIC);
    Stmt.Declare ud = new Stmt.Declare(u, times(ref(t), ref(X)), Origin.SYNTHETIC);
    Stmt reader = setY(ref(u));
    Stmt reset = new Stmt.Assign(ref(X), Stmt.AssignOp.SET, Expr.Literal.ofDouble(0), Origin.SYNTHETIC);
    MethodIR m = method(td, ud, reader, reset);
    m = new MethodIR("f", true, List.of(A, I, X), Type.DOUBLE, m.body(), List.of(P, Y, t, u), List.of(A, X), true,
        Origin.SYNTHETIC, Map.of());
    Plan plan = plan(m, Set.of(td, ud));
    assertSame(reader, plan.recomputedIn(ud));
    assertSame(reader, plan.recomputedIn(td), "t is recomputed where u is, before it");
  }
}
