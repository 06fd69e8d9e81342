package org.rad.processor.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * A polynomial with integer coefficients in int variables ({@code 2 b i + b - 1}): the normal form
 * in which {@link Footprints} substitutes loop bounds into indices and compares the results, and
 * from which it writes them back as short Java ({@code 2 * b * i2 + b - 1}, not {@code 2 * b *
 * i2 + b + (b - 1) + 0}).
 */
final class Poly {
  /** Coefficient per monomial; a monomial is the sorted list of its variables' names ("" joined). */
  private final TreeMap<List<String>, Long> terms;

  private Poly(TreeMap<List<String>, Long> terms) {
    this.terms = terms;
  }

  private static final Comparator<List<String>> ORDER = Comparator.<List<String>>comparingInt(List::size).reversed()
      .thenComparing(Object::toString);

  static Poly constant(long c) {
    TreeMap<List<String>, Long> t = new TreeMap<>(ORDER);
    if (c != 0) {
      t.put(List.of(), c);
    }
    return new Poly(t);
  }

  static Poly variable(String name) {
    TreeMap<List<String>, Long> t = new TreeMap<>(ORDER);
    t.put(List.of(name), 1L);
    return new Poly(t);
  }

  /**
   * The polynomial of an int expression of literals, variables, {@code +}, {@code -} and
   * {@code *}, recording the variables it names in {@code vars}; callers check the shape first.
   */
  static Poly of(Expr e, Map<String, Var> vars) {
    if (e instanceof Expr.Literal l) {
      return constant(l.integerValue());
    }
    if (e instanceof Expr.Ref r) {
      vars.put(r.var().name(), r.var());
      return variable(r.var().name());
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return constant(0).minus(of(u.operand(), vars));
    }
    if (e instanceof Expr.Binary b) {
      Poly left = of(b.left(), vars);
      Poly right = of(b.right(), vars);
      switch (b.op()) {
        case ADD:
          return left.plus(right);
        case SUB:
          return left.minus(right);
        case MUL:
          return left.times(right);
        default:
          break;
      }
    }
    throw new IllegalArgumentException("not a polynomial: " + e);
  }

  Poly plus(Poly o) {
    TreeMap<List<String>, Long> t = new TreeMap<>(terms);
    o.terms.forEach((m, c) -> add(t, m, c));
    return new Poly(t);
  }

  Poly minus(Poly o) {
    TreeMap<List<String>, Long> t = new TreeMap<>(terms);
    o.terms.forEach((m, c) -> add(t, m, -c));
    return new Poly(t);
  }

  Poly times(Poly o) {
    TreeMap<List<String>, Long> t = new TreeMap<>(ORDER);
    terms.forEach((m1, c1) -> o.terms.forEach((m2, c2) -> {
      List<String> m = new ArrayList<>(m1);
      m.addAll(m2);
      m.sort(null);
      add(t, List.copyOf(m), c1 * c2);
    }));
    return new Poly(t);
  }

  private static void add(TreeMap<List<String>, Long> t, List<String> monomial, long c) {
    long sum = t.getOrDefault(monomial, 0L) + c;
    if (sum == 0) {
      t.remove(monomial);
    } else {
      t.put(monomial, sum);
    }
  }

  /** Whether every coefficient, and one more than the constant, is an int. */
  boolean fitsInt() {
    return terms.values().stream().allMatch(c -> c > Integer.MIN_VALUE && c < Integer.MAX_VALUE);
  }

  boolean mentions(String name) {
    return terms.keySet().stream().anyMatch(m -> m.contains(name));
  }

  /** This polynomial with {@code name} replaced by {@code by}. */
  Poly substitute(String name, Poly by) {
    Poly out = constant(0);
    for (var e : terms.entrySet()) {
      Poly term = constant(e.getValue());
      for (String v : e.getKey()) {
        term = term.times(v.equals(name) ? by : variable(v));
      }
      out = out.plus(term);
    }
    return out;
  }

