package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.analysis.Liveness;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * A {@code while} loop over a counter declared just before it and stepped once, at the end of its
 * body, is the {@code for} loop it stands for:
 *
 * <pre>
 * int c = p;                          for (int c = p; c &lt; n; c++) {
 * while (c &lt; n) {          -&gt;            rr[c] -= f * rp[c];
 *   rr[c] -= f * rp[c];               }
 *   c++;
 * }
 * </pre>
 *
 * so that the analyses of counted loops apply to it: its reverse runs from its last index with no
 * trip count recorded, and the element tests bound its counter by the loop's range (an
 * elimination written this way recorded its rows: a tester's 95,244 bytes at n = 32, against 7,944
 * for the {@code for} loop).
 *
 * <p>The two run the same statements in the same order where the counter is not written elsewhere
 * in the body, no {@code continue} of the loop skips the step (in a {@code for} loop it would run
 * the update), and nothing after the loop reads the counter (a {@code for} loop's index is its
 * own). A {@code break} leaves both without the step. The step may be {@code c++}, {@code c--} or
 * {@code c += k}, {@code c -= k} for a positive literal {@code k}.
 *
 * <p>A counter declared further up and assigned before the loop ({@code int i, j;} at the top, then
 * {@code i = n - 2; while (i >= 0) { ...; i--; }}, as C code reuses one counter for several loops)
 * gets a counter of its own in the {@code for} loop where it is not live after the loop (read on
 * no path before it is set again); so does a {@code for} loop whose init assigns such a counter
 * ({@code for (i = 0; i < n; i++)}).
 */
final class CountedWhileLoops {
  private final Liveness liveness;
  private final Names names;
  private final List<Var> added = new ArrayList<>();

  private CountedWhileLoops(MethodIR method) {
    this.liveness = Liveness.of(method.body(), Set.of());
    this.names = new Names(method);
  }

  /** {@code method} with its counted {@code while} loops written as {@code for} loops. */
  static MethodIR rewrite(MethodIR method) {
    CountedWhileLoops c = new CountedWhileLoops(method);
    Stmt.Block body = c.block(method.body());
    if (body == method.body()) {
      return method;
    }
    List<Var> locals = new ArrayList<>(method.locals());
    locals.addAll(c.added);
    return method.withBody(body, locals);
  }

  private Stmt.Block block(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    boolean changed = false;
    List<Stmt> stmts = b.stmts();
    for (int k = 0; k < stmts.size(); k++) {
      Stmt s = stmts.get(k);
      int at = loopAfter(stmts, k);
      List<Stmt> counted = at < 0 ? null : counted(s, (Stmt.While) stmts.get(at), stmts.subList(at + 1, stmts.size()));
      if (counted != null) {
        // (the statements between, which neither mention the counter nor change its start)
        for (int m = k + 1; m < at; m++) {
          out.add(nested(stmts.get(m)));
        }
        out.addAll(counted);
        k = at;
        changed = true;
        continue;
      }
      Stmt.For own = s instanceof Stmt.For f ? ownCounter(f) : null;
      if (own != null) {
        out.add(own);
        changed = true;
        continue;
      }
      Stmt t = nested(s);
      changed |= t != s;
      out.add(t);
    }
    return changed ? new Stmt.Block(out, b.origin()) : b;
  }

  /** A counter's start before its loop: the counter and the value it is declared or assigned with. */
  private record Start(Var counter, Expr value) {
    /** The start {@code s} makes ({@code int c = e;} or {@code c = e;}), or null. */
    static Start of(Stmt s) {
      if (s instanceof Stmt.Declare d && d.init() != null) {
        return new Start(d.var(), d.init());
      }
      if (s instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET && a.target() instanceof Expr.Ref r) {
        return new Start(r.var(), a.value());
      }
      return null;
    }
  }

