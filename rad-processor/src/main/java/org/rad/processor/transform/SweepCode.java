package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import org.rad.processor.ir.Stmt;

/** Small pieces of generated code the emitter shares with the sweep builder. */
public final class SweepCode {
  private SweepCode() {}

  /** The body with calls of user methods replaced by calls of their primal copies. */
  public static Stmt.Block primal(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      out.add(primal(s));
    }
    return new Stmt.Block(out, b.origin());
  }

  private static Stmt primal(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return primal(b);
    }
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(d.var(), d.init() == null ? null : SweepBuilder.primalExpr(d.init()), d.origin());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.target(), a.op(), SweepBuilder.primalExpr(a.value()), a.origin());
    }
    if (s instanceof Stmt.Call c) {
      return new Stmt.Call(SweepBuilder.primalExpr(c.call()), c.origin());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(SweepBuilder.primalExpr(i.condition()), primal(i.whenTrue()),
          i.whenFalse() == null ? null : primal(i.whenFalse()), i.origin());
    }
    if (s instanceof Stmt.For f) {
      List<Stmt> init = new ArrayList<>();
      f.init().forEach(x -> init.add(primal(x)));
      List<Stmt> update = new ArrayList<>();
      f.update().forEach(x -> update.add(primal(x)));
      return new Stmt.For(init, f.condition() == null ? null : SweepBuilder.primalExpr(f.condition()), update,
          primal(f.body()), f.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(SweepBuilder.primalExpr(w.condition()), primal(w.body()), w.origin());
    }
    return s;
  }
}
