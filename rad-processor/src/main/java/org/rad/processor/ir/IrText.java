package org.rad.processor.ir;

import java.util.stream.Collectors;

/** A plain rendering of IR for diagnostics (fully parenthesized; the emitter prints real code). */
public final class IrText {
  private IrText() {}

  public static String of(Expr e) {
    if (e instanceof Expr.Literal l) {
      return l.text();
    }
    if (e instanceof Expr.Ref r) {
      return r.var().name();
    }
    if (e instanceof Expr.Index ix) {
      return of(ix.array()) + "[" + of(ix.index()) + "]";
    }
    if (e instanceof Expr.Binary b) {
      return "(" + of(b.left()) + " " + b.op().symbol + " " + of(b.right()) + ")";
    }
    if (e instanceof Expr.Unary u) {
      return u.op().symbol + of(u.operand());
    }
    if (e instanceof Expr.StaticCall c) {
      String owner = c.owner().simpleName.isEmpty() ? "" : c.owner().simpleName + ".";
      return owner + c.name() + "(" + c.args().stream().map(IrText::of).collect(Collectors.joining(", ")) + ")";
    }
    if (e instanceof Expr.ContextCall c) {
      return "ctx." + c.op().methodName() + "(" + c.args().stream().map(IrText::of).collect(Collectors.joining(", ")) + ")";
    }
    if (e instanceof Expr.Conditional c) {
      return "(" + of(c.condition()) + " ? " + of(c.whenTrue()) + " : " + of(c.whenFalse()) + ")";
    }
    if (e instanceof Expr.Cast c) {
      return "(" + c.type().source() + ") " + of(c.operand());
    }
    return e.toString();
  }

  public static String of(Stmt s) {
    if (s instanceof Stmt.Assign a) {
      return of(a.target()) + " " + a.op().symbol + " " + of(a.value());
    }
    if (s instanceof Stmt.If i) {
      return "if (" + of(i.condition()) + ")";
    }
    if (s instanceof Stmt.For f) {
      return "for (...; " + (f.condition() == null ? "" : of(f.condition())) + "; ...)";
    }
    if (s instanceof Stmt.While w) {
      return "while (" + of(w.condition()) + ")";
    }
    if (s instanceof Stmt.Call c) {
      return of(c.call());
    }
    return s.toString();
  }
}
