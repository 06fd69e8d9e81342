package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * {@link RestoredParameters} on hand-built IR: a helper restores an array parameter only where a
 * caller needs the argument's contents after the call's reverse sweep (its key pending before
 * the call), and keeps every restore where it cannot tell.
 */
class RestoredParametersTest {
  static final Var OUT = new Var("out", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var SRC = new Var("src", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var X = new Var("x", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var M = new Var("m", Type.DOUBLE_MATRIX, Var.Kind.PARAMETER);
  static final Var T = Var.local("t", Type.DOUBLE_ARRAY);

  /** {@code fill(out, src)}: a helper (no {@code @Differentiable}) that writes {@code out}. */
  static final MethodIR FILL = new MethodIR("fill", true, List.of(OUT, SRC), Type.VOID, Stmt.Block.of(List.of()),
      List.of(), List.of(), false, Origin.SYNTHETIC, Map.of());

  static Stmt.Call callFill(Expr out, Expr src) {
    return new Stmt.Call(new Expr.MethodCall("fill", "fill", null, List.of(out, src), Type.VOID, Origin.SYNTHETIC),
        Origin.SYNTHETIC);
  }

  static MethodIR caller(Stmt... body) {
    return new MethodIR("f", true, List.of(X, M), Type.DOUBLE, Stmt.Block.of(List.of(body)), List.of(T), List.of(X),
        true, Origin.SYNTHETIC, Map.of());
  }

  static Set<String> restored(MethodIR caller, Map<Stmt, Set<String>> pendingAtCalls, Set<String> fixed,
      boolean fillIsEntry) {
    Map<String, MethodIR> methods = new LinkedHashMap<>();
    methods.put("f", caller);
    methods.put("fill", fillIsEntry
        ? new MethodIR("fill", true, FILL.params(), Type.VOID, FILL.body(), List.of(), List.of(OUT), true,
            Origin.SYNTHETIC, Map.of())
        : FILL);
    Map<String, AliasClasses> aliases = Map.of("f", AliasClasses.of(caller, Map.of()), "fill",
        AliasClasses.of(FILL, Map.of()));
    Map<String, Map<Stmt, Set<String>>> pending = pendingAtCalls == null ? Map.of() : Map.of("f", pendingAtCalls);
    return RestoredParameters.of(methods, aliases, pending, fixed).get("fill");
  }

  static Stmt.Declare allocateT() {
    return new Stmt.Declare(T, new Expr.NewArray(Type.DOUBLE_ARRAY, List.of(Expr.Literal.ofInt(3))), Origin.SYNTHETIC);
  }

  @Test
  void anArgumentNotPendingBeforeTheCallIsNotRestored() {
    Stmt.Call call = callFill(new Expr.Ref(T), new Expr.Ref(X));
    assertEquals(Set.of(), restored(caller(allocateT(), call), Map.of(call, Set.of()), Set.of(), false));
    assertEquals(Set.of("src"), restored(caller(allocateT(), call), Map.of(call, Set.of("#x")), Set.of(), false),
        "the caller gives x back to its own caller: fill must give src back");
    assertEquals(Set.of("out", "src"), restored(caller(allocateT(), call), Map.of(call, Set.of("#t", "#x")), Set.of(),
        false), "the reverse of the caller's earlier statements reads t");
    Stmt.Call row = callFill(new Expr.Index(new Expr.Ref(M), Expr.Literal.ofInt(0)), new Expr.Ref(X));
    assertEquals(Set.of(), restored(caller(row), Map.of(row, Set.of()), Set.of(), false),
        "a row of a matrix whose contents nothing reads is the matrix's: not needed");
  }

  @Test
  void whereTheCallerCannotTellEveryParameterIsRestored() {
    Stmt.Call call = callFill(new Expr.Ref(T), new Expr.Ref(X));
    Set<String> all = Set.of("out", "src");
    assertEquals(all, restored(caller(allocateT(), call), null, Set.of(), false), "no plan of the caller");
    assertEquals(all, restored(caller(allocateT(), call), Map.of(call, Set.of()), Set.of("f"), false),
        "a caller with sampled records keeps the plain contract");
    assertEquals(Set.of(), restored(caller(allocateT(), call), Map.of(call, Set.of()), Set.of(), true),
        "a @Differentiable method is asked like any other: its gradient method copies the final contents back");
    Stmt.Call row = callFill(new Expr.Index(new Expr.Ref(M), Expr.Literal.ofInt(0)), new Expr.Ref(X));
    assertEquals(Set.of("out"), restored(caller(row), Map.of(row, Set.of("#m")), Set.of(), false),
        "a row of a matrix whose contents the caller reads");
    Stmt.Call call2 = callFill(new Expr.Clone(new Expr.Ref(T)), new Expr.Ref(X));
    assertEquals(Set.of("out"), restored(caller(allocateT(), call2), Map.of(call2, Set.of()), Set.of(), false),
        "an argument that is neither a variable nor a row of one");
    // a call that is not its statement's whole expression: the planner saw no call there
    Stmt.If guarded = new Stmt.If(new Expr.Binary(Expr.BinaryOp.LT, Expr.Literal.ofInt(0), Expr.Literal.ofInt(1),
        Type.BOOLEAN), Stmt.Block.of(List.of(call)), null, Origin.SYNTHETIC);
    assertEquals(all, restored(caller(allocateT(), guarded), Map.of(), Set.of(), false), "a call the planner missed");
  }
}
