package org.rad.processor.analysis;

import java.util.HashSet;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * The alias classes of nested arrays ({@code double[][]}, {@code double[][][]}) whose rows are
 * distinct objects: two rows reached by different paths ({@code a[i]} and {@code b[j]} with
 * {@code a != b} or {@code i != j}, at any depth) are never one array.
 *
 * <p>Java lets rows be shared ({@code m[1] = m[0]}, a shallow {@code clone()}, a matrix built from
 * a caller's rows), so this holds only where the method sees every matrix of the class made: each
 * is a full allocation {@code new double[a][b]} (or a reference to another member of the class, as
 * a buffer swap writes), none is a parameter (unless its rows are checked at run time) or a field
 * or comes back from a call, no row is ever
 * stored into one, and none is handed to a method outside the subset (which might store rows).
 * Rows read into locals ({@code double[] out = next[i];}) and element writes through them keep
 * the rows distinct; so do the class's own methods, in which row stores and shallow clones are
 * rejected as they are here.
 *
 * <p>The forward sweep uses it to take the row records of a loop over rows before the loop
 * ({@code transform/RecordFission}): row {@code i} of one matrix is then untouched by the
 * iterations before {@code i}.
 */
public final class DistinctRows {
  private final AliasClasses aliases;
  /** Representatives of the classes where rows may be shared. */
  private final Set<String> shared = new HashSet<>();

  private DistinctRows(AliasClasses aliases) {
    this.aliases = aliases;
  }

  /** The classes of {@code method}'s nested arrays whose rows are distinct objects. */
  public static DistinctRows of(MethodIR method, AliasClasses aliases) {
    return of(method, aliases, java.util.Set.of());
  }

  /**
   * As above, taking the rows of the parameters in {@code checked} as distinct: the public gradient
   * methods check a caller's (see {@code Arguments.requireDistinctRows}).
   */
  public static DistinctRows of(MethodIR method, AliasClasses aliases, Set<String> checked) {
    DistinctRows rows = new DistinctRows(aliases);
    for (Var p : method.params()) {
      if (p.type().isNested() && !checked.contains(p.name())) {
        rows.share(p.name());
      }
    }
    Statements.forEach(method.body(), s -> {
      if (s instanceof Stmt.Declare d && d.var().type().isNested() && d.init() != null && !fresh(d.init())) {
        rows.share(d.var().name());
      } else if (s instanceof Stmt.Assign a && a.target().type().isArray()) {
        if (a.target() instanceof Expr.Ref r) {
          if (r.type().isNested() && !fresh(a.value())) {
            rows.share(r.var().name());
          }
        } else {
          rows.shareRoot(a.target()); // a row (or matrix) stored into a nested array
        }
      }
      Statements.ownExpressions(s, e -> Exprs.walk(e, x -> {
        if (x instanceof Expr.FieldRead f && f.type().isNested()) {
          rows.shared.add(aliases.find("@" + f.name()));
        }
        for (Expr arg : callArguments(x)) {
          if (arg.type().isNested()) {
            rows.shareRoot(arg); // the callee might store rows into it
          }
        }
      }));
    });
    return rows;
  }

  /**
   * Whether the rows of {@code name}'s class are distinct objects. False for a variable that is
   * not a nested array.
   */
  public boolean distinct(String name) {
    return name != null && !shared.contains(aliases.find(name));
  }

  /** A value that keeps a nested variable's rows distinct: a full allocation, null, or a member. */
  private static boolean fresh(Expr value) {
    if (value instanceof Expr.NewArray n) {
      return n.dims().size() == n.type().rank();
    }
    if (value instanceof Expr.Literal l) {
      return "null".equals(l.text());
    }
    if (value instanceof Expr.Conditional c) {
      return fresh(c.whenTrue()) && fresh(c.whenFalse());
    }
    return value instanceof Expr.Ref; // another member: the alias classes tie the two
  }

  /**
   * The arguments of a call that may store rows into them: a method outside the subset. (The
   * subset itself has no row stores and no shallow clone, so the class's methods keep rows
   * distinct: they are rejected in them as in the method itself.)
   */
  private static java.util.List<Expr> callArguments(Expr x) {
    if (x instanceof Expr.StaticCall c && c.owner() == Expr.Owner.USER) {
      return c.args();
    }
    return java.util.List.of();
  }

  private void share(String name) {
    shared.add(aliases.find(name));
  }

  /** Marks the class of {@code e}'s root variable (a field's class is marked where it is read). */
  private void shareRoot(Expr e) {
    String root = Statements.rootVar(e);
    if (root != null) {
      share(root);
    }
  }
}
