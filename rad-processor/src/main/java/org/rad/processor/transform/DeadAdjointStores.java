package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Removes the writes of scalar adjoints that nothing reads afterwards: the {@code xBar = 0.0;}
 * after the reverse of the first definition of {@code x}, {@code resultBar = 0.0;} at the end of a
 * reverse sweep. The sweep builder emits them statement by statement, without knowing whether an
 * earlier definition (a later reverse statement) will read the adjoint again.
 *
 * <p>A backward liveness analysis over the structured reverse sweep, with a fixpoint per loop.
 * Only assignments to double adjoints and temporaries whose value has no side effect are removed,
 * so the primal reads of what remains are a subset of before and the records planned for the
 * reverse sweep still suffice.
 */
final class DeadAdjointStores {
  private Set<String> live;
  private boolean prune;

  private DeadAdjointStores() {}

  /** {@code reverse} without dead adjoint stores; {@code liveAtEnd} are read after it. */
  static Stmt.Block prune(Stmt.Block reverse, Set<String> liveAtEnd) {
    DeadAdjointStores d = new DeadAdjointStores();
    d.live = new HashSet<>(liveAtEnd);
    d.prune = true;
    return d.block(reverse);
  }

  private static boolean candidate(Var v) {
    return v.kind() == Var.Kind.ADJOINT && v.type() == Type.DOUBLE;
  }

  private Stmt.Block block(Stmt.Block b) {
    List<Stmt> kept = new ArrayList<>();
    for (int k = b.stmts().size() - 1; k >= 0; k--) {
      Stmt s = statement(b.stmts().get(k));
      if (s != null) {
        kept.add(0, s);
      }
    }
    return new Stmt.Block(kept, b.origin());
  }

  /** The statement with its dead stores removed (null if it is one), updating {@link #live}. */
  private Stmt statement(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return block(b);
    }
    if (s instanceof Stmt.Assign a) {
      if (a.target() instanceof Expr.Ref r && candidate(r.var())) {
        String v = r.var().name();
        if (prune && !live.contains(v) && pure(a.value())) {
          return null;
        }
        if (a.op() == Stmt.AssignOp.SET) {
          live.remove(v);
        } else {
          live.add(v);
        }
      } else {
        reads(a.target());
      }
      reads(a.value());
      return s;
    }
    if (s instanceof Stmt.Declare d) {
      if (candidate(d.var()) && d.init() != null) {
        if (prune && !live.contains(d.var().name()) && pure(d.init())) {
          return null;
        }
        live.remove(d.var().name());
      }
      if (d.init() != null) {
        reads(d.init());
      }
      return s;
    }
    if (s instanceof Stmt.Call c) {
      reads(c.call());
      return s;
    }
    if (s instanceof Stmt.If i) {
      Set<String> after = live;
      live = new HashSet<>(after);
      Stmt.Block t = block(i.whenTrue());
      Set<String> beforeTrue = live;
      live = new HashSet<>(after);
      Stmt.Block f = i.whenFalse() == null ? null : block(i.whenFalse());
      live.addAll(beforeTrue);
      reads(i.condition());
      return new Stmt.If(i.condition(), t, f == null || f.stmts().isEmpty() ? null : f, i.origin());
    }
    if (s instanceof Stmt.For f) {
      Set<String> head = loopHead(f.condition(), f.body(), f.update());
      live = new HashSet<>(head);
      List<Stmt> update = statements(f.update());
      Stmt.Block body = block(f.body());
      live = head;
      List<Stmt> init = statements(f.init());
      return new Stmt.For(init, f.condition(), update, body, f.origin());
    }
    if (s instanceof Stmt.While w) {
      Set<String> head = loopHead(w.condition(), w.body(), List.of());
      live = new HashSet<>(head);
      Stmt.Block body = block(w.body());
      live = head;
      return new Stmt.While(w.condition(), body, w.origin());
    }
    if (s instanceof Stmt.Return r && r.value() != null) {
      reads(r.value());
    }
    return s; // Step, Return, Break, Continue: no adjoint of a double written
  }

  /** Update statements stay (they are simple), but their reads count. */
  private List<Stmt> statements(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (int k = stmts.size() - 1; k >= 0; k--) {
      Stmt s = statement(stmts.get(k));
      out.add(0, s == null ? stmts.get(k) : s);
    }
    return out;
  }

  /** What is live at a loop's head, given {@link #live} after the loop: a fixpoint. */
  private Set<String> loopHead(Expr condition, Stmt.Block body, List<Stmt> update) {
    boolean wasPruning = prune;
    prune = false;
    Set<String> exit = new HashSet<>(live);
    Set<String> head = new HashSet<>(exit);
    if (condition != null) {
      addReads(condition, head);
    }
    while (true) {
      live = new HashSet<>(head);
      statements(update);
      block(body);
      Set<String> next = new HashSet<>(head);
      next.addAll(live);
      if (next.equals(head)) {
        break;
      }
      head = next;
    }
    prune = wasPruning;
    return head;
  }

  private void reads(Expr e) {
    addReads(e, live);
  }

  private static void addReads(Expr e, Set<String> into) {
    Exprs.walk(e, x -> {
      if (x instanceof Expr.Ref r) {
        into.add(r.var().name());
      }
    });
  }

  /** No pop from the context and no call of generated code: evaluating it changes nothing. */
  private static boolean pure(Expr e) {
    return !Exprs.any(e, x -> x instanceof Expr.ContextCall
        || x instanceof Expr.StaticCall c && (c.owner() == Expr.Owner.GENERATED || c.owner() == Expr.Owner.USER)
        || x instanceof Expr.MethodCall);
  }
}
