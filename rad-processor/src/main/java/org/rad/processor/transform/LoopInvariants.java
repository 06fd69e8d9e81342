package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Hoists the loop-invariant primal reads out of the innermost loops of a reverse sweep: in
 *
 * <pre>
 *   for (j = n; j >= 0; j--) {
 *     d = phi[i][j] - (sinPi[i] + wave * sin2Pi[i]) * sinPi[j];
 *     phiBar[i][j] += errorBar * d * 2.0;
 *   }
 * </pre>
 *
 * the factor {@code (sinPi[i] + wave * sin2Pi[i])} is the same in every iteration, but the JIT
 * must reload it after each store into {@code phiBar[i]}, a {@code double[]} that might be
 * {@code sinPi} as far as it knows, and such a loop does not vectorize. The processor knows
 * better: adjoint arrays are never primal arrays, and the reverse sweep writes primal arrays only
 * where it restores them. So a double subexpression that reads primal array elements is computed
 * once before the loop when nothing the loop writes can change it: no variable it reads and no
 * alias class of an array it reads is written in the loop, and the loop calls nothing.
 *
 * <p>The hoisted value is computed only if the loop runs at least once ({@code inv = n >= 0 ?
 * (...) : 0.0;}), and only from expressions every iteration evaluates (not from the branches of
 * a conditional or an if), so it reads no element the loop would not have read. The values are
 * the same doubles as before: only where they are computed changes.
 */
final class LoopInvariants extends LoopRewriter {
  private final AliasClasses aliases;
  private final Supplier<Var> fresh;

  private LoopInvariants(AliasClasses aliases, Supplier<Var> fresh) {
    this.aliases = aliases;
    this.fresh = fresh;
  }

  /** {@code reverse} with the invariants of its innermost loops hoisted into fresh locals. */
  static Stmt.Block hoist(Stmt.Block reverse, AliasClasses aliases, Supplier<Var> fresh) {
    return new LoopInvariants(aliases, fresh).block(reverse);
  }

  @Override
  protected boolean rewrites(Stmt.For f) {
    return innermost(f.body());
  }

  private static boolean innermost(Stmt.Block body) {
    boolean[] nested = {false};
    Statements.forEach(body, x -> nested[0] |= x != body && (x instanceof Stmt.For || x instanceof Stmt.While));
    return !nested[0];
  }

  /** What one loop writes: variables, and the alias classes of primal arrays. */
  private Set<String> written;
  private Map<Expr, Var> hoisted;

  @Override
  protected void loop(Stmt.For f, List<Stmt> out) {
    // for (i = last; i >= first; i--): the guard is the condition at i = last
    if (f.init().size() != 1 || !(f.init().get(0) instanceof Stmt.Assign init) || init.op() != Stmt.AssignOp.SET
        || !(init.target() instanceof Expr.Ref index) || f.condition() == null || !simple(init.value())) {
      out.add(f);
      return;
    }
    written = new HashSet<>();
    boolean[] calls = {false};
    Statements.forEach(f, x -> {
      if (x instanceof Stmt.Assign a) {
        if (a.target() instanceof Expr.Ref r) {
          written.add(r.var().name());
        } else {
          Var root = root(a.target());
          if (root != null && root.kind() != Var.Kind.ADJOINT) {
            written.add(aliases.contentsKey(root.name()));
          }
        }
      } else if (x instanceof Stmt.Declare d) {
        written.add(d.var().name());
      } else if (x instanceof Stmt.Step st) {
        written.add(st.var().name());
      } else if (x instanceof Stmt.Call) {
        calls[0] = true;
      }
      Statements.ownExpressions(x, e -> calls[0] |= Exprs.any(e, y -> y instanceof Expr.MethodCall
          || y instanceof Expr.StaticCall c && (c.owner() == Expr.Owner.GENERATED || c.owner() == Expr.Owner.USER)));
    });
    written.add(index.var().name());
    if (calls[0]) {
      out.add(f);
      return;
    }
    hoisted = new LinkedHashMap<>();
    List<Stmt> body = new ArrayList<>();
    for (Stmt s : f.body().stmts()) {
      body.add(rewrite(s));
    }
    if (hoisted.isEmpty()) {
      out.add(f);
      return;
    }
    Expr runs = Exprs.substitute(f.condition(), java.util.Map.of(index.var(), init.value()));
    for (Map.Entry<Expr, Var> h : hoisted.entrySet()) {
      Expr value = new Expr.Conditional(runs, h.getKey(), Expr.Literal.ofDouble(0), Type.DOUBLE);
      out.add(new Stmt.Assign(new Expr.Ref(h.getValue()), Stmt.AssignOp.SET, value, Origin.SYNTHETIC));
    }
    out.add(new Stmt.For(f.init(), f.condition(), f.update(), new Stmt.Block(body, f.body().origin()), f.origin()));
  }

