package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import org.rad.processor.analysis.Effects;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Moves into a local of its own each index of an element write that reads the array written
 * ({@code a[(int) (2 * Math.abs(a[k]))] = Math.max(a[...], c)}): the reverse sweep restores the
 * element after the write has changed the array, so evaluating such an index again there can name
 * another element, and the element written would get the wrong value back. (An independent random
 * program restored a[3] after a write into a[1], without an error; the gradient was wrong.) The
 * local then follows the rules of every local: recomputed in the reverse sweep where what it reads
 * does not change later, else recorded.
 */
final class WrittenIndices extends LoopRewriter {
  private final Effects effects;
  private final Names names;
  private final List<Var> added = new ArrayList<>();

  private WrittenIndices(MethodIR method, Effects effects) {
    this.effects = effects;
    this.names = new Names(method);
  }

  /** {@code method} with each index that reads the array its write changes in a local declared just before the write. */
  static MethodIR lift(MethodIR method, Effects effects) {
    WrittenIndices lifter = new WrittenIndices(method, effects);
    Stmt.Block body = lifter.block(method.body());
    return lifter.added.isEmpty() ? method : method.withBodyAdding(body, lifter.added);
  }

  @Override
  protected boolean rewrites(Stmt.For f) {
    return false;
  }

  @Override
  protected void loop(Stmt.For f, List<Stmt> out) {
    out.add(f);
  }

  @Override
  protected void other(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Index ix) {
      String root = Statements.rootVar(ix);
      Expr target = root == null ? ix : target(ix, effects.aliases().contentsKey(root), out);
      out.add(target == ix ? s : new Stmt.Assign(target, a.op(), a.value(), a.origin()));
    } else {
      out.add(s);
    }
  }

  /** {@code ix} with each of its indices that reads {@code key} replaced by a local declared into {@code out}. */
  private Expr target(Expr.Index ix, String key, List<Stmt> out) {
    Expr array = ix.array() instanceof Expr.Index inner ? target(inner, key, out) : ix.array();
    Expr index = ix.index();
    if (effects.reads(index).contains(key)) {
      Var v = names.fresh("index", index.type(), Var.Kind.SYNTHETIC);
      added.add(v);
      out.add(new Stmt.Declare(v, index, Origin.SYNTHETIC));
      index = new Expr.Ref(v);
    }
    return array == ix.array() && index == ix.index() ? ix : new Expr.Index(array, index);
  }
}
