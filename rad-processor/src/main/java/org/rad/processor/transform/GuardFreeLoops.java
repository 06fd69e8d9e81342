package org.rad.processor.transform;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Expr.Owner;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Versions an innermost reverse loop on the finiteness of the partials of its guarded products that
 * the loop does not change: where all of them are finite, the loop runs with those products plain.
 *
 * <p>A guarded product ({@code Derivatives.times(adj, p)}, or {@code scaled}) is 0 where the
 * adjoint is 0 even if the partial is infinite or not a number; where the partial is finite, it is
 * {@code adj * p} (up to the sign of a zero). Its test is a branch per product in the hottest code
 * there is: a stencil's reverse multiplies one adjoint by {@code r}, by {@code reaction} and by
 * the element {@code p}, three tests per element, which the JIT neither merges nor hoists while one
 * of them reads the element. Where a loop tests an adjoint variable for a partial that changes
 * ({@code times(adj, p)}) and multiplies it by a partial the loop does not change too ({@code r},
 * {@code dt * c}: no element, no call, no variable the loop sets), every such partial is tested
 * once, before the loop ({@code if (Derivatives.finite(r) && Derivatives.finite(reaction)) {
 * plain } else { as before }}). Where an invariant partial's product is the only test of its
 * adjoint in the loop, {@link GuardOperands} tests the partial instead, a test the JIT takes out of
 * the loop itself; such a loop is left as it is.
 *
 * <p>A partial that changes ({@code p = mid[j]}) keeps its guard. Checking such elements before the
 * loop takes a scan of the row, and on the rows-hoisted reactor (quick size, gradient / primal in
 * one JVM each, three runs) the scan cost what the plain product saved: 2.92 to 2.95 as before;
 * 3.00 to 3.04 with the invariant partials checked and the rows scanned; 2.78 to 2.80 with the
 * invariant partials checked only; 2.75 to 2.77 with no test at all (not sound).
 *
 * <p>The loop's body must hold no loop of its own and no opaque user text; its products may sit
 * anywhere in it, the test being made once whatever path each iteration takes.
 */
final class GuardFreeLoops extends LoopRewriter {
  private GuardFreeLoops() {}

  /** {@code reverse} with each innermost loop versioned as above where one of its partials can be tested before it. */
  static Stmt.Block version(Stmt.Block reverse) {
    return new GuardFreeLoops().block(reverse);
  }

  @Override
  protected boolean rewrites(Stmt.For f) {
    boolean[] innermost = {true};
    Statements.forEach(f.body(), s -> innermost[0] &= !(s instanceof Stmt.For || s instanceof Stmt.While
        || s instanceof Stmt.Opaque));
    return innermost[0];
  }

  @Override
  protected void loop(Stmt.For f, List<Stmt> out) {
    Set<String> written = new HashSet<>();
    Statements.forEach(f, s -> {
      Var v = Statements.assignedVariable(s);
      if (v != null) {
        written.add(v.name());
      }
    });
    // the seeds the loop tests anyway, in a product with a partial that changes
    Set<Expr> seedsTested = new HashSet<>();
    Set<Expr> seedsOfInvariants = new HashSet<>();
    Statements.forEach(f.body(), s -> Statements.ownExpressions(s, e -> Exprs.walk(e, x -> {
      if (MathRules.isGuardedProduct(x)) {
        List<Expr> args = ((Expr.StaticCall) x).args();
        (invariant(unnegated(args.get(1)), written) ? seedsOfInvariants : seedsTested).add(args.get(0));
      }
    })));
    seedsOfInvariants.retainAll(seedsTested);
    if (seedsOfInvariants.stream().noneMatch(seed -> seed instanceof Expr.Ref || seed instanceof Expr.Index)) {
      out.add(f); // each invariant partial's test is its product's only one: GuardOperands tests the partial
      return;
    }
    Set<Expr> tested = new LinkedHashSet<>();
    Stmt.Block plain = Statements.mapExpressions(f.body(), x -> {
      if (!MathRules.isGuardedProduct(x)) {
        return x;
      }
      List<Expr> args = ((Expr.StaticCall) x).args();
      Expr partial = unnegated(args.get(1));
      if (!invariant(partial, written)) {
        return x;
      }
      if (!(partial instanceof Expr.Literal lit && finiteLiteral(lit))) {
        tested.add(partial);
      }
      return new Expr.Binary(Expr.BinaryOp.MUL, args.get(0), args.get(1), Type.DOUBLE);
    });
    Stmt.For unguarded = new Stmt.For(f.init(), f.condition(), f.update(), plain, f.origin());
    if (tested.isEmpty()) { // finite constants only
      out.add(unguarded);
      return;
    }
    Expr test = null;
    for (Expr p : tested) {
      Expr t = new Expr.StaticCall(Owner.DERIVATIVES, "finite", List.of(p), Type.BOOLEAN);
      test = test == null ? t : Exprs.and(test, t);
    }
    out.add(new Stmt.If(test, Stmt.Block.of(List.of(unguarded)), Stmt.Block.of(List.of(f)), Origin.SYNTHETIC));
  }

  /**
   * Whether {@code e} is a double with the same value in every iteration of a loop that sets {@code
   * written}, and evaluating it before the loop can neither throw nor change anything: no element,
   * length or field (a call or a restore in the loop may write a field, which {@code written} does
   * not name), no call but {@code Math}'s and the runtime's derivatives, no integer division.
   */
  private static boolean invariant(Expr e, Set<String> written) {
    return e.type() == Type.DOUBLE && !Exprs.any(e, x -> x instanceof Expr.Index || x instanceof Expr.Length
        || x instanceof Expr.Dim || x instanceof Expr.MethodCall || x instanceof Expr.LibraryCall
        || x instanceof Expr.ContextCall || x instanceof Expr.Clone || x instanceof Expr.NewArray
        || x instanceof Expr.ArrayLiteral || x instanceof Expr.FieldRead
        || x instanceof Expr.StaticCall c && c.owner() != Owner.MATH && c.owner() != Owner.DERIVATIVES
        || x instanceof Expr.Binary b && (b.op() == Expr.BinaryOp.DIV || b.op() == Expr.BinaryOp.REM)
            && b.type() != Type.DOUBLE
        || x instanceof Expr.Ref r && written.contains(r.var().name()));
  }

  private static Expr unnegated(Expr partial) {
    while (partial instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      partial = u.operand();
    }
    return partial;
  }

  private static boolean finiteLiteral(Expr.Literal lit) {
    try {
      return Double.isFinite(Double.parseDouble(lit.text()));
    } catch (NumberFormatException e) {
      return false;
    }
  }

}