  /**
   * The index of the {@code while} loop that statement {@code k}, a counter's declaration or
   * assignment, may move down to as the loop's init: the first loop after it, where the statements
   * between mention neither the counter nor change what its start reads (a start of variables and
   * literals only, {@code int t = 0; double acc = 0; while (t < 3) ...}), and leave nothing early
   * (a {@code break} there would leave with the counter at its start); else -1.
   */
  private static int loopAfter(List<Stmt> stmts, int k) {
    Start start = Start.of(stmts.get(k));
    if (start == null) {
      return -1;
    }
    Var c = start.counter();
    boolean plain = !Exprs.any(start.value(), x -> x instanceof Expr.Index || x instanceof Expr.MethodCall);
    for (int j = k + 1; j < stmts.size(); j++) {
      Stmt next = stmts.get(j);
      if (next instanceof Stmt.While) {
        return j;
      }
      boolean[] bad = {!plain || Statements.mentions(next, c)};
      Statements.forEach(next, x -> {
        Var v = Statements.assignedVariable(x);
        bad[0] |= v != null && Exprs.mentions(start.value(), v) || x instanceof Stmt.Break || x instanceof Stmt.Continue
            || x instanceof Stmt.Return;
      });
      if (bad[0]) {
        return -1;
      }
    }
    return -1;
  }

