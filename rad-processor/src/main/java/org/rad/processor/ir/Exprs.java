package org.rad.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Generic traversals of expressions, so each pass writes only the cases it cares about. */
public final class Exprs {
  private Exprs() {}

  /** The direct sub-expressions of {@code e}, in evaluation order. */
  public static List<Expr> children(Expr e) {
    if (e instanceof Expr.Index ix) {
      return List.of(ix.array(), ix.index());
    }
    if (e instanceof Expr.Length l) {
      return List.of(l.array());
    }
    if (e instanceof Expr.Dim d) {
      return List.of(d.matrix());
    }
    if (e instanceof Expr.Unary u) {
      return List.of(u.operand());
    }
    if (e instanceof Expr.Binary b) {
      return List.of(b.left(), b.right());
    }
    if (e instanceof Expr.Conditional c) {
      return List.of(c.condition(), c.whenTrue(), c.whenFalse());
    }
    if (e instanceof Expr.Cast c) {
      return List.of(c.operand());
    }
    if (e instanceof Expr.StaticCall c) {
      return c.args();
    }
    if (e instanceof Expr.MethodCall c) {
      List<Expr> all = new ArrayList<>();
      if (c.receiver() != null) {
        all.add(c.receiver());
      }
      all.addAll(c.args());
      return all;
    }
    if (e instanceof Expr.ContextCall c) {
      return c.args();
    }
    if (e instanceof Expr.LibraryCall c) {
      return c.args();
    }
    if (e instanceof Expr.NewArray n) {
      return n.dims();
    }
    if (e instanceof Expr.ArrayLiteral l) {
      return l.elements();
    }
    if (e instanceof Expr.Clone c) {
      return List.of(c.array());
    }
    return List.of(); // Literal, Ref, FieldRead
  }

  /** {@code e} with each direct sub-expression replaced by {@code f} of it. */
  public static Expr mapChildren(Expr e, UnaryOperator<Expr> f) {
    if (e instanceof Expr.Index ix) {
      return new Expr.Index(f.apply(ix.array()), f.apply(ix.index()));
    }
    if (e instanceof Expr.Length l) {
      return new Expr.Length(f.apply(l.array()));
    }
    if (e instanceof Expr.Dim d) {
      return new Expr.Dim(f.apply(d.matrix()), d.member());
    }
    if (e instanceof Expr.Unary u) {
      return new Expr.Unary(u.op(), f.apply(u.operand()));
    }
    if (e instanceof Expr.Binary b) {
      return new Expr.Binary(b.op(), f.apply(b.left()), f.apply(b.right()), b.type());
    }
    if (e instanceof Expr.Conditional c) {
      return new Expr.Conditional(f.apply(c.condition()), f.apply(c.whenTrue()), f.apply(c.whenFalse()), c.type());
    }
    if (e instanceof Expr.Cast c) {
      return new Expr.Cast(c.type(), f.apply(c.operand()));
    }
    if (e instanceof Expr.StaticCall c) {
      return new Expr.StaticCall(c.owner(), c.name(), map(c.args(), f), c.type());
    }
    if (e instanceof Expr.MethodCall c) {
      return new Expr.MethodCall(c.name(), c.key(), c.receiver(), map(c.args(), f), c.type(), c.origin());
    }
    if (e instanceof Expr.ContextCall c) {
      return new Expr.ContextCall(c.op(), map(c.args(), f), c.type());
    }
    if (e instanceof Expr.LibraryCall c) {
      return new Expr.LibraryCall(c.owner(), c.name(), map(c.args(), f), c.type(), c.origin());
    }
    if (e instanceof Expr.NewArray n) {
      return new Expr.NewArray(n.type(), map(n.dims(), f));
    }
    if (e instanceof Expr.ArrayLiteral l) {
      return new Expr.ArrayLiteral(l.type(), map(l.elements(), f));
    }
    if (e instanceof Expr.Clone c) {
      return new Expr.Clone(f.apply(c.array()));
    }
    return e;
  }

  private static List<Expr> map(List<Expr> list, UnaryOperator<Expr> f) {
    List<Expr> out = new ArrayList<>(list.size());
    for (Expr e : list) {
      out.add(f.apply(e));
    }
    return out;
  }

  /** Visits {@code e} and all its sub-expressions, parents first. */
  public static void walk(Expr e, Consumer<Expr> visitor) {
    visitor.accept(e);
    for (Expr c : children(e)) {
      walk(c, visitor);
    }
  }

  /** Whether {@code e} refers to variable {@code v} anywhere in it. */
  public static boolean mentions(Expr e, Var v) {
    return any(e, x -> x instanceof Expr.Ref r && r.var().equals(v));
  }

  /** Whether {@code e} or a sub-expression satisfies {@code p}. */
  public static boolean any(Expr e, java.util.function.Predicate<Expr> p) {
    if (p.test(e)) {
      return true;
    }
    for (Expr c : children(e)) {
      if (any(c, p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Short source text of a variable, element or field ({@code a}, {@code m[i]}, {@code weights})
   * for messages; other expressions print as {@code ...}.
   */
  public static String describe(Expr e) {
    if (e instanceof Expr.Ref r) {
      return r.var().name();
    }
    if (e instanceof Expr.FieldRead f) {
      return f.name();
    }
    if (e instanceof Expr.Literal l) {
      return l.text();
    }
    if (e instanceof Expr.Index ix) {
      return describe(ix.array()) + "[" + describe(ix.index()) + "]";
    }
    return "...";
  }

  /** {@code e} with each reference to a variable of {@code values} replaced by its expression. */
  public static Expr substitute(Expr e, java.util.Map<Var, Expr> values) {
    if (e instanceof Expr.Ref r && values.containsKey(r.var())) {
      return values.get(r.var());
    }
    return mapChildren(e, c -> substitute(c, values));
  }

  public static Expr ref(Var v) {
    return new Expr.Ref(v);
  }

  public static Expr not(Expr e) {
    return new Expr.Unary(Expr.UnaryOp.NOT, e);
  }

  public static Expr and(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.AND, a, b, Type.BOOLEAN);
  }
}
