package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** {@link IndexFormulas} on hand-built IR: which calls become their formula. */
class IndexFormulasTest {
  static final Var I = new Var("i", Type.INT, Var.Kind.PARAMETER);
  static final Var J = new Var("j", Type.INT, Var.Kind.PARAMETER);
  static final Var N = new Var("n", Type.INT, Var.Kind.PARAMETER);
  static final Var A = new Var("a", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var X = new Var("x", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var K = Var.local("k", Type.INT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr add(Expr l, Expr r) {
    return new Expr.Binary(Expr.BinaryOp.ADD, l, r, Type.INT);
  }

  static Expr mul(Expr l, Expr r) {
    return new Expr.Binary(Expr.BinaryOp.MUL, l, r, Type.INT);
  }

  /** static int idx(int i, int j, int n) { return i * (n + 1) + j; } */
  static MethodIR idx() {
    Expr formula = add(mul(ref(I), add(ref(N), Expr.Literal.ofInt(1))), ref(J));
    return new MethodIR("idx", true, List.of(I, J, N), Type.INT, Stmt.Block.of(List.of(new Stmt.Return(formula,
        Origin.SYNTHETIC))), List.of(), List.of(), false, Origin.SYNTHETIC, Map.of());
  }

  static Expr call(String key, Expr... args) {
    return new Expr.MethodCall("idx", key, null, List.of(args), Type.INT, Origin.SYNTHETIC);
  }

  /** double f(double[] a, int n, double x) { a[<index>] = x; return x; } */
  static MethodIR caller(Expr index) {
    Stmt store = new Stmt.Assign(new Expr.Index(ref(A), index), Stmt.AssignOp.SET, ref(X), Origin.SYNTHETIC);
    return new MethodIR("f", true, List.of(A, N, X), Type.DOUBLE, Stmt.Block.of(List.of(store,
        new Stmt.Return(ref(X), Origin.SYNTHETIC))), List.of(K), List.of(X), true, Origin.SYNTHETIC, Map.of());
  }

  static String storedIndex(Map<String, MethodIR> methods) {
    Stmt.Assign store = (Stmt.Assign) methods.get("f").body().stmts().get(0);
    return IrText.of(((Expr.Index) store.target()).index());
  }

  static Map<String, MethodIR> inline(MethodIR helper, Expr index) {
    Map<String, MethodIR> methods = new LinkedHashMap<>();
    methods.put("idx", helper);
    methods.put("f", caller(index));
    return IndexFormulas.inline(methods);
  }

  @Test
  void anIndexHelperBecomesItsFormulaWithTheArguments() {
    Expr index = call("idx", add(ref(K), Expr.Literal.ofInt(1)), ref(K), ref(N));
    assertEquals(IrText.of(add(mul(add(ref(K), Expr.Literal.ofInt(1)), add(ref(N), Expr.Literal.ofInt(1))), ref(K))),
        storedIndex(inline(idx(), index)));
  }

  @Test
  void nestedHelpersBecomeNestedFormulas() {
    Expr index = call("idx", call("idx", ref(K), ref(K), ref(N)), ref(K), ref(N));
    // the inner call becomes its formula first (bottom-up); the outer one then takes that formula
    assertEquals(IrText.of(add(mul(add(mul(ref(K), add(ref(N), Expr.Literal.ofInt(1))), ref(K)),
        add(ref(N), Expr.Literal.ofInt(1))), ref(K))), storedIndex(inline(idx(), index)));
  }

  @Test
  void aHelperThatReadsAnArrayOrHasTwoStatementsIsNotAFormula() {
    Expr reads = new Expr.Cast(Type.INT, new Expr.Index(ref(A), ref(I)));
    MethodIR readsArray = new MethodIR("idx", true, List.of(I, A), Type.INT, Stmt.Block.of(List.of(new Stmt.Return(reads,
        Origin.SYNTHETIC))), List.of(), List.of(), false, Origin.SYNTHETIC, Map.of());
    Expr index = call("idx", ref(K), ref(A));
    assertEquals(IrText.of(index), storedIndex(inline(readsArray, index)));
    MethodIR twoStatements = new MethodIR("idx", true, List.of(I, J, N), Type.INT, Stmt.Block.of(List.of(
        new Stmt.Assign(ref(I), Stmt.AssignOp.ADD, Expr.Literal.ofInt(1), Origin.SYNTHETIC),
        new Stmt.Return(ref(I), Origin.SYNTHETIC))), List.of(), List.of(), false, Origin.SYNTHETIC, Map.of());
    Expr plain = call("idx", ref(K), ref(K), ref(N));
    assertEquals(IrText.of(plain), storedIndex(inline(twoStatements, plain)));
  }
}
