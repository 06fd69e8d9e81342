package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link DistinctRows} on hand-built IR: which matrices' rows are distinct objects. */
class DistinctRowsTest {
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var GIVEN = new Var("given", Type.DOUBLE_MATRIX, Var.Kind.PARAMETER);
  static final Var PHI = Var.local("phi", Type.DOUBLE_MATRIX);
  static final Var NEXT = Var.local("next", Type.DOUBLE_MATRIX);
  static final Var TMP = Var.local("tmp", Type.DOUBLE_MATRIX);
  static final Var ROW = Var.local("row", Type.DOUBLE_ARRAY);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Stmt declare(Var v, Expr init) {
    return new Stmt.Declare(v, init, Origin.SYNTHETIC);
  }

  static Stmt assign(Var v, Expr value) {
    return new Stmt.Assign(ref(v), Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  static Expr matrix(Expr... dims) {
    return new Expr.NewArray(Type.DOUBLE_MATRIX, List.of(dims));
  }

  static DistinctRows rows(Stmt... body) {
    MethodIR m = new MethodIR("f", true, List.of(N, GIVEN), Type.DOUBLE, Stmt.Block.of(List.of(body)),
        List.of(PHI, NEXT, TMP, ROW), List.of(), true, Origin.SYNTHETIC, Map.of());
    return DistinctRows.of(m, AliasClasses.of(m, Map.of()));
  }

  /** Two full allocations swapped each step, and a row reference into one: rows stay distinct. */
  @Test
  void freshMatricesSwappedAndRowReferences() {
    DistinctRows r = rows(declare(PHI, matrix(ref(N), ref(N))), declare(NEXT, matrix(ref(N), ref(N))),
        declare(TMP, ref(PHI)), assign(PHI, ref(NEXT)), assign(NEXT, ref(TMP)),
        declare(ROW, new Expr.Index(ref(NEXT), Expr.Literal.ofInt(1))));
    assertTrue(r.distinct("phi"));
    assertTrue(r.distinct("next"));
    assertTrue(r.distinct("row"), "a row reference joins its matrix's class");
  }

  /** A parameter's rows are the caller's: any of them may be one array. */
  @Test
  void aParameterSharesItsClass() {
    DistinctRows r = rows(declare(PHI, matrix(ref(N), ref(N))), declare(NEXT, ref(GIVEN)), declare(TMP, ref(PHI)),
        assign(PHI, ref(NEXT)));
    assertFalse(r.distinct("phi"));
    assertFalse(r.distinct("next"));
  }

  /** {@code new double[n][]} leaves the rows to later stores. */
  @Test
  void aPartialAllocation() {
    assertFalse(rows(declare(PHI, matrix(ref(N)))).distinct("phi"));
    assertTrue(rows(declare(PHI, matrix(ref(N), ref(N)))).distinct("phi"));
  }

  /** A helper's result, or a matrix handed to a method outside the subset, may share rows. */
  @Test
  void callResultsAndCallsOutsideTheSubset() {
    Expr helper = new Expr.MethodCall("grid", "grid(int)", null, List.of(ref(N)), Type.DOUBLE_MATRIX, Origin.SYNTHETIC);
    assertFalse(rows(declare(PHI, helper)).distinct("phi"));
    Stmt outside = new Stmt.Call(new Expr.StaticCall(Expr.Owner.USER, "fill", List.of(ref(PHI)), Type.VOID),
        Origin.SYNTHETIC);
    assertFalse(rows(declare(PHI, matrix(ref(N), ref(N))), outside).distinct("phi"));
    // a method of the class (in the subset, where row stores are rejected) only reads or writes elements
    Stmt inside = new Stmt.Call(new Expr.MethodCall("sum", "sum(double[][])", null, List.of(ref(PHI)), Type.DOUBLE,
        Origin.SYNTHETIC), Origin.SYNTHETIC);
    assertTrue(rows(declare(PHI, matrix(ref(N), ref(N))), inside).distinct("phi"));
  }

  @Test
  void notANestedArray() {
    assertFalse(rows().distinct(null));
  }
}
