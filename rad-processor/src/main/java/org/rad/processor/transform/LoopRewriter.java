package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import org.rad.processor.ir.Stmt;

/**
 * A pass over a sweep that rewrites certain {@code for} loops (and, where it overrides {@link
 * #other}, certain other statements) and keeps every other statement, descending into blocks,
 * branches and the loops it does not rewrite: the walk that {@link LoopInvariants}, {@link
 * RotatedAdjoints} and {@link WrittenIndices} share.
 */
abstract class LoopRewriter {
  /** Whether {@code f} is one this pass rewrites (its nested loops are then its own business). */
  protected abstract boolean rewrites(Stmt.For f);

  /** Appends the rewrite of {@code f} (or {@code f} itself) to {@code out}. */
  protected abstract void loop(Stmt.For f, List<Stmt> out);

  final Stmt.Block block(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      statement(s, out);
    }
    return new Stmt.Block(out, b.origin());
  }

  private void statement(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Block b) {
      out.add(block(b));
    } else if (s instanceof Stmt.If i) {
      out.add(new Stmt.If(i.condition(), block(i.whenTrue()), i.whenFalse() == null ? null : block(i.whenFalse()), i.origin()));
    } else if (s instanceof Stmt.While w) {
      out.add(new Stmt.While(w.condition(), block(w.body()), w.origin()));
    } else if (s instanceof Stmt.For f) {
      if (rewrites(f)) {
        loop(f, out);
      } else {
        out.add(new Stmt.For(f.init(), f.condition(), f.update(), block(f.body()), f.origin()));
      }
    } else {
      other(s, out);
    }
  }

  /** Appends the rewrite of {@code s}, a statement that is no block, branch or loop (itself by default). */
  protected void other(Stmt s, List<Stmt> out) {
    out.add(s);
  }
}