  private Stmt nested(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return block(b);
    }
    if (s instanceof Stmt.If i) {
      Stmt.Block t = block(i.whenTrue());
      Stmt.Block f = i.whenFalse() == null ? null : block(i.whenFalse());
      return t == i.whenTrue() && f == i.whenFalse() ? s : new Stmt.If(i.condition(), t, f, i.origin());
    }
    if (s instanceof Stmt.For f) {
      Stmt.Block b = block(f.body());
      return b == f.body() ? s : new Stmt.For(f.init(), f.condition(), f.update(), b, f.origin());
    }
    if (s instanceof Stmt.While w) {
      Stmt.Block b = block(w.body());
      return b == w.body() ? s : new Stmt.While(w.condition(), b, w.origin());
    }
    return s;
  }

  /**
   * The {@code for} loop that {@code start} (the counter's declaration, or its assignment) and the
   * {@code while} loop {@code w} right after it stand for, or null: where {@code w}'s body ends with
   * the counter's one step, nothing else in it writes the counter or continues the loop, and the
   * counter is not read after the loop: a declared one that nothing after the loop ({@code after},
   * the rest of the block) mentions becomes the loop's own; one that is assigned after the loop
   * before any read, or an assigned one not live after the loop, is replaced in the loop by a
   * counter of its own (the declaration stays, without its value).
   */
  private List<Stmt> counted(Stmt start, Stmt.While w, List<Stmt> after) {
    Start begin = Start.of(start);
    Var c = begin.counter();
    Expr init = begin.value();
    List<Stmt> body = w.body().stmts();
    if (!c.type().isIntegral() || body.isEmpty() || !isStep(body.get(body.size() - 1), c)
        || Exprs.mentions(init, c) || !ownedBy(c, body.subList(0, body.size() - 1))) {
      return null;
    }
    if (start instanceof Stmt.Declare && after.stream().noneMatch(s -> Statements.mentions(s, c))) {
      Stmt.Block loopBody = block(new Stmt.Block(List.copyOf(body.subList(0, body.size() - 1)), w.body().origin()));
      return List.of(new Stmt.For(List.of(start), w.condition(), List.of(step(body.get(body.size() - 1), c, c)),
          loopBody, w.origin()));
    }
    if (liveness.after(w).contains(c.name())) {
      return null;
    }
    Stmt.For loop = renamed(c, init, w.condition(), body.get(body.size() - 1), body.subList(0, body.size() - 1),
        w.body().origin(), w.origin());
    return start instanceof Stmt.Declare ? List.of(new Stmt.Declare(c, null, start.origin()), loop) : List.of(loop);
  }

  /**
   * A {@code for} loop over a counter declared before it and assigned in its init ({@code for (i =
   * 0; i < n; i++)} with {@code int i} at the top, as C89 code writes it), where the counter is not
   * live after the loop and the body does not write it: the same loop over a counter of its own;
   * else null.
   */
  private Stmt.For ownCounter(Stmt.For f) {
    Start start = f.init().size() == 1 && f.init().get(0) instanceof Stmt.Assign ? Start.of(f.init().get(0)) : null;
    if (start == null || f.update().size() != 1) {
      return null;
    }
    Var c = start.counter();
    if (!c.type().isIntegral() || !isStep(f.update().get(0), c) || Exprs.mentions(start.value(), c)
        || !ownedBy(c, f.body().stmts()) || liveness.after(f).contains(c.name())) {
      return null;
    }
    return renamed(c, start.value(), f.condition(), f.update().get(0), f.body().stmts(), f.body().origin(), f.origin());
  }

  /** The loop over a fresh counter in place of {@code c}, which is set to {@code init} before it and not live after it. */
  private Stmt.For renamed(Var c, Expr init, Expr condition, Stmt step, List<Stmt> body,
      org.rad.processor.ir.Origin bodyOrigin, org.rad.processor.ir.Origin origin) {
    Var own = names.fresh(c.name(), c.type(), c.kind());
    added.add(own);
    Map<Var, Expr> to = Map.of(c, new Expr.Ref(own));
    // (the loops nested in the body first: the liveness knows the statements as they were)
    Stmt.Block loopBody = Statements.mapExpressions(block(new Stmt.Block(List.copyOf(body), bodyOrigin)),
        e -> Exprs.substitute(e, to));
    Stmt update = step(step, c, own);
    return new Stmt.For(List.of(new Stmt.Declare(own, init, origin)), Exprs.substitute(condition, to), List.of(update),
        loopBody, origin);
  }

  /**
   * {@code c++}, {@code c--}, {@code c += k}, {@code c -= k}, {@code c = c + k}, {@code c = k + c}
   * or {@code c = c - k} for a positive integer literal {@code k}.
   */
  private static boolean isStep(Stmt s, Var c) {
    return step(s, c, c) != null;
  }

  /** Step {@code s} of {@code c} (see {@link #isStep}) as a step of {@code to} the counted loops know ({@code to += k}); else null. */
  private static Stmt step(Stmt s, Var c, Var to) {
    if (s instanceof Stmt.Step st) {
      return st.var().equals(c) ? new Stmt.Step(to, st.increment(), st.origin()) : null;
    }
    if (!(s instanceof Stmt.Assign a) || !(a.target() instanceof Expr.Ref r) || !r.var().equals(c)) {
      return null;
    }
    Stmt.AssignOp op = a.op();
    Expr k = a.value();
    if (op == Stmt.AssignOp.SET && a.value() instanceof Expr.Binary b
        && (b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB)) {
      boolean left = b.left() instanceof Expr.Ref x && x.var().equals(c);
      boolean right = b.op() == Expr.BinaryOp.ADD && b.right() instanceof Expr.Ref y && y.var().equals(c);
      op = b.op() == Expr.BinaryOp.ADD ? Stmt.AssignOp.ADD : Stmt.AssignOp.SUB;
      k = left ? b.right() : right ? b.left() : null;
    }
    boolean positive = k instanceof Expr.Literal l && l.integerValue() != null && l.integerValue() > 0;
    return positive && (op == Stmt.AssignOp.ADD || op == Stmt.AssignOp.SUB)
        ? new Stmt.Assign(new Expr.Ref(to), op, k, s.origin()) : null;
  }

  /** Whether no statement of {@code body} writes {@code c} or continues the loop around it. */
  private static boolean ownedBy(Var c, List<Stmt> body) {
    for (Stmt s : body) {
      boolean[] bad = {false};
      Statements.forEach(s, x -> bad[0] |= c.equals(Statements.assignedVariable(x)));
      if (bad[0] || continues(s)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} holds a {@code continue} of the loop around it (not one of a loop nested in it). */
  private static boolean continues(Stmt s) {
    if (s instanceof Stmt.Continue) {
      return true;
    }
    if (s instanceof Stmt.Block b) {
      return b.stmts().stream().anyMatch(CountedWhileLoops::continues);
    }
    if (s instanceof Stmt.If i) {
      return continues(i.whenTrue()) || i.whenFalse() != null && continues(i.whenFalse());
    }
    return false; // (a continue inside a nested loop is that loop's)
  }
}
