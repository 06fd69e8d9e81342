package org.rad.processor.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@link Plan#derivesFromResult} on hand-built IR: {@code y = tanh(x)}, {@code exp}, {@code sqrt}
 * take their derivative from {@code y} exactly when {@code x} reads a value the method overwrites,
 * and never from a sampled {@code y}.
 */
class ResultDerivativesTest {
  static final Var X = new Var("x", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var H = new Var("h", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var A = Var.local("a", Type.DOUBLE);
  static final Var Y = Var.local("y", Type.DOUBLE);
  static final Var I = Var.local("i", Type.INT);

  static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  static Expr call(String f, Expr x) {
    return new Expr.StaticCall(Expr.Owner.MATH, f, List.of(x), Type.DOUBLE);
  }

  static Stmt.Assign set(Expr target, Expr value) {
    return new Stmt.Assign(target, Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  static Plan plan(List<Stmt> body, List<Var> locals, Set<String> sampled) {
    MethodIR m = new MethodIR("f", true, List.of(X, H), Type.DOUBLE, Stmt.Block.of(body), locals, List.of(X), true,
        Origin.SYNTHETIC, Map.of());
    AliasClasses classes = AliasClasses.of(m, Map.of());
    return Plan.of(m, new Effects(classes, Map.of(), Map.of()), Map.of(), sampled);
  }

  /** for (i = 0; i < 3; i++) { a = x * i; a = a + 1; h[i] = f(a); } */
  static List<Stmt> loopOverA(Stmt.Assign use) {
    Stmt.Declare i = new Stmt.Declare(I, Expr.Literal.ofInt(0), Origin.SYNTHETIC);
    Expr cond = new Expr.Binary(Expr.BinaryOp.LT, ref(I), Expr.Literal.ofInt(3), Type.BOOLEAN);
    Stmt.Block body = Stmt.Block.of(List.of(
        set(ref(A), new Expr.Binary(Expr.BinaryOp.MUL, ref(X), new Expr.Cast(Type.DOUBLE, ref(I)), Type.DOUBLE)),
        set(ref(A), new Expr.Binary(Expr.BinaryOp.ADD, ref(A), Expr.Literal.ofDouble(1), Type.DOUBLE)),
        use));
    return List.of(new Stmt.Declare(A, Expr.Literal.ofDouble(0), Origin.SYNTHETIC),
        new Stmt.For(List.of(i), cond, List.of(new Stmt.Step(I, true, Origin.SYNTHETIC)), body, Origin.SYNTHETIC));
  }

  @Test
  void anOverwrittenArgumentGivesWayToTheResult() {
    for (String f : List.of("tanh", "exp", "sqrt")) {
      Stmt.Assign use = set(new Expr.Index(ref(H), ref(I)), call(f, ref(A)));
      assertTrue(plan(loopOverA(use), List.of(A, I), Set.of()).derivesFromResult(use), f);
    }
  }

  /** The choice follows the table: exactly the unary entries of MathRules with a partial from the result. */
  @Test
  void everyEntryOfTheTableWithAPartialFromTheResultAndNoOther() {
    for (org.rad.processor.ir.MathRules.Rule r : org.rad.processor.ir.MathRules.all()) {
      if (r.arity() != 1) {
        continue;
      }
      Stmt.Assign use = set(new Expr.Index(ref(H), ref(I)), call(r.name(), ref(A)));
      assertEquals(r.resultPartial() != null, plan(loopOverA(use), List.of(A, I), Set.of()).derivesFromResult(use), r.name());
    }
  }

  @Test
  void anArgumentThatStaysAvailableIsUsed() {
    Stmt.Declare y = new Stmt.Declare(Y, call("tanh", new Expr.Binary(Expr.BinaryOp.MUL, ref(X), ref(X), Type.DOUBLE)),
        Origin.SYNTHETIC);
    assertFalse(plan(List.of(y), List.of(Y), Set.of()).derivesFromResult(y), "x is a parameter nothing writes");
  }

  @Test
  void otherFunctionsAndSampledResultsAreNotDerivedFromTheResult() {
    Stmt.Assign sin = set(new Expr.Index(ref(H), ref(I)), call("sin", ref(A)));
    assertFalse(plan(loopOverA(sin), List.of(A, I), Set.of()).derivesFromResult(sin), "sin' is not a function of sin");
    Stmt.Assign tanh = set(new Expr.Index(ref(H), ref(I)), call("tanh", ref(A)));
    Plan plain = plan(loopOverA(tanh), List.of(A, I), Set.of());
    assertTrue(plain.derivesFromResult(tanh));
    String hContents = AliasClasses.of(new MethodIR("f", true, List.of(X, H), Type.DOUBLE, Stmt.Block.of(loopOverA(tanh)),
        List.of(A, I), List.of(X), true, Origin.SYNTHETIC, Map.of()), Map.of()).contentsKey("h");
    assertFalse(plan(loopOverA(tanh), List.of(A, I), Set.of(hContents)).derivesFromResult(tanh),
        "1 - y^2 of a sampled y is biased");
  }

  /** for (i = 0; i < 3; i++) { h[i] = f(arg); } */
  static List<Stmt> loopOver(Stmt.Assign use) {
    Stmt.Declare i = new Stmt.Declare(I, Expr.Literal.ofInt(0), Origin.SYNTHETIC);
    Expr cond = new Expr.Binary(Expr.BinaryOp.LT, ref(I), Expr.Literal.ofInt(3), Type.BOOLEAN);
    return List.of(new Stmt.For(List.of(i), cond, List.of(new Stmt.Step(I, true, Origin.SYNTHETIC)),
        Stmt.Block.of(List.of(use)), Origin.SYNTHETIC));
  }

  static Expr bin(Expr.BinaryOp op, Expr l, Expr r) {
    return new Expr.Binary(op, l, r, Type.DOUBLE);
  }

  /**
   * Found by user-style rounds (a max-shifted softmax, an attention layer): {@code h[i] =
   * exp(h[i] - x)} in place recorded the pre-exp values although exp' is its result, because its
   * argument read the target's array in more than the bare element. An argument linear in that
   * array (its partials by those elements read none of them) now takes the partial from the
   * result; one whose partials read them does not (the old value would be needed in the same
   * statement's reverse as the new one).
   */
  @Test
  void inPlaceWithAnArgumentLinearInTheTargetsArray() {
    Expr hi = new Expr.Index(ref(H), ref(I));
    Expr shifted = bin(Expr.BinaryOp.SUB, hi, ref(X));
    Expr scaled = bin(Expr.BinaryOp.ADD, bin(Expr.BinaryOp.MUL, Expr.Literal.ofDouble(2), hi),
        bin(Expr.BinaryOp.DIV, hi, Expr.Literal.ofDouble(3)));
    for (Expr arg : List.of(shifted, scaled)) {
      Stmt.Assign use = set(hi, call("exp", arg));
      assertTrue(plan(loopOver(use), List.of(I), Set.of()).derivesFromResult(use), arg.toString());
    }
    // (x * h[i]: the partial by x is h[i], the old value; found by the fuzzer, seed 4242, P3607,
    // where an earlier form of this rule took it and gave a wrong gradient)
    for (Expr arg : List.of(bin(Expr.BinaryOp.MUL, hi, hi), bin(Expr.BinaryOp.DIV, ref(X), hi),
        call("sin", hi), bin(Expr.BinaryOp.ADD, hi, bin(Expr.BinaryOp.MUL, ref(X), hi)),
        bin(Expr.BinaryOp.DIV, hi, ref(X)))) {
      Stmt.Assign use = set(hi, call("exp", arg));
      assertFalse(plan(loopOver(use), List.of(I), Set.of()).derivesFromResult(use), arg.toString());
    }
  }
}
