package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link Plan#overwritesWhole} on hand-built IR: which counted loops overwrite a whole array. */
class WholeOverwritesPlanTest {
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var X = new Var("x", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var A = Var.local("a", Type.DOUBLE_ARRAY);
  static final Var B = Var.local("b", Type.DOUBLE_ARRAY);
  static final Var I = Var.local("i", Type.INT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Stmt.For loop(int start, Expr bound, Stmt... body) {
    return new Stmt.For(List.of(new Stmt.Declare(I, Expr.Literal.ofInt(start), Origin.SYNTHETIC)),
        new Expr.Binary(Expr.BinaryOp.LT, ref(I), bound, Type.BOOLEAN),
        List.of(new Stmt.Step(I, true, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  static Stmt.Assign zero(Var array) {
    return new Stmt.Assign(new Expr.Index(ref(array), ref(I)), Stmt.AssignOp.SET, Expr.Literal.ofDouble(0), Origin.SYNTHETIC);
  }

  static Plan plan(Stmt... body) {
    MethodIR m = new MethodIR("f", true, List.of(N, X), Type.DOUBLE, Stmt.Block.of(List.of(body)), List.of(A, B, I),
        List.of(X), true, Origin.SYNTHETIC, Map.of());
    return Plan.of(m, new Effects(AliasClasses.of(m, Map.of()), Map.of(), Map.of()), Map.of());
  }

  static Stmt.Declare allocate(Var v, Expr size) {
    return new Stmt.Declare(v, new Expr.NewArray(Type.DOUBLE_ARRAY, List.of(size)), Origin.SYNTHETIC);
  }

  @Test
  void boundByTheAllocationSizeOrTheLength() {
    Stmt.For bySize = loop(0, ref(N), zero(A));
    assertEquals(java.util.Set.of("#a"), plan(allocate(A, ref(N)), bySize).overwritesWhole(bySize));
    Stmt.For byLength = loop(0, new Expr.Length(ref(X)), zero(X));
    assertEquals(java.util.Set.of("#x"), plan(byLength).overwritesWhole(byLength));
  }

  /**
   * Several arrays zeroed in one loop are each overwritten whole; a size read from a local declared
   * once ({@code int m = n; double[] a = new double[m];}) is as good as one read from a parameter
   * (found by user-style tests: both made every later accumulation record).
   */
  @Test
  void severalArraysInOneLoopAndASizeFromALocal() {
    Stmt.For both = loop(0, ref(N), zero(A), zero(B));
    assertEquals(java.util.Set.of("#a", "#b"), plan(allocate(A, ref(N)), allocate(B, ref(N)), both).overwritesWhole(both));
    Var m = Var.local("m", Type.INT);
    Stmt.For byLocal = loop(0, ref(m), zero(A));
    assertEquals(java.util.Set.of("#a"), plan(new Stmt.Declare(m, ref(N), Origin.SYNTHETIC), allocate(A, ref(m)), byLocal)
        .overwritesWhole(byLocal));
    Stmt.For reassigned = loop(0, ref(m), zero(A));
    Stmt change = new Stmt.Assign(ref(m), Stmt.AssignOp.SET, Expr.Literal.ofInt(3), Origin.SYNTHETIC);
    assertEquals(java.util.Set.of(), plan(new Stmt.Declare(m, ref(N), Origin.SYNTHETIC), allocate(A, ref(m)), change,
        reassigned).overwritesWhole(reassigned), "m assigned again: the size need not be the bound");
  }

  /**
   * A bound other than the length covers the array when every write of it in the method stays
   * below that bound: here a later loop over {@code j} from {@code i + 1} to {@code n}, nested in
   * one over {@code i} from 0 (GMM's qtimesx, linear updates after {@code out[i] = ...}).
   */
  /**
   * A bound in a local, {@code int len = x.length} (found by a user-style round: a graph step
   * that zeroes {@code next} with it then scatters into it recorded per edge); not where the
   * local or the array is assigned again.
   */
  @Test
  void aBoundInALocalHoldingTheLength() {
    Var len = Var.local("len", Type.INT);
    Stmt.Declare declare = new Stmt.Declare(len, new Expr.Length(ref(X)), Origin.SYNTHETIC);
    Stmt.For byLocal = loop(0, ref(len), zero(X));
    assertEquals(java.util.Set.of("#x"), plan(declare, byLocal).overwritesWhole(byLocal));
    Stmt.For again = loop(0, ref(len), zero(X));
    Stmt.Assign changed = new Stmt.Assign(ref(len), Stmt.AssignOp.SET, ref(N), Origin.SYNTHETIC);
    assertEquals(java.util.Set.of(), plan(declare, changed, again).overwritesWhole(again));
  }

  @Test
  void aBoundThatEveryWriteStaysBelow() {
    Var i2 = Var.local("i2", Type.INT);
    Var j = Var.local("j", Type.INT);
    Stmt.For first = loop(0, ref(N), zero(X));
    Stmt update = new Stmt.Assign(new Expr.Index(ref(X), ref(j)), Stmt.AssignOp.ADD, Expr.Literal.ofDouble(1),
        Origin.SYNTHETIC);
    Stmt.For fromNext = counted(i2, Expr.Literal.ofInt(0),
        counted(j, new Expr.Binary(Expr.BinaryOp.ADD, ref(i2), Expr.Literal.ofInt(1), Type.INT), update));
    assertEquals(java.util.Set.of("#x"), plan(first, fromNext).overwritesWhole(first));
    Stmt.For fromPrevious = counted(i2, Expr.Literal.ofInt(0),
        counted(j, new Expr.Binary(Expr.BinaryOp.SUB, ref(i2), Expr.Literal.ofInt(1), Type.INT), update));
    assertEquals(java.util.Set.of(), plan(first, fromPrevious).overwritesWhole(first), "j from i - 1 may be -1: not provably inside");
  }

  /** {@code for (int index = start; index < n; index++) { body }}. */
  static Stmt.For counted(Var index, Expr start, Stmt... body) {
    return new Stmt.For(List.of(new Stmt.Declare(index, start, Origin.SYNTHETIC)),
        new Expr.Binary(Expr.BinaryOp.LT, ref(index), ref(N), Type.BOOLEAN), List.of(new Stmt.Step(index, true, Origin.SYNTHETIC)),
        Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  @Test
  void partialOrConditionalOrSharedOverwritesAreNot() {
    Stmt.For fromOne = loop(1, ref(N), zero(A));
    assertEquals(java.util.Set.of(), plan(allocate(A, ref(N)), fromOne).overwritesWhole(fromOne), "a[0] is kept");
    Stmt.For otherBound = loop(0, ref(N), zero(X));
    Stmt outside = new Stmt.Assign(new Expr.Index(ref(X), ref(N)), Stmt.AssignOp.SET, Expr.Literal.ofDouble(1),
        Origin.SYNTHETIC);
    assertEquals(java.util.Set.of(), plan(otherBound, outside).overwritesWhole(otherBound), "x[n] is written too, and n need not be below x.length");
    Stmt.For conditional = loop(0, ref(N), new Stmt.If(new Expr.Binary(Expr.BinaryOp.GT,
        new Expr.Index(ref(X), ref(I)), Expr.Literal.ofDouble(0), Type.BOOLEAN), Stmt.Block.of(List.of(zero(A))), null,
        Origin.SYNTHETIC));
    assertEquals(java.util.Set.of(), plan(allocate(A, ref(N)), conditional).overwritesWhole(conditional), "only where x[i] > 0");
    Stmt.For shared = loop(0, ref(N), zero(A));
    Stmt swap = new Stmt.Assign(ref(B), Stmt.AssignOp.SET, ref(A), Origin.SYNTHETIC);
    assertEquals(java.util.Set.of(), plan(allocate(A, ref(N)), allocate(B, ref(N)), swap, shared).overwritesWhole(shared),
        "b may be a: the class holds two arrays");
  }
}
