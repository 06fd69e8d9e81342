package org.rad.processor.analysis;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * The variables and array contents an expression reads and a statement writes, as keys: a
 * variable's name (its value, or for an array its reference) or {@code #class} for the contents of
 * an alias class of arrays.
 */
public final class Effects {
  private final AliasClasses aliases;
  private final Map<String, MethodSummary> summaries;
  /** Adjoint arrays, mapped to the primal variable whose reference they stand for. */
  private final Map<String, String> shadowOf;

  /**
   * For generated helpers whose calls read the contents of only some array arguments (the reverse
   * sweeps of EJML operations): the helper's name to the indices of those arguments.
   */
  private final Map<String, java.util.BitSet> contentsRead;

  public Effects(AliasClasses aliases, Map<String, MethodSummary> summaries, Map<String, String> shadowOf) {
    this(aliases, summaries, shadowOf, Map.of());
  }

  public Effects(AliasClasses aliases, Map<String, MethodSummary> summaries, Map<String, String> shadowOf,
      Map<String, java.util.BitSet> contentsRead) {
    this.contentsRead = contentsRead;
    this.aliases = aliases;
    this.summaries = summaries;
    this.shadowOf = shadowOf;
  }

  /** Keys read when {@code e} is evaluated. */
  public Set<String> reads(Expr e) {
    Set<String> keys = new HashSet<>();
    reads(e, keys);
    return keys;
  }

  public void reads(Expr e, Set<String> keys) {
    if (e instanceof Expr.Ref r) {
      refRead(r.var(), keys);
      return;
    }
    if (e instanceof Expr.Index ix) {
      String root = Statements.rootVar(ix);
      if (root != null && !shadowOf.containsKey(root) && !ix.type().isArray()) {
        keys.add(aliases.contentsKey(root)); // an element's value; rows of a matrix are never reassigned
      }
      locationReads(ix, keys);
      return;
    }
    if (e instanceof Expr.MethodCall call) {
      callReads(call.args(), keys);
      return;
    }
    if (e instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED) {
      // a callee's forward, reverse or primal copy reads the contents of the arrays passed in
      java.util.BitSet only = contentsRead.get(call.name());
      if (only == null) {
        callReads(call.args(), keys);
        return;
      }
      for (int i = 0; i < call.args().size(); i++) {
        Expr a = call.args().get(i);
        if (only.get(i)) {
          callReads(java.util.List.of(a), keys);
        } else {
          reads(a, keys);
        }
      }
      return;
    }
    for (Expr c : Exprs.children(e)) {
      reads(c, keys);
    }
  }

  private void callReads(java.util.List<Expr> args, Set<String> keys) {
    for (Expr a : args) {
      reads(a, keys);
      String root = Statements.rootVar(a);
      if (root != null && a.type().isArray() && !shadowOf.containsKey(root)) {
        keys.add(aliases.contentsKey(root)); // the callee may read the array's contents
      }
    }
  }

  /**
   * The element reads among the reads {@link #reads} finds in {@code e}: each element access of an
   * array (not an adjoint) under its contents key, for {@link ElementDependences}; the contents
   * keys read otherwise (the arrays passed to a call, read anywhere) go to {@code whole}.
   */
  public void elementReads(Expr e, Map<String, java.util.List<Expr.Index>> elements, Set<String> whole) {
    if (e instanceof Expr.Index ix) {
      String root = Statements.rootVar(ix);
      if (root != null && !shadowOf.containsKey(root) && !ix.type().isArray()) {
        elements.computeIfAbsent(aliases.contentsKey(root), k -> new java.util.ArrayList<>()).add(ix);
      }
      elementLocationReads(ix, elements, whole);
      return;
    }
    java.util.List<Expr> args = null;
    java.util.BitSet only = null;
    if (e instanceof Expr.MethodCall call) {
      args = call.args();
    } else if (e instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED) {
      args = call.args();
      only = contentsRead.get(call.name());
    }
    if (args != null) {
      for (int i = 0; i < args.size(); i++) {
        Expr a = args.get(i);
        elementReads(a, elements, whole);
        String root = Statements.rootVar(a);
        if ((only == null || only.get(i)) && root != null && a.type().isArray() && !shadowOf.containsKey(root)) {
          whole.add(aliases.contentsKey(root));
        }
      }
      return;
    }
    for (Expr c : Exprs.children(e)) {
      elementReads(c, elements, whole);
    }
  }

  /** The element reads in the indices (and index chain) that locate {@code ix}. */
  public void elementLocationReads(Expr.Index ix, Map<String, java.util.List<Expr.Index>> elements, Set<String> whole) {
    if (ix.array() instanceof Expr.Index inner) {
      elementLocationReads(inner, elements, whole);
    } else {
      elementReads(ix.array(), elements, whole);
    }
    elementReads(ix.index(), elements, whole);
  }

  /** Reads needed to find the location {@code a[i][j]} (the array references and the indices). */
  public void locationReads(Expr.Index ix, Set<String> keys) {
    Expr base = ix.array();
    if (base instanceof Expr.Index inner) {
      locationReads(inner, keys);
    } else {
      reads(base, keys);
    }
    reads(ix.index(), keys);
  }

  /**
   * The key under which the contents of the adjoint array variable {@code name} are tracked: the
   * contents key of its primal's alias class (adjoints mirror arrays by identity), or its own
   * name where it shadows no array this method names.
   */
  public String adjointContentsKey(String name) {
    String primal = shadowOf.get(name);
    return primal != null ? "bar" + primal : "bar:" + name;
  }

  private void refRead(Var v, Set<String> keys) {
    String primal = shadowOf.get(v.name());
    if (primal != null) {
      keys.add(primal);
    } else if (v.kind() != Var.Kind.ADJOINT && !v.name().equals("ctx")) {
      keys.add(v.name());
    }
  }

  /** Keys {@code s} and the statements nested in it may write. */
  public Set<String> writes(Stmt s) {
    Set<String> keys = new HashSet<>();
    Statements.forEach(s, x -> ownWrites(x, keys));
    return keys;
  }

  private void ownWrites(Stmt s, Set<String> keys) {
    if (s instanceof Stmt.Declare d) {
      keys.add(d.var().name());
      if (d.init() instanceof Expr.MethodCall call) {
        callWrites(call, keys);
      }
    } else if (s instanceof Stmt.Assign a) {
      if (a.target() instanceof Expr.Ref r) {
        keys.add(r.var().name());
      } else {
        String root = Statements.rootVar(a.target());
        if (root != null) {
          keys.add(aliases.contentsKey(root));
        }
      }
      if (a.value() instanceof Expr.MethodCall call) {
        callWrites(call, keys);
      }
    } else if (s instanceof Stmt.Step st) {
      keys.add(st.var().name());
    } else if (s instanceof Stmt.Call c) {
      callWrites((Expr.MethodCall) c.call(), keys);
    }
  }

  private void callWrites(Expr.MethodCall call, Set<String> keys) {
    MethodSummary s = summaries.get(call.key());
    for (int i = 0; i < call.args().size(); i++) {
      String root = Statements.rootVar(call.args().get(i));
      if (root != null && call.args().get(i).type().isArray() && (s == null || s.writesParam(i))) {
        keys.add(aliases.contentsKey(root));
      }
    }
  }

  public AliasClasses aliases() {
    return aliases;
  }
}
