package org.rad.processor.cuda;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/** Small walks over IR statements that the CUDA planning shares: reads, writes, array variables. */
final class IrWalk {
  private IrWalk() {}

  static Var arrayOf(Expr.Index ix, List<Expr> idx) {
    Expr a = ix;
    List<Expr> rev = new ArrayList<>();
    while (a instanceof Expr.Index i) {
      rev.add(0, i.index());
      a = i.array();
    }
    idx.addAll(rev);
    return a instanceof Expr.Ref r ? r.var() : null;
  }

  static boolean isArrayName(Stmt.Block b, String name) {
    boolean[] found = {false};
    walkExprs(b, e -> {
      if (e instanceof Expr.Ref r && r.var().name().equals(name) && r.var().type().isArray()) {
        found[0] = true;
      }
    });
    return found[0];
  }

  static List<Stmt> flatten(List<Stmt> stmts) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Block b) {
        out.addAll(flatten(b.stmts()));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  static boolean reads(Expr e, Var v) {
    return contains(e, x -> x instanceof Expr.Ref r && r.var().name().equals(v.name()));
  }

  static boolean readsAny(Expr e, Set<String> names) {
    return contains(e, x -> x instanceof Expr.Ref r && names.contains(r.var().name()));
  }

  static boolean contains(Expr e, java.util.function.Predicate<Expr> p) {
    boolean[] found = {false};
    Exprs.walk(e, x -> {
      if (p.test(x)) {
        found[0] = true;
      }
    });
    return found[0];
  }

  static boolean writes(Stmt s, Var v) {
    Set<String> names = new HashSet<>();
    collectWrites(s, names);
    return names.contains(v.name());
  }

  static void collectWrites(Stmt s, Set<String> out) {
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> collectWrites(c, out));
    } else if (s instanceof Stmt.Declare d) {
      out.add(d.var().name());
    } else if (s instanceof Stmt.Assign a) {
      if (a.target() instanceof Expr.Ref r) {
        out.add(r.var().name());
      } else if (a.target() instanceof Expr.Index ix) {
        Var array = arrayOf(ix, new ArrayList<>());
        if (array != null) {
          out.add(array.name());
        }
      }
    } else if (s instanceof Stmt.Step st) {
      out.add(st.var().name());
    } else if (s instanceof Stmt.If i) {
      collectWrites(i.whenTrue(), out);
      if (i.whenFalse() != null) {
        collectWrites(i.whenFalse(), out);
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> collectWrites(c, out));
      f.update().forEach(c -> collectWrites(c, out));
      collectWrites(f.body(), out);
    } else if (s instanceof Stmt.While w) {
      collectWrites(w.body(), out);
    }
  }

  static void collectReads(Stmt s, Set<String> out) {
    walkExprs(s, e -> {
      if (e instanceof Expr.Ref r) {
        out.add(r.var().name());
      }
    });
  }

  /** Every expression node of {@code s} (targets included). */
  static void walkExprs(Stmt s, java.util.function.Consumer<Expr> f) {
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> walkExprs(c, f));
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        Exprs.walk(d.init(), f);
      }
    } else if (s instanceof Stmt.Assign a) {
      Exprs.walk(a.target(), f);
      Exprs.walk(a.value(), f);
    } else if (s instanceof Stmt.Call c) {
      Exprs.walk(c.call(), f);
    } else if (s instanceof Stmt.If i) {
      Exprs.walk(i.condition(), f);
      walkExprs(i.whenTrue(), f);
      if (i.whenFalse() != null) {
        walkExprs(i.whenFalse(), f);
      }
    } else if (s instanceof Stmt.For fo) {
      fo.init().forEach(c -> walkExprs(c, f));
      if (fo.condition() != null) {
        Exprs.walk(fo.condition(), f);
      }
      fo.update().forEach(c -> walkExprs(c, f));
      walkExprs(fo.body(), f);
    } else if (s instanceof Stmt.While w) {
      Exprs.walk(w.condition(), f);
      walkExprs(w.body(), f);
    } else if (s instanceof Stmt.Return r && r.value() != null) {
      Exprs.walk(r.value(), f);
    }
  }
}
