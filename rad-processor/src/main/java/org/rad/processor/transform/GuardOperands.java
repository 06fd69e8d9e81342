package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Expr.Owner;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Chooses which operand the test of each guarded product of a finished reverse sweep reads.
 *
 * <p>A guarded product {@code seed * partial} is 0 where the seed is 0, even if the partial is
 * infinite. The runtime offers the same number from two tests: {@code Derivatives.times(seed,
 * partial)} tests whether the seed is 0, {@code Derivatives.scaled(seed, partial)} whether the
 * partial is finite. A test costs a branch, and a branch that goes either way at random costs far
 * more than one that goes the same way every time:
 *
 * <ul>
 *   <li>one test of an adjoint variable serves every product of that variable (the JIT shares it),
 *       where each partial needs its own: so an adjoint that is a variable or an element is
 *       tested, as steady as the adjoints are;
 *   <li>an adjoint that is itself a product of data ({@code adj * phi}) is 0 as often as the data
 *       make it (a randomized record restores most values as 0): its partial is tested, a primal
 *       value finite in all but pathological data;
 *   <li>so is that of a sum over data: an adjoint added into in a loop and read after it ({@code
 *       reactionBar}, the sum of {@code adj * phi} over a row that a randomized record restored, is
 *       0 in the rows that kept nothing and not in the others) and what is computed from it ({@code
 *       adj = scaled(reactionBar, dt)}), and of a helper's result adjoint in the statements its
 *       reverse runs once per call (the caller's sum); an entry's result adjoint is the caller's
 *       1.0;
 *   <li>in a loop, a partial the loop does not change is tested where its seed is tested nowhere
 *       else in the loop's body: that test leaves the loop (the JIT unswitches it).
 * </ul>
 *
 * <p>(Reverse sweeps at the quick size, ms: the randomized indexed reactor's 16.3 to 16.6 testing
 * its source term's result adjoint, 15.4 to 16.0 testing the partials instead; the randomized flat
 * reactor's 20.7 to 21.1 testing its row sum {@code reactionBar}, 19.6 to 20.5 testing {@code dt};
 * the exact sweeps unchanged. Testing the partials of every product outside loops made
 * straight-line gradients, with several partials per adjoint, 3% to 6% slower; testing every
 * partial a loop does not change added a test where the seed's was still needed.)
 */
final class GuardOperands {
  private GuardOperands() {}

  /**
   * {@code reverse} with each {@code Derivatives.times} tested on the operand chosen above; {@code
   * callersSeed} is the result adjoint of a helper's reverse (null for an entry, or a method without
   * one).
   */
  static Stmt.Block choose(Stmt.Block reverse, Var callersSeed) {
    return block(reverse, new Level(null, sums(reverse, callersSeed)));
  }

  /**
   * What a loop around a statement means for its tests: what the loop writes (a partial reading
   * none of it is the same each iteration) and the seeds its body tests anyway (in a product with
   * a partial that changes). Null outside every loop.
   */
  private record Loop(Set<Var> written, boolean opaque, Set<Expr> testedSeeds) {
    boolean invariant(Expr e) {
      return !opaque && !Exprs.any(e, x -> x instanceof Expr.Index || x instanceof Expr.MethodCall
          || x instanceof Expr.LibraryCall || x instanceof Expr.ContextCall || x instanceof Expr.Clone
          || x instanceof Expr.NewArray || x instanceof Expr.Ref r && written.contains(r.var()));
    }
  }

  private static Loop loopOf(Stmt loop, Stmt.Block body) {
    Set<Var> written = new HashSet<>();
    boolean[] opaque = {false};
    Statements.forEach(loop, x -> {
      Var v = Statements.assignedVariable(x);
      if (v != null) {
        written.add(v);
      }
      opaque[0] |= x instanceof Stmt.Opaque;
    });
    Loop partial = new Loop(written, opaque[0], Set.of());
    Set<Expr> tested = new HashSet<>();
    ownStatements(body, s -> Statements.ownExpressions(s, e -> Exprs.walk(e, x -> {
      if (isTimes(x) && steady(seed(x)) && !partial.invariant(partialOf(x))) {
        tested.add(seed(x));
      }
    })));
    return new Loop(written, opaque[0], tested);
  }

  /** Visits the statements of {@code b} and of its blocks and branches, not those of nested loops. */
  private static void ownStatements(Stmt.Block b, java.util.function.Consumer<Stmt> visitor) {
    for (Stmt s : b.stmts()) {
      visitor.accept(s);
      if (s instanceof Stmt.Block inner) {
        ownStatements(inner, visitor);
      } else if (s instanceof Stmt.If i) {
        ownStatements(i.whenTrue(), visitor);
        if (i.whenFalse() != null) {
          ownStatements(i.whenFalse(), visitor);
        }
      }
    }
  }

  private static boolean isTimes(Expr e) {
    return e instanceof Expr.StaticCall c && c.owner() == Owner.DERIVATIVES && c.name().equals("times");
  }

  private static Expr seed(Expr times) {
    return ((Expr.StaticCall) times).args().get(0);
  }

  private static Expr partialOf(Expr times) {
    return ((Expr.StaticCall) times).args().get(1);
  }

  private static boolean steady(Expr seed) {
    return seed instanceof Expr.Ref || seed instanceof Expr.Index;
  }

  /**
   * The seeds of a loop body or method body that are sums over data: adjoints added into inside a
   * loop nested in it ({@code reactionBar += times(adj, p)} over a row) and what the body computes
   * from those ({@code adj = scaled(reactionBar, dt)}), in statement order; and the helper's result
   * adjoint at its top level. A sum is read once per loop that made it, so its extra tests cost
   * nothing beside that loop.
   */
  private static Set<Var> sums(Stmt.Block body, Var callersSeed) {
    Set<Var> sums = new HashSet<>();
    ownStatements(body, s -> {
      if (s instanceof Stmt.For || s instanceof Stmt.While) {
        Statements.forEach(s, x -> {
          if (x instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r
              && (a.op() == Stmt.AssignOp.ADD || a.op() == Stmt.AssignOp.SUB)) {
            sums.add(r.var());
          }
        });
      } else if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r
          && sums.stream().anyMatch(v -> Exprs.mentions(a.value(), v))) {
        sums.add(r.var());
      }
    });
    // the helper's result adjoint itself, not what its body computes from it: its body is the hot
    // code, called per element, and a test per partial there cost more than the seed's shared
    // one (soft-dtw's softmin, three products of one seed: 3% to 6% slower)
    if (callersSeed != null) {
      sums.add(callersSeed);
    }
    return sums;
  }

  /** Where a statement is: its innermost loop (null outside loops) and the sums of that body. */
  private record Level(Loop loop, Set<Var> sums) {}

  private static Stmt.Block block(Stmt.Block b, Level level) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      out.add(statement(s, level));
    }
    return new Stmt.Block(out, b.origin());
  }

  private static Stmt statement(Stmt s, Level level) {
    if (s instanceof Stmt.Block b) {
      return block(b, level);
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(map(i.condition(), level), block(i.whenTrue(), level),
          i.whenFalse() == null ? null : block(i.whenFalse(), level), i.origin());
    }
    if (s instanceof Stmt.For f) {
      return new Stmt.For(f.init(), f.condition(), f.update(),
          block(f.body(), new Level(loopOf(f, f.body()), sums(f.body(), null))), f.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(w.condition(), block(w.body(), new Level(loopOf(w, w.body()), sums(w.body(), null))),
          w.origin());
    }
    return Statements.mapExpressions(Stmt.Block.of(List.of(s)), e -> guard(e, level)).stmts().get(0);
  }

  private static Expr map(Expr e, Level level) {
    return e == null ? null : guard(Exprs.mapChildren(e, x -> map(x, level)), level);
  }

  private static Expr guard(Expr e, Level level) {
    if (!isTimes(e)) {
      return e;
    }
    Expr seed = seed(e);
    Loop loop = level.loop();
    boolean testPartial;
    if (!steady(seed) || seed instanceof Expr.Ref r && level.sums().contains(r.var())) {
      testPartial = true;
    } else if (loop == null) {
      testPartial = false;
    } else {
      testPartial = loop.invariant(partialOf(e)) && !loop.testedSeeds().contains(seed);
    }
    return testPartial ? new Expr.StaticCall(Owner.DERIVATIVES, "scaled", ((Expr.StaticCall) e).args(), e.type()) : e;
  }
}
