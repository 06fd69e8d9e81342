package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * {@link ElementDependences} on hand-built IR: which earlier reads can see the element an
 * overwrite replaces, and which reads of one execution can be the element it writes.
 */
class ElementDependencesTest {
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var P = new Var("p", Type.DOUBLE_MATRIX, Var.Kind.PARAMETER);
  static final Var R = Var.local("r", Type.DOUBLE_MATRIX);
  static final Var Z = Var.local("z", Type.DOUBLE_ARRAY);
  static final Var I = Var.local("i", Type.INT);
  static final Var J = Var.local("j", Type.INT);
  static final Var K = Var.local("k", Type.INT);
  static final Var S = Var.local("s", Type.INT);
  static final Var PIVOT = Var.local("rp", Type.DOUBLE_ARRAY);
  static final Var ROW = Var.local("rr", Type.DOUBLE_ARRAY);
  static final Var LD = Var.local("ld", Type.INT);
  static final Var IDX = Var.local("idx", Type.INT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr lit(int v) {
    return Expr.Literal.ofInt(v);
  }

  static Expr plus(Expr a, int c) {
    return c >= 0 ? new Expr.Binary(Expr.BinaryOp.ADD, a, lit(c), Type.INT)
        : new Expr.Binary(Expr.BinaryOp.SUB, a, lit(-c), Type.INT);
  }

  static Expr.Index at(Var array, Expr... indices) {
    Expr e = ref(array);
    for (Expr i : indices) {
      e = new Expr.Index(e, i);
    }
    return (Expr.Index) e;
  }

  /** {@code target = sum of reads} (a statement whose reverse reads nothing of interest here). */
  static Stmt.Assign assign(Expr.Index target, Expr... reads) {
    Expr value = Expr.Literal.ofDouble(1);
    for (Expr r : reads) {
      value = new Expr.Binary(Expr.BinaryOp.ADD, value, r, Type.DOUBLE);
    }
    return new Stmt.Assign(target, Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  /** {@code for (index = start; index < bound; index++)}. */
  static Stmt.For up(Var index, Expr start, Expr bound, Stmt... body) {
    return new Stmt.For(List.of(new Stmt.Declare(index, start, Origin.SYNTHETIC)),
        new Expr.Binary(Expr.BinaryOp.LT, ref(index), bound, Type.BOOLEAN),
        List.of(new Stmt.Step(index, true, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  /** {@code for (index = start; index >= 0; index--)}. */
  static Stmt.For down(Var index, Expr start, Stmt... body) {
    return new Stmt.For(List.of(new Stmt.Declare(index, start, Origin.SYNTHETIC)),
        new Expr.Binary(Expr.BinaryOp.GE, ref(index), lit(0), Type.BOOLEAN),
        List.of(new Stmt.Step(index, false, Origin.SYNTHETIC)), Stmt.Block.of(List.of(body)), Origin.SYNTHETIC);
  }

  static Stmt.Declare allocate(Var v, Expr... sizes) {
    return new Stmt.Declare(v, new Expr.NewArray(v.type(), List.of(sizes)), Origin.SYNTHETIC);
  }

  static ElementDependences of(Stmt... body) {
    List<Var> locals = new ArrayList<>(List.of(R, Z, I, J, K, S, PIVOT, ROW, LD, IDX));
    MethodIR m = new MethodIR("f", true, List.of(N, P), Type.DOUBLE, Stmt.Block.of(List.of(body)), locals, List.of(P),
        true, Origin.SYNTHETIC, Map.of());
    AliasClasses classes = AliasClasses.of(m, Map.of());
    Plan plan = Plan.of(m, new Effects(classes, Map.of(), Map.of()), Map.of());
    return ElementDependences.of(m, plan, DistinctRows.of(m, classes));
  }

  static ElementDependences.Access access(Expr.Index ix) {
    return ElementDependences.Access.of(ix);
  }

  /** A DP table {@code r[i][j]} read at {@code r[i - 1][j]}, {@code r[i][j - 1]}, {@code r[i - 1][j - 1]}: earlier cells only. */
  @Test
  void aTableReadsOnlyCellsWrittenBefore() {
    Expr.Index write = at(R, ref(I), ref(J));
    Expr.Index up = at(R, plus(ref(I), -1), ref(J));
    Expr.Index left = at(R, ref(I), plus(ref(J), -1));
    Expr.Index diagonal = at(R, plus(ref(I), -1), plus(ref(J), -1));
    Expr.Index right = at(R, ref(I), plus(ref(J), 1));
    Stmt.Assign cell = assign(write, up, left, diagonal, right);
    ElementDependences d = of(allocate(R, ref(N), ref(N)), up(I, lit(1), ref(N), up(J, lit(1), plus(ref(N), -1), cell)));
    assertTrue(d.noEarlierRead(cell, access(write), cell, access(up)));
    assertTrue(d.noEarlierRead(cell, access(write), cell, access(left)));
    assertTrue(d.noEarlierRead(cell, access(write), cell, access(diagonal)));
    // cell (i, j - 1) read r[i][j] before (i, j) overwrites it
    assertFalse(d.noEarlierRead(cell, access(write), cell, access(right)));
  }

  /** The same table as a caller's matrix: its rows may be one array, so only the last index tells cells apart. */
  @Test
  void rowsThatMayBeSharedCountOnlyTheLastIndex() {
    Expr.Index write = at(P, ref(I), ref(J));
    Expr.Index up = at(P, plus(ref(I), -1), ref(J));
    Expr.Index left = at(P, ref(I), plus(ref(J), -1));
    Stmt.Assign cell = assign(write, up, left);
    ElementDependences d = of(up(I, lit(1), ref(N), up(J, lit(1), ref(N), cell)));
    assertFalse(d.noEarlierRead(cell, access(write), cell, access(up)), "p[i - 1] may be p[i]");
    // p[i][j - 1]: in the same row, the iterations before j read below j; in rows before, any
    // column, and a row before may be this row
    assertFalse(d.noEarlierRead(cell, access(write), cell, access(left)));
  }

  /** A forward substitution {@code z[i] -= a[i][k] z[k]}, {@code k < i}, then {@code z[i] /= ...}. */
  @Test
  void aTriangularSolveWritesBelowWhatItReads() {
    Expr.Index write = at(Z, ref(I));
    Expr.Index below = at(Z, ref(K));
    Expr.Index next = at(Z, plus(ref(K), 1));
    Stmt.Assign update = assign(write, below, next);
    Stmt.Assign divide = assign(at(Z, ref(I)), at(Z, ref(I)));
    ElementDependences d = of(allocate(Z, ref(N)), up(I, lit(0), ref(N), up(K, lit(0), ref(I), update), divide));
    assertTrue(d.noEarlierRead(update, access(write), update, access(below)));
    assertTrue(d.distinctInOneExecution(update, access(write), access(below)), "k < i");
    assertFalse(d.distinctInOneExecution(update, access(write), access(next)), "k + 1 = i at k = i - 1");
    // the division of row i comes after row i's updates; of earlier rows, it read z[i'] with i' < i
    assertTrue(d.noEarlierRead(update, access(write), divide, access(at(Z, ref(I)))));
    assertFalse(d.distinctInOneExecution(divide, access(at(Z, ref(I))), access(at(Z, ref(I)))));
  }

  /** Gauss-Seidel sweeps {@code z[i] = f(z[i - 1], z[i + 1])}: an earlier sweep read every element. */
  @Test
  void anEarlierSweepReadsTheElementAgain() {
    Expr.Index write = at(Z, ref(I));
    Expr.Index left = at(Z, plus(ref(I), -1));
    Expr.Index right = at(Z, plus(ref(I), 1));
    Stmt.Assign relax = assign(write, left, right);
    ElementDependences d = of(allocate(Z, ref(N)),
        up(S, lit(0), lit(10), up(I, lit(1), plus(ref(N), -1), relax)));
    assertFalse(d.noEarlierRead(relax, access(write), relax, access(right)), "iteration i - 1 read z[i]");
    assertFalse(d.noEarlierRead(relax, access(write), relax, access(left)), "the sweep before read z[i] at i + 1");
  }

  /** A loop that runs down: earlier iterations have larger indices. */
  @Test
  void aDescendingLoopReadsAboveIt() {
    Expr.Index write = at(Z, ref(I));
    Expr.Index above = at(Z, plus(ref(I), 1));
    Expr.Index below = at(Z, plus(ref(I), -1));
    Stmt.Assign shift = assign(write, above, below);
    ElementDependences d = of(allocate(Z, plus(ref(N), 1)), down(I, plus(ref(N), -1), shift));
    assertTrue(d.noEarlierRead(shift, access(write), shift, access(above)));
    assertFalse(d.noEarlierRead(shift, access(write), shift, access(below)), "iteration i + 1 read z[i]");
  }

  /** A loop bound by the length of an array that keeps its array: the length is a symbol like n. */
  @Test
  void aLengthBoundIsASymbol() {
    Expr.Index write = at(Z, ref(I));
    Expr.Index before = at(Z, plus(ref(I), -1));
    Expr.Index after = at(Z, plus(ref(I), 1));
    Stmt.Assign scan = assign(write, before, after);
    Stmt.For loop = up(I, lit(1), plus(new Expr.Length(ref(Z)), -1), scan);
    ElementDependences d = of(allocate(Z, ref(N)), loop);
    assertTrue(d.noEarlierRead(scan, access(write), scan, access(before)));
    assertFalse(d.noEarlierRead(scan, access(write), scan, access(after)), "iteration i - 1 read z[i]");
  }

  /** An array variable that is assigned again (a swapped buffer) holds other arrays at other times. */
  @Test
  void aReassignedArrayIsNotCompared() {
    Expr.Index write = at(Z, ref(I));
    Expr.Index below = at(Z, plus(ref(I), -1));
    Stmt.Assign shift = assign(write, below);
    Stmt.Assign swap = new Stmt.Assign(ref(Z), Stmt.AssignOp.SET, new Expr.NewArray(Type.DOUBLE_ARRAY, List.of(ref(N))),
        Origin.SYNTHETIC);
    ElementDependences d = of(allocate(Z, ref(N)), up(S, lit(0), lit(3), up(I, lit(1), ref(N), shift), swap));
    assertFalse(d.noEarlierRead(shift, access(write), shift, access(below)));
  }

  /** An index through a variable that changes in the loop (a counter) is not compared. */
  @Test
  void anIndexThroughACounterIsNotCompared() {
    Expr.Index write = at(Z, ref(K));
    Expr.Index before = at(Z, plus(ref(K), -1));
    Stmt.Assign store = assign(write, before);
    Stmt counter = new Stmt.Step(K, true, Origin.SYNTHETIC);
    ElementDependences d = of(allocate(Z, ref(N)), new Stmt.Declare(K, lit(1), Origin.SYNTHETIC),
        up(I, lit(0), plus(ref(N), -1), store, counter));
    assertFalse(d.noEarlierRead(store, access(write), store, access(before)));
  }

  static Stmt.Declare row(Var local, Var matrix, Expr index) {
    return new Stmt.Declare(local, at(matrix, index), Origin.SYNTHETIC);
  }

  /**
   * An elimination through row references, {@code rp = m[i]}, {@code rr = m[j]} with {@code j > i},
   * {@code rr[k] = 1 + rp[k]}: the references are the rows they hold, so the write is never the
   * pivot row's element, in one execution or in an earlier one.
   */
  @Test
  void rowReferencesAreComparedAsTheRowsTheyHold() {
    Expr.Index write = at(ROW, ref(K));
    Expr.Index pivot = at(PIVOT, ref(K));
    Stmt.Assign update = assign(write, pivot);
    ElementDependences d = of(allocate(R, ref(N), ref(N)),
        up(I, lit(0), ref(N), row(PIVOT, R, ref(I)),
            up(J, plus(ref(I), 1), ref(N), row(ROW, R, ref(J)), up(K, plus(ref(I), 1), ref(N), update))));
    assertTrue(d.distinctInOneExecution(update, access(write), access(pivot)));
    assertTrue(d.noEarlierRead(update, access(write), update, access(pivot)));
    // the row reference against the matrix itself: rr[k] is r[j][k], never r[i][k]
    assertTrue(d.distinctInOneExecution(update, access(write), access(at(R, ref(I), ref(K)))));
    assertFalse(d.distinctInOneExecution(update, access(write), access(at(R, ref(J), ref(K)))), "rr[k] is r[j][k]");
  }

  /** The same over a caller's matrix, whose rows may be one array: rp may be rr. */
  @Test
  void rowReferencesIntoSharedRowsStayApartOnlyByTheLastIndex() {
    Expr.Index write = at(ROW, ref(K));
    Expr.Index pivot = at(PIVOT, ref(K));
    Stmt.Assign update = assign(write, pivot);
    ElementDependences d = of(up(I, lit(0), ref(N), row(PIVOT, P, ref(I)),
        up(J, plus(ref(I), 1), ref(N), row(ROW, P, ref(J)), up(K, plus(ref(I), 1), ref(N), update))));
    assertFalse(d.distinctInOneExecution(update, access(write), access(pivot)));
  }

  /** A row reference assigned again, or taken at a counter's value, is not resolved. */
  @Test
  void aRowReferenceThatChangesIsNotResolved() {
    Expr.Index write = at(ROW, ref(K));
    Expr.Index pivot = at(PIVOT, ref(K));
    Stmt.Assign update = assign(write, pivot);
    Stmt.Assign again = new Stmt.Assign(ref(ROW), Stmt.AssignOp.SET, at(R, ref(I)), Origin.SYNTHETIC);
    ElementDependences reassigned = of(allocate(R, ref(N), ref(N)),
        up(I, lit(0), ref(N), row(PIVOT, R, ref(I)),
            up(J, plus(ref(I), 1), ref(N), row(ROW, R, ref(J)), up(K, plus(ref(I), 1), ref(N), update), again)));
    assertFalse(reassigned.distinctInOneExecution(update, access(write), access(pivot)), "rr = r[i] in a later iteration");
    Stmt counter = new Stmt.Step(S, true, Origin.SYNTHETIC);
    ElementDependences counted = of(allocate(R, ref(N), ref(N)), new Stmt.Declare(S, lit(1), Origin.SYNTHETIC),
        up(I, lit(0), ref(N), row(PIVOT, R, ref(I)),
            up(J, plus(ref(I), 1), ref(N), row(ROW, R, ref(S)), up(K, plus(ref(I), 1), ref(N), update), counter)));
    assertFalse(counted.distinctInOneExecution(update, access(write), access(pivot)), "s may be i");
  }

  static Expr times(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.MUL, a, b, Type.INT);
  }

  static Expr sum(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.ADD, a, b, Type.INT);
  }

  /**
   * A flat DP table {@code z[i * ld + j]} with a stride declared {@code int ld = n + 1} and {@code
   * j <= n}: the column stays within the stride by the stride's definition, so the cells read,
   * {@code z[(i - 1) * ld + j]} and {@code z[i * ld + j - 1]}, are earlier ones.
   */
  @Test
  void aFlatTablesStrideIsKnownByItsDefinition() {
    Expr.Index write = at(Z, sum(times(ref(I), ref(LD)), ref(J)));
    Expr.Index up = at(Z, sum(times(plus(ref(I), -1), ref(LD)), ref(J)));
    Expr.Index left = at(Z, plus(sum(times(ref(I), ref(LD)), ref(J)), -1));
    Expr.Index next = at(Z, plus(sum(times(ref(I), ref(LD)), ref(J)), 1));
    Stmt.Assign cell = assign(write, up, left, next);
    Stmt.For loops = up(I, lit(1), plus(ref(N), 1), up(J, lit(1), plus(ref(N), 1), cell));
    ElementDependences d = of(new Stmt.Declare(LD, plus(ref(N), 1), Origin.SYNTHETIC),
        allocate(Z, times(plus(ref(N), 1), ref(LD))), loops);
    assertTrue(d.noEarlierRead(cell, access(write), cell, access(up)));
    assertTrue(d.noEarlierRead(cell, access(write), cell, access(left)));
    assertFalse(d.noEarlierRead(cell, access(write), cell, access(next)), "cell j - 1 read z[i * ld + j]");
    // with a stride one short, the last column of a row is the first of the next
    ElementDependences tight = of(new Stmt.Declare(LD, ref(N), Origin.SYNTHETIC),
        allocate(Z, times(plus(ref(N), 1), ref(LD))), loops);
    assertFalse(tight.noEarlierRead(cell, access(write), cell, access(up)));
  }

  /**
   * An elimination's update from the pivot column on, {@code rr[k]} for {@code k} from {@code i},
   * against the multiplier's read {@code rr[i]} before its loop: they meet only in the loop's first
   * iteration. From {@code i - 1} on they meet in the second.
   */
  @Test
  void anUpdateFromThePivotColumnMeetsTheMultipliersReadInItsFirstIterationOnly() {
    Expr.Index write = at(ROW, ref(K));
    Expr.Index pivot = at(ROW, ref(I));
    Stmt.Assign reads = assign(at(Z, lit(0)), pivot);
    Stmt.Assign update = assign(write, at(PIVOT, ref(K)));
    Stmt.For fromPivot = up(K, ref(I), ref(N), update);
    ElementDependences d = of(allocate(R, ref(N), ref(N)), allocate(Z, ref(N)),
        up(I, lit(0), ref(N), row(PIVOT, R, ref(I)),
            up(J, plus(ref(I), 1), ref(N), row(ROW, R, ref(J)), reads, fromPivot)));
    assertFalse(d.noEarlierRead(update, access(write), reads, access(pivot)));
    assertTrue(d.noEarlierReadExceptAt(update, access(write), reads, access(pivot), fromPivot, ref(I), 0));
    Stmt.Assign update2 = assign(at(ROW, ref(K)), at(PIVOT, ref(K)));
    Stmt.Assign reads2 = assign(at(Z, lit(0)), at(ROW, ref(I)));
    Stmt.For fromBefore = up(K, plus(ref(I), -1), ref(N), update2);
    ElementDependences before = of(allocate(R, ref(N), ref(N)), allocate(Z, ref(N)),
        up(I, lit(1), ref(N), row(PIVOT, R, ref(I)),
            up(J, plus(ref(I), 1), ref(N), row(ROW, R, ref(J)), reads2, fromBefore)));
    assertFalse(before.noEarlierReadExceptAt(update2, access(at(ROW, ref(K))), reads2,
        access(at(ROW, ref(I))), fromBefore, plus(ref(I), -1), 0), "k = i in the second iteration");
    // nor only in the iteration k = i: k = i - 1 overwrites rr[i - 1], which the multiplier of the
    // step before read
    assertFalse(before.noEarlierReadExceptAt(update2, access(at(ROW, ref(K))), reads2,
        access(at(ROW, ref(I))), fromBefore, ref(I), 0));
  }

  /**
   * A scan down the columns of a flat table through an index local, {@code int idx = i * n + j;
   * z[idx] = f(z[idx - n])} over {@code i} inside a loop over {@code j}: the local is the expression
   * it holds, and the cell read is the one above, written before. Assigned again, it is not.
   */
  @Test
  void anIndexLocalIsTheExpressionItHolds() {
    Expr.Index write = at(Z, ref(IDX));
    Expr.Index above = at(Z, new Expr.Binary(Expr.BinaryOp.SUB, ref(IDX), ref(N), Type.INT));
    Stmt.Assign cell = assign(write, above);
    Stmt.Declare idx = new Stmt.Declare(IDX, sum(times(ref(I), ref(N)), ref(J)), Origin.SYNTHETIC);
    ElementDependences d = of(allocate(Z, times(ref(N), ref(N))),
        up(J, lit(0), ref(N), up(I, lit(1), ref(N), idx, cell)));
    assertTrue(d.noEarlierRead(cell, access(write), cell, access(above)));
    Stmt.Assign again = new Stmt.Assign(ref(IDX), Stmt.AssignOp.SET, ref(J), Origin.SYNTHETIC);
    ElementDependences reassigned = of(allocate(Z, times(ref(N), ref(N))),
        up(J, lit(0), ref(N), up(I, lit(1), ref(N), idx, cell, again)));
    assertFalse(reassigned.noEarlierRead(cell, access(write), cell, access(above)));
  }
}