  /**
   * The coefficient of {@code name} where it occurs only in the monomial {@code name} itself (0
   * where it does not occur); null where it occurs in a product.
   */
  Long linearCoefficient(String name) {
    long c = 0;
    for (var e : terms.entrySet()) {
      if (e.getKey().contains(name)) {
        if (e.getKey().size() != 1) {
          return null;
        }
        c = e.getValue();
      }
    }
    return c;
  }

  /**
   * {@code {a, b}} with this polynomial {@code a * name + b}, neither mentioning {@code name};
   * null where {@code name} occurs squared.
   */
  Poly[] splitBy(String name) {
    TreeMap<List<String>, Long> a = new TreeMap<>(ORDER);
    TreeMap<List<String>, Long> b = new TreeMap<>(ORDER);
    for (var e : terms.entrySet()) {
      int count = (int) e.getKey().stream().filter(name::equals).count();
      if (count > 1) {
        return null;
      }
      if (count == 1) {
        List<String> rest = new ArrayList<>(e.getKey());
        rest.remove(name);
        a.put(List.copyOf(rest), e.getValue());
      } else {
        b.put(e.getKey(), e.getValue());
      }
    }
    return new Poly[] {new Poly(a), new Poly(b)};
  }

  /** The variables of the monomials of degree two or more ({@code n} and {@code i} of {@code i n + j}). */
  java.util.Set<String> productVariables() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    terms.keySet().stream().filter(m -> m.size() > 1).forEach(out::addAll);
    return out;
  }

  /** The constant value if this polynomial is one, else null. */
  Long constantValue() {
    if (terms.isEmpty()) {
      return 0L;
    }
    return terms.size() == 1 && terms.containsKey(List.of()) ? terms.get(List.of()) : null;
  }

  /**
   * The least (or greatest) of {@code all}, plus {@code add}, as an int expression: polynomials
   * that differ from another by a constant are compared here, the rest by {@code Math.min} (or
   * {@code Math.max}) at run time.
   */
  static Expr extreme(List<Poly> all, boolean least, long add, Map<String, Var> vars) {
    List<Poly> kept = new ArrayList<>();
    for (Poly p : all) {
      boolean dominated = false;
      for (int k = 0; k < kept.size() && !dominated; k++) {
        Long d = p.minus(kept.get(k)).constantValue();
        if (d != null) {
          dominated = true;
          if (least ? d < 0 : d > 0) {
            kept.set(k, p);
          }
        }
      }
      if (!dominated) {
        kept.add(p);
      }
    }
    if (kept.size() == 1) {
      return kept.get(0).plus(constant(add)).toExpr(vars);
    }
    Expr out = kept.get(0).toExpr(vars);
    for (int k = 1; k < kept.size(); k++) {
      out = new Expr.StaticCall(Expr.Owner.MATH, least ? "min" : "max", List.of(out, kept.get(k).toExpr(vars)), Type.INT);
    }
    return add == 0 ? out : new Expr.Binary(Expr.BinaryOp.ADD, out, Expr.Literal.ofInt((int) add), Type.INT);
  }

  /** The polynomial as Java: monomials of higher degree first, the constant last. */
  Expr toExpr(Map<String, Var> vars) {
    Expr out = null;
    for (var e : terms.entrySet()) {
      long c = e.getValue();
      Expr magnitude = null;
      for (String v : e.getKey()) {
        Expr ref = new Expr.Ref(vars.get(v));
        magnitude = magnitude == null ? ref : new Expr.Binary(Expr.BinaryOp.MUL, magnitude, ref, Type.INT);
      }
      long abs = Math.abs(c);
      if (magnitude == null) {
        magnitude = Expr.Literal.ofInt((int) abs);
      } else if (abs != 1) {
        magnitude = new Expr.Binary(Expr.BinaryOp.MUL, Expr.Literal.ofInt((int) abs), magnitude, Type.INT);
      }
      if (out == null) {
        out = c < 0 ? new Expr.Unary(Expr.UnaryOp.NEG, magnitude) : magnitude;
      } else {
        out = new Expr.Binary(c < 0 ? Expr.BinaryOp.SUB : Expr.BinaryOp.ADD, out, magnitude, Type.INT);
      }
    }
    return out == null ? Expr.Literal.ofInt(0) : out;
  }

  @Override
  public String toString() {
    return terms.toString();
  }
}
