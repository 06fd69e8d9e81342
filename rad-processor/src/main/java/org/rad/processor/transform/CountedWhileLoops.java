package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import org.rad.processor.analysis.Statements;
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
 * own). A {@code break} leaves both without the step.
 */
final class CountedWhileLoops {
  private CountedWhileLoops() {}

  /** {@code method} with its counted {@code while} loops written as {@code for} loops. */
  static MethodIR rewrite(MethodIR method) {
    Stmt.Block body = block(method.body());
    return body == method.body() ? method : method.withBody(body, method.locals());
  }

  private static Stmt.Block block(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    boolean changed = false;
    List<Stmt> stmts = b.stmts();
    for (int k = 0; k < stmts.size(); k++) {
      Stmt s = stmts.get(k);
      if (k + 1 < stmts.size() && s instanceof Stmt.Declare d && stmts.get(k + 1) instanceof Stmt.While w
          && counted(d, w, stmts.subList(k + 2, stmts.size()))) {
        List<Stmt> inner = w.body().stmts();
        Stmt.Block loopBody = block(new Stmt.Block(List.copyOf(inner.subList(0, inner.size() - 1)), w.body().origin()));
        out.add(new Stmt.For(List.of(d), w.condition(), List.of(inner.get(inner.size() - 1)), loopBody, w.origin()));
        k++;
        changed = true;
        continue;
      }
      Stmt t = nested(s);
      changed |= t != s;
      out.add(t);
    }
    return changed ? new Stmt.Block(out, b.origin()) : b;
  }

  private static Stmt nested(Stmt s) {
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
   * Whether {@code w}, right after the declaration {@code d} of an integer counter, ends its body
   * with the counter's one step, and {@code after} (the rest of the block) does not read it.
   */
  private static boolean counted(Stmt.Declare d, Stmt.While w, List<Stmt> after) {
    Var c = d.var();
    List<Stmt> body = w.body().stmts();
    if (!c.type().isIntegral() || d.init() == null || body.isEmpty()
        || !(body.get(body.size() - 1) instanceof Stmt.Step step) || !step.var().equals(c)) {
      return false;
    }
    for (Stmt s : body.subList(0, body.size() - 1)) {
      boolean[] bad = {false};
      Statements.forEach(s, x -> bad[0] |= c.equals(Statements.assignedVariable(x)));
      if (bad[0] || continues(s)) {
        return false;
      }
    }
    for (Stmt s : after) {
      if (Statements.mentions(s, c)) {
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
