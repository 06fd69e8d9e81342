package org.rad.processor.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The elements a method can touch through an array parameter: a range {@code [lo, hi)} of
 * indices written in the method's parameters, which a caller can evaluate before the call.
 *
 * <p>Two array arguments that are one array at run time ({@code lstmModel(..., state, s, state,
 * in)}, where layer i reads the hidden state that layer i - 1 wrote) still behave as two distinct
 * arrays when the elements reached through one are never reached through the other: then the
 * callee as differentiated for distinct arrays is right, and the check {@code hi1 <= lo2 || hi2 <=
 * lo1} at the call decides it (see {@code AliasedCalls}).
 *
 * <p>The range is known when every use of the parameter is an element access {@code p[e]} (or
 * {@code p.length}) whose index {@code e} is affine in the indices of enclosing counted loops,
 * {@code for (int i = a; i < b; i++)} (or {@code <=}, or a positive literal step), with
 * coefficients, {@code a} and {@code b} made of literals and parameters the method never
 * assigns. An affine index takes its extremes at the corners of the loops' ranges (at the first
 * value of an index whose coefficient is a positive constant, since a loop that reaches the
 * access runs from first to last), so the range runs from the least to the greatest of those,
 * over every access ({@link Poly} compares what differs by a constant, {@code Math.min} and
 * {@code Math.max} the rest at run time). Accesses in branches count whether or not they run.
 * Anything else (the parameter passed on to a call, assigned to a variable, an index read from an
 * array or a local) leaves the range unknown.
 */
public final class Footprints {
  /** The indices {@code [lo, hi)}; {@code empty} where the method never touches an element. */
  public record Range(Expr lo, Expr hi, boolean empty) {}

  private static final int MAX_LOOP_INDICES = 3;

  private final Var param;
  private final Set<String> invariant = new HashSet<>();
  /** Per access, candidates for its least and for its greatest index. */
  private final List<Poly> lows = new ArrayList<>();
  private final List<Poly> highs = new ArrayList<>();
  /** The variables the polynomials name, by name. */
  private final Map<String, Var> vars = new HashMap<>();
  private boolean unknown;

  private Footprints(Var param) {
    this.param = param;
  }

