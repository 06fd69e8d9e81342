package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.analysis.Plan;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Gives a row reference whose location is changed later in its block ({@code double[] r = m[i];
 * i++;}, or a buffer swap after it) copies of the variables it reads, taken right before it:
 * {@code int indexOfR = i; double[] r = m[indexOfR];}. The reverse sweep re-derives a row reference (and
 * its adjoint, the same row of the matrix's adjoint) at the start of its block's reverse, from the
 * state at the block's end; the copies are never changed after the row reference, so that state
 * still names the row it referred to.
 */
final class RowCaptures {
  private final Names names;
  private final List<Var> added = new ArrayList<>();

  private RowCaptures(MethodIR method) {
    this.names = new Names(method);
  }

  /** {@code n} with every such row reference reading copies. */
  static ExitNormalizer.Normalized capture(ExitNormalizer.Normalized n) {
    RowCaptures c = new RowCaptures(n.method());
    Stmt.Block body = c.block(n.method().body());
    if (c.added.isEmpty()) {
      return n;
    }
    return new ExitNormalizer.Normalized(n.method().withBodyAdding(body, c.added), n.result());
  }

  private Stmt.Block block(Stmt.Block b) {
    List<Stmt> in = b.stmts();
    List<Stmt> out = new ArrayList<>();
    for (int k = 0; k < in.size(); k++) {
      Stmt s = in.get(k);
      if (s instanceof Stmt.Declare d && Plan.isRowReference(d)) {
        Set<String> laterWrites = new HashSet<>();
        for (Stmt later : in.subList(k + 1, in.size())) {
          Statements.forEach(later, x -> assignedVariable(x, laterWrites));
        }
        Expr init = captured((Expr.Index) d.init(), laterWrites, d.var().name(), out, true);
        if (init != d.init()) {
          out.add(new Stmt.Declare(d.var(), init, d.origin()));
          continue;
        }
      }
      out.add(nested(s));
    }
    return new Stmt.Block(out, b.origin());
  }

  /**
   * {@code location} ({@code m[i]}, {@code c[k][1]}) with copies of the indices, at every level,
   * and of the root array variable that {@code laterWrites} changes; itself if none. {@code last}:
   * whether this is the row's own index (copied as {@code indexOfR}; an outer one as {@code
   * sliceIndexOfR}).
   */
  private Expr captured(Expr.Index location, Set<String> laterWrites, String row, List<Stmt> out, boolean last) {
    Expr array = location.array();
    if (array instanceof Expr.Index outer) {
      array = captured(outer, laterWrites, row, out, false); // (outer copies come first)
    } else if (array instanceof Expr.Ref r && laterWrites.contains(r.var().name())) {
      array = new Expr.Ref(copyOf(array, r.var().name() + "Of" + capitalized(row), out));
    }
    Expr index = location.index();
    boolean contentsChange = laterWrites.contains(CONTENTS);
    if (Exprs.any(index, x -> contentsChange && (x instanceof Expr.Index || x instanceof Expr.MethodCall)
        || x instanceof Expr.Ref r && laterWrites.contains(r.var().name()))) {
      // an index read from an array (m[order[k]]) is copied whole: the array may change too
      index = new Expr.Ref(copyOf(index, (last ? "indexOf" : "sliceIndexOf") + capitalized(row), out));
    }
    return index == location.index() && array == location.array() ? location : new Expr.Index(array, index);
  }

  /** Declares a fresh local holding {@code value}, into {@code out}. */
  private Var copyOf(Expr value, String base, List<Stmt> out) {
    Var copy = names.fresh(base, value.type(), Var.Kind.SYNTHETIC);
    added.add(copy);
    out.add(new Stmt.Declare(copy, value, Origin.SYNTHETIC));
    return copy;
  }

  private Stmt nested(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return block(b);
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(i.condition(), block(i.whenTrue()), i.whenFalse() == null ? null : block(i.whenFalse()), i.origin());
    }
    if (s instanceof Stmt.For f) {
      return new Stmt.For(f.init(), f.condition(), f.update(), block(f.body()), f.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(w.condition(), block(w.body()), w.origin());
    }
    return s;
  }

  /** Stands for "some array's contents" among the names written (never a variable's name). */
  private static final String CONTENTS = "#";

  private static void assignedVariable(Stmt s, Set<String> names) {
    boolean[] calls = {false};
    Statements.ownExpressions(s, e -> calls[0] |= Exprs.any(e, x -> x instanceof Expr.MethodCall));
    if (calls[0] || s instanceof Stmt.Assign a && a.target() instanceof Expr.Index) {
      names.add(CONTENTS);
    }
    Var v = Statements.assignedVariable(s);
    if (v != null) {
      names.add(v.name());
    }
  }

  private static String capitalized(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
