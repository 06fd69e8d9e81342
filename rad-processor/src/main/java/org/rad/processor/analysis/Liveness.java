package org.rad.processor.analysis;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Stmt;

/**
 * Which variables are live after each statement of a structured body: read on some path before
 * being set again. A backward analysis with a fixpoint per loop; {@code break} continues with
 * what is live after its loop, {@code continue} with what is live before its loop's update.
 *
 * <p>Variables are named as the IR names them. A call of the context ({@code ctx.popDouble()})
 * reads the variable {@code ctx}. Array elements are not tracked: writing {@code a[i]} reads
 * {@code a} and {@code i} and sets no variable.
 */
public final class Liveness {
  /** The name under which context calls read the context. */
  public static final String CONTEXT = "ctx";

  private final Map<Stmt, Set<String>> after = new IdentityHashMap<>();

  private Liveness() {}

  /** The liveness of {@code body}, given the variables read after it ({@code liveAtEnd}). */
  public static Liveness of(Stmt.Block body, Set<String> liveAtEnd) {
    Liveness l = new Liveness();
    l.in(body, Set.copyOf(liveAtEnd), null);
    return l;
  }

  /**
   * The variables live right after {@code s}, a statement of the analysed body (by identity).
   *
   * @throws IllegalArgumentException if {@code s} is not one of its statements
   */
  public Set<String> after(Stmt s) {
    Set<String> live = after.get(s);
    if (live == null) {
      throw new IllegalArgumentException("not a statement of the analysed body: " + s);
    }
    return live;
  }

  /**
   * The variables live right before {@code s} when {@code liveAfter} are live after it: those it
   * may read before it sets them, and those it may leave as they are.
   */
  public static Set<String> before(Stmt s, Set<String> liveAfter) {
    return new Liveness().in(s, Set.copyOf(liveAfter), null);
  }

  /**
   * Every variable an expression of {@code s} or of a statement nested in it mentions, set or read,
   * and {@link #CONTEXT} where it calls the context.
   */
  public static Set<String> mentions(Stmt s) {
    Set<String> names = new HashSet<>();
    Statements.forEach(s, x -> Statements.ownExpressions(x, e -> addReads(e, names)));
    return names;
  }

  /** Where {@code break} and {@code continue} of the innermost enclosing loop go on. */
  private record Jumps(Set<String> onBreak, Set<String> onContinue) {}

  private Set<String> in(Stmt s, Set<String> out, Jumps jumps) {
    after.put(s, out);
    Set<String> live = new HashSet<>(out);
    if (s instanceof Stmt.Block b) {
      return block(b.stmts(), out, jumps);
    } else if (s instanceof Stmt.Assign a) {
      if (a.target() instanceof Expr.Ref r) {
        if (a.op() == Stmt.AssignOp.SET) {
          live.remove(r.var().name());
        } else {
          live.add(r.var().name());
        }
      } else {
        addReads(a.target(), live);
      }
      addReads(a.value(), live);
    } else if (s instanceof Stmt.Declare d) {
      live.remove(d.var().name());
      if (d.init() != null) {
        addReads(d.init(), live);
      }
    } else if (s instanceof Stmt.Step st) {
      live.add(st.var().name());
    } else if (s instanceof Stmt.Call c) {
      addReads(c.call(), live);
    } else if (s instanceof Stmt.Opaque o) {
      for (Expr h : o.holes()) {
        addReads(h, live);
      }
    } else if (s instanceof Stmt.If i) {
      live = new HashSet<>(in(i.whenTrue(), out, jumps));
      live.addAll(i.whenFalse() == null ? out : in(i.whenFalse(), out, jumps));
      addReads(i.condition(), live);
    } else if (s instanceof Stmt.For f) {
      Set<String> head = loopHead(f.condition(), f.update(), f.body(), out);
      return block(f.init(), head, jumps);
    } else if (s instanceof Stmt.While w) {
      return loopHead(w.condition(), List.of(), w.body(), out);
    } else if (s instanceof Stmt.Return r) {
      live = new HashSet<>(out);
      if (r.value() != null) {
        addReads(r.value(), live);
      }
    } else if (s instanceof Stmt.Break) {
      return jumps == null ? out : jumps.onBreak();
    } else if (s instanceof Stmt.Continue) {
      return jumps == null ? out : jumps.onContinue();
    }
    return live;
  }

  private Set<String> block(List<Stmt> stmts, Set<String> out, Jumps jumps) {
    Set<String> live = out;
    for (int k = stmts.size() - 1; k >= 0; k--) {
      live = in(stmts.get(k), live, jumps);
    }
    return live;
  }

  /**
   * What is live where a loop tests its condition, given {@code exit} live after the loop: the
   * least fixpoint of condition reads, exit, and what the body and update read around again.
   */
  private Set<String> loopHead(Expr condition, List<Stmt> update, Stmt.Block body, Set<String> exit) {
    Set<String> head = new HashSet<>(exit);
    if (condition != null) {
      addReads(condition, head);
    }
    while (true) {
      Set<String> beforeUpdate = block(update, Set.copyOf(head), null);
      Set<String> beforeBody = in(body, beforeUpdate, new Jumps(exit, beforeUpdate));
      Set<String> next = new HashSet<>(head);
      next.addAll(beforeBody);
      if (next.equals(head)) {
        return Set.copyOf(head);
      }
      head = next;
    }
  }

  private static void addReads(Expr e, Set<String> into) {
    Exprs.walk(e, x -> {
      if (x instanceof Expr.Ref r) {
        into.add(r.var().name());
      } else if (x instanceof Expr.ContextCall) {
        into.add(CONTEXT);
      }
    });
  }
}