  /** The range {@code m} touches through its array parameter {@code param}, or null if unknown. */
  public static Range of(MethodIR m, Var param) {
    if (!param.type().isArray() || param.type().element().isArray()) {
      return null;
    }
    Footprints f = new Footprints(param);
    Set<String> assigned = new HashSet<>();
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r) {
        assigned.add(r.var().name());
      } else if (s instanceof Stmt.Step st) {
        assigned.add(st.var().name());
      }
    });
    for (Var p : m.params()) {
      if (p.type().isIntegral() && !assigned.contains(p.name())) {
        f.invariant.add(p.name());
      }
    }
    f.block(m.body(), Map.of());
    if (f.unknown) {
      return null;
    }
    if (f.lows.stream().anyMatch(c -> !c.fitsInt()) || f.highs.stream().anyMatch(c -> !c.fitsInt())) {
      return null;
    }
    if (f.lows.isEmpty()) {
      return new Range(Expr.Literal.ofInt(0), Expr.Literal.ofInt(0), true);
    }
    return new Range(Poly.extreme(f.lows, true, 0, f.vars), Poly.extreme(f.highs, false, 1, f.vars), false);
  }

  /** A counted loop's index: its first and last values. */
  private record Bounds(Expr first, Expr last) {}

  private void block(Stmt.Block b, Map<Var, Bounds> loops) {
    for (Stmt s : b.stmts()) {
      statement(s, loops);
    }
  }

  private void statement(Stmt s, Map<Var, Bounds> loops) {
    if (s instanceof Stmt.Block b) {
      block(b, loops);
    } else if (s instanceof Stmt.If i) {
      expression(i.condition(), loops);
      block(i.whenTrue(), loops);
      if (i.whenFalse() != null) {
        block(i.whenFalse(), loops);
      }
    } else if (s instanceof Stmt.While w) {
      expression(w.condition(), loops);
      block(w.body(), loops);
    } else if (s instanceof Stmt.For f) {
      Map<Var, Bounds> inner = loops;
      Bounds counted = counted(f, loops);
      if (counted != null) {
        inner = new HashMap<>(loops);
        inner.put(((Stmt.Declare) f.init().get(0)).var(), counted);
      } else {
        f.init().forEach(init -> statement(init, loops));
        f.update().forEach(u -> statement(u, loops));
      }
      if (f.condition() != null) {
        expression(f.condition(), inner);
      }
      block(f.body(), inner);
    } else {
      Statements.ownExpressions(s, e -> expression(e, loops));
    }
  }

  /** Records the accesses of the parameter in {@code e}; marks the range unknown on any other use. */
  private void expression(Expr e, Map<Var, Bounds> loops) {
    if (e instanceof Expr.Index ix && ix.array() instanceof Expr.Ref r && r.var().equals(param)) {
      access(ix.index(), loops);
      expression(ix.index(), loops);
      return;
    }
    if (e instanceof Expr.Length l && l.array() instanceof Expr.Ref) {
      return;
    }
    if (e instanceof Expr.Ref r && r.var().equals(param)) {
      unknown = true;
      return;
    }
    for (Expr c : Exprs.children(e)) {
      expression(c, loops);
    }
  }

  private void access(Expr index, Map<Var, Bounds> loops) {
    if (!affine(index, loops)) {
      unknown = true;
      return;
    }
    Poly p = Poly.of(index, vars);
    List<Poly> least = new ArrayList<>(List.of(p));
    List<Poly> greatest = new ArrayList<>(List.of(p));
    int indices = 0;
    for (var loop : loops.entrySet()) {
      String i = loop.getKey().name();
      if (!p.mentions(i)) {
        continue;
      }
      if (++indices > MAX_LOOP_INDICES) {
        unknown = true;
        return;
      }
      Poly first = Poly.of(loop.getValue().first(), vars);
      Poly last = Poly.of(loop.getValue().last(), vars);
      // the index grows with i where its coefficient is a positive constant: its least value is
      // at i's first value (the loop runs when the access does, so first <= last); else either
      Long slope = p.substitute(i, Poly.constant(1)).minus(p.substitute(i, Poly.constant(0))).constantValue();
      least = corners(least, i, slope == null ? List.of(first, last) : List.of(slope > 0 ? first : last));
      greatest = corners(greatest, i, slope == null ? List.of(first, last) : List.of(slope > 0 ? last : first));
    }
    lows.addAll(least);
    highs.addAll(greatest);
  }

  private static List<Poly> corners(List<Poly> polys, String i, List<Poly> values) {
    List<Poly> out = new ArrayList<>();
    for (Poly c : polys) {
      for (Poly v : values) {
        out.add(c.substitute(i, v));
      }
    }
    return out;
  }

  /**
   * Whether {@code e} is an int expression of literals, invariant parameters and the indices of
   * {@code loops}, affine in those indices (no product of two terms that hold an index).
   */
  private boolean affine(Expr e, Map<Var, Bounds> loops) {
    if (e instanceof Expr.Literal l) {
      return l.integerValue() != null && l.type() == Type.INT;
    }
    if (e instanceof Expr.Ref r) {
      return invariant.contains(r.var().name()) || loops.containsKey(r.var());
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return affine(u.operand(), loops);
    }
    if (e instanceof Expr.Binary b && (b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB)) {
      return affine(b.left(), loops) && affine(b.right(), loops);
    }
    if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.MUL) {
      return affine(b.left(), loops) && affine(b.right(), loops)
          && (!holdsIndex(b.left(), loops) || !holdsIndex(b.right(), loops));
    }
    return false;
  }

  private static boolean holdsIndex(Expr e, Map<Var, Bounds> loops) {
    return Exprs.any(e, x -> x instanceof Expr.Ref r && loops.containsKey(r.var()));
  }

  /**
   * The first and last index of {@code f} when it counts up by a positive literal from a start to
   * a bound made of invariants, without writing its index; else null.
   */
  private Bounds counted(Stmt.For f, Map<Var, Bounds> loops) {
    if (f.init().size() != 1 || !(f.init().get(0) instanceof Stmt.Declare d) || d.init() == null
        || d.var().type() != Type.INT || f.update().size() != 1
        || !(f.condition() instanceof Expr.Binary cond) || !(cond.left() instanceof Expr.Ref r)
        || !r.var().equals(d.var()) || cond.op() != Expr.BinaryOp.LT && cond.op() != Expr.BinaryOp.LE) {
      return null;
    }
    Stmt u = f.update().get(0);
    boolean up = u instanceof Stmt.Step st && st.var().equals(d.var()) && st.increment()
        || u instanceof Stmt.Assign a && a.target() instanceof Expr.Ref ur && ur.var().equals(d.var())
            && a.op() == Stmt.AssignOp.ADD && a.value() instanceof Expr.Literal lit && lit.integerValue() != null
            && lit.integerValue() > 0;
    boolean[] written = {false};
    Statements.forEach(f.body(), s -> written[0] |= s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref ar
        && ar.var().equals(d.var()) || s instanceof Stmt.Step st && st.var().equals(d.var()));
    // (bounds free of enclosing indices: the corners of the loops are then a box)
    if (!up || written[0] || !affine(d.init(), Map.of()) || !affine(cond.right(), Map.of())) {
      return null;
    }
    // (with a step above 1 the last index may fall short of the bound: the range only widens)
    Expr last = cond.op() == Expr.BinaryOp.LT
        ? new Expr.Binary(Expr.BinaryOp.SUB, cond.right(), Expr.Literal.ofInt(1), Type.INT)
        : cond.right();
    return new Bounds(d.init(), last);
  }

}
