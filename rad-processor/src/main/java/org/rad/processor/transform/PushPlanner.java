package org.rad.processor.transform;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.rad.processor.analysis.Effects;
import org.rad.processor.analysis.Plan;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Stmt;

/**
 * Decides which overwrites must push the old value: exactly those whose old value some part of
 * the reverse sweep reads after the overwrite has been undone, i.e. the reverse of the statement
 * itself, of statements before it (in its blocks and the enclosing ones), or of any statement of
 * an enclosing loop (a later iteration's overwrite is undone before an earlier iteration's reverse
 * runs). Everything else is left off the tape.
 */
final class PushPlanner {
  private final Map<Stmt, Set<String>> reads;
  private final Effects effects;
  private final Plan plan;
  private final Set<Stmt> pushes = Collections.newSetFromMap(new IdentityHashMap<>());

  private PushPlanner(Map<Stmt, Set<String>> reads, Effects effects, Plan plan) {
    this.reads = reads;
    this.effects = effects;
    this.plan = plan;
  }

  /**
   * @param readAtEntry keys whose values matter before the method runs at all (the contents of
   *     array parameters, which the caller's reverse sweep may read)
   */
  static Set<Stmt> plan(Stmt.Block body, Map<Stmt, Set<String>> reads, Effects effects, Plan plan, Set<String> readAtEntry) {
    PushPlanner p = new PushPlanner(reads, effects, plan);
    p.block(body, readAtEntry);
    return p.pushes;
  }

  private void block(Stmt.Block b, Set<String> before) {
    Set<String> acc = new HashSet<>(before);
    for (Stmt s : b.stmts()) {
      Set<String> own = reads.getOrDefault(s, Set.of());
      if (readsAfterRestore(s)) {
        acc.addAll(own);
        statement(s, acc);
      } else {
        // the statement's own reverse reads the new value, before its restore: they do not count
        statement(s, acc);
        acc.addAll(own);
      }
    }
  }

  /**
   * Whether the reverse of {@code s} reads primal values after popping the old value: true for
   * an assignment of a number (the partial derivatives read the restored state), false for array
   * reference assignments and calls, whose reverse restores last.
   */
  private static boolean readsAfterRestore(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return !d.var().type().isArray() && !(d.init() instanceof Expr.MethodCall);
    }
    if (s instanceof Stmt.Assign a) {
      return !a.target().type().isArray() && !(a.value() instanceof Expr.MethodCall);
    }
    return !(s instanceof Stmt.Step); // compound statements: their children see the loop-carried reads
  }

  private void statement(Stmt s, Set<String> acc) {
    if (s instanceof Stmt.Block b) {
      block(b, acc);
    } else if (s instanceof Stmt.If i) {
      block(i.whenTrue(), acc);
      if (i.whenFalse() != null) {
        block(i.whenFalse(), acc);
      }
    } else if (s instanceof Stmt.For f) {
      // A for-init declaration's variable lives only in the loop, whose reverse re-derives it
      // (a counted loop) or restores it from the records of its updates.
      for (Stmt init : f.init()) {
        if (!(init instanceof Stmt.Declare)) {
          decide(init, acc);
        }
      }
      block(f.body(), acc);
      if (plan.countedLoop(f) == null) {
        for (Stmt u : f.update()) {
          decide(u, acc);
        }
      }
    } else if (s instanceof Stmt.While w) {
      block(w.body(), acc);
    } else {
      decide(s, acc);
    }
  }

  private void decide(Stmt s, Set<String> acc) {
    if (s instanceof Stmt.Declare d) {
      if (d.init() != null && !plan.isRecomputable(d) && !Plan.isRowReference(d) && acc.contains(d.var().name())) {
        pushes.add(d);
      }
    } else if (s instanceof Stmt.Assign a) {
      String key = a.target() instanceof Expr.Ref r
          ? r.var().name()
          : effects.aliases().contentsKey(Statements.rootVar(a.target()));
      if (acc.contains(key)) {
        pushes.add(a);
      }
    } else if (s instanceof Stmt.Step st) {
      if (acc.contains(st.var().name())) {
        pushes.add(st);
      }
    }
  }
}