  /** A top-level statement of the loop body with its invariants replaced; nested ones stay. */
  private Stmt rewrite(Stmt s) {
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.target(), a.op(), replace(a.value()), a.origin());
    }
    if (s instanceof Stmt.Declare d && d.init() != null) {
      return new Stmt.Declare(d.var(), replace(d.init()), d.origin());
    }
    return s;
  }

  /** {@code e} with its maximal invariant double subexpressions that read primal arrays hoisted. */
  private Expr replace(Expr e) {
    if (e.type() == Type.DOUBLE && invariant(e) && Exprs.any(e, x -> x instanceof Expr.Index)) {
      return new Expr.Ref(hoisted.computeIfAbsent(e, x -> fresh.get()));
    }
    if (e instanceof Expr.Conditional c) {
      return new Expr.Conditional(replace(c.condition()), c.whenTrue(), c.whenFalse(), c.type());
    }
    if (e instanceof Expr.Binary b && (b.op() == Expr.BinaryOp.AND || b.op() == Expr.BinaryOp.OR)) {
      return new Expr.Binary(b.op(), replace(b.left()), b.right(), b.type());
    }
    if (e instanceof Expr.Literal || e instanceof Expr.Ref) {
      return e;
    }
    return Exprs.mapChildren(e, this::replace);
  }

  /** Whether {@code e} has the same value in every iteration of the loop. */
  private boolean invariant(Expr e) {
    if (e instanceof Expr.Literal || e instanceof Expr.StaticField || e instanceof Expr.FieldRead) {
      return true;
    }
    if (e instanceof Expr.Ref r) {
      return !written.contains(r.var().name()) && !r.type().isArray();
    }
    if (e instanceof Expr.Index ix) {
      Var root = root(ix);
      return root != null && root.kind() != Var.Kind.ADJOINT && !written.contains(root.name())
          && !written.contains(aliases.contentsKey(root.name())) && arrayPathInvariant(ix);
    }
    if (e instanceof Expr.Unary || e instanceof Expr.Cast) {
      return Exprs.children(e).stream().allMatch(this::invariant);
    }
    if (e instanceof Expr.Binary b) {
      return b.op() != Expr.BinaryOp.AND && b.op() != Expr.BinaryOp.OR
          && invariant(b.left()) && invariant(b.right());
    }
    return false;
  }

  /** The indices along {@code m[i][j]} are invariant (the rows of a matrix are never reassigned). */
  private boolean arrayPathInvariant(Expr e) {
    while (e instanceof Expr.Index ix) {
      if (!invariant(ix.index())) {
        return false;
      }
      e = ix.array();
    }
    return e instanceof Expr.Ref;
  }

  private static Var root(Expr e) {
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.Ref r ? r.var() : null;
  }

  /** No call of anything that could have an effect, so evaluating it once more changes nothing. */
  private static boolean simple(Expr e) {
    return !Exprs.any(e, x -> x instanceof Expr.MethodCall || x instanceof Expr.ContextCall
        || x instanceof Expr.StaticCall c && (c.owner() == Expr.Owner.GENERATED || c.owner() == Expr.Owner.USER));
  }
}
