package org.rad.processor.analysis;

import java.util.function.Consumer;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Stmt;

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
    }
  }

  /** The variable at the root of an array access chain ({@code m} of {@code m[i][j]}), or null. */
  public static String rootVar(Expr e) {
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.Ref r ? r.var().name() : null;
  }
}
