package org.rad.processor.analysis;

import java.util.function.Consumer;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/** Generic traversals of statements. */
public final class Statements {
  private Statements() {}

  /** Visits {@code s} and every statement nested in it, parents first. */
  public static void forEach(Stmt s, Consumer<Stmt> visitor) {
    visitor.accept(s);
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> forEach(c, visitor));
    } else if (s instanceof Stmt.If i) {
      forEach(i.whenTrue(), visitor);
      if (i.whenFalse() != null) {
        forEach(i.whenFalse(), visitor);
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> forEach(c, visitor));
      f.update().forEach(c -> forEach(c, visitor));
      forEach(f.body(), visitor);
    } else if (s instanceof Stmt.While w) {
      forEach(w.body(), visitor);
    }
  }

  /**
   * The variable {@code s} itself sets ({@code v = ...}, {@code v op= ...}, {@code v++}, a
   * declaration), or null (an element write, a call, a compound statement).
   */
  public static Var assignedVariable(Stmt s) {
    if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r) {
      return r.var();
    }
    if (s instanceof Stmt.Step st) {
      return st.var();
    }
    return s instanceof Stmt.Declare d ? d.var() : null;
  }

  /** Whether an expression of {@code s} or of a statement nested in it refers to variable {@code v}. */
  public static boolean mentions(Stmt s, Var v) {
    boolean[] found = {false};
    forEach(s, x -> ownExpressions(x, e -> found[0] |= Exprs.mentions(e, v)));
    return found[0];
  }

  /** Visits every expression that {@code s} itself evaluates (not those of nested statements). */
  public static void ownExpressions(Stmt s, Consumer<Expr> visitor) {
    if (s instanceof Stmt.Declare d && d.init() != null) {
      visitor.accept(d.init());
    } else if (s instanceof Stmt.Assign a) {
      visitor.accept(a.target());
      visitor.accept(a.value());
    } else if (s instanceof Stmt.Call c) {
      visitor.accept(c.call());
    } else if (s instanceof Stmt.If i) {
      visitor.accept(i.condition());
    } else if (s instanceof Stmt.For f && f.condition() != null) {
      visitor.accept(f.condition());
    } else if (s instanceof Stmt.While w) {
      visitor.accept(w.condition());
    } else if (s instanceof Stmt.Return r && r.value() != null) {
      visitor.accept(r.value());
    } else if (s instanceof Stmt.Opaque o) {
      o.holes().forEach(visitor);
    }
  }

  /**
   * The expression a statement computes as a whole ({@code x = f(a)}, {@code double y = e},
   * {@code f(a);}): where a call there is the statement's own, which the sweeps differentiate;
   * null for other statements.
   */
  public static Expr directCall(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.init();
    }
    if (s instanceof Stmt.Assign a) {
      return a.value();
    }
    if (s instanceof Stmt.Call c) {
      return c.call();
    }
    return null;
  }

  /** The variable at the root of an array access chain ({@code m} of {@code m[i][j]}), or null. */
  public static String rootVar(Expr e) {
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.Ref r ? r.var().name() : null;
  }

  /**
   * {@code b} with {@code f} applied to every expression of every statement, bottom-up (children
   * first, then the node they form).
   */
  public static Stmt.Block mapExpressions(Stmt.Block b, java.util.function.UnaryOperator<Expr> f) {
    java.util.List<Stmt> out = new java.util.ArrayList<>();
    for (Stmt s : b.stmts()) {
      out.add(mapExpressions(s, f));
    }
    return new Stmt.Block(out, b.origin());
  }

  private static Stmt mapExpressions(Stmt s, java.util.function.UnaryOperator<Expr> f) {
    java.util.function.UnaryOperator<Expr> e = x -> x == null ? null : mapExpr(x, f);
    if (s instanceof Stmt.Block b) {
      return mapExpressions(b, f);
    }
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(d.var(), e.apply(d.init()), d.origin());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(e.apply(a.target()), a.op(), e.apply(a.value()), a.origin());
    }
    if (s instanceof Stmt.Call c) {
      return new Stmt.Call(e.apply(c.call()), c.origin());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(e.apply(i.condition()), mapExpressions(i.whenTrue(), f),
          i.whenFalse() == null ? null : mapExpressions(i.whenFalse(), f), i.origin());
    }
    if (s instanceof Stmt.For fo) {
      java.util.List<Stmt> init = new java.util.ArrayList<>();
      fo.init().forEach(x -> init.add(mapExpressions(x, f)));
      java.util.List<Stmt> update = new java.util.ArrayList<>();
      fo.update().forEach(x -> update.add(mapExpressions(x, f)));
      return new Stmt.For(init, e.apply(fo.condition()), update, mapExpressions(fo.body(), f), fo.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(e.apply(w.condition()), mapExpressions(w.body(), f), w.origin());
    }
    if (s instanceof Stmt.Return r) {
      return new Stmt.Return(e.apply(r.value()), r.origin());
    }
    if (s instanceof Stmt.Opaque o) {
      return new Stmt.Opaque(o.declaration(), o.text(), o.holes().stream().map(e).toList(), o.origin());
    }
    return s; // Step, Break, Continue
  }

  private static Expr mapExpr(Expr x, java.util.function.UnaryOperator<Expr> f) {
    return f.apply(Exprs.mapChildren(x, c -> mapExpr(c, f)));
  }
}
