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

  /** The summary of the method {@code key} of the class, or null. */
  public MethodSummary summaryOf(String key) {
    return summaries.get(key);
  }

  /**
   * Whether {@code value} is a new array: {@code new double[n]}, an array literal, a {@code
   * clone()}, or the result of a method of the class that returns none of its parameters.
   */
  public boolean isNewArray(Expr value) {
    return value instanceof Expr.NewArray || value instanceof Expr.ArrayLiteral || value instanceof Expr.Clone
        || value instanceof Expr.MethodCall c && summaries.get(c.key()) != null
            && summaries.get(c.key()).returnsParam().isEmpty();
  }

  /** Keys read when {@code e} is evaluated. */
  public Set<String> reads(Expr e) {
    Set<String> keys = new HashSet<>();
    reads(e, keys);
    return keys;
  }

  public void reads(Expr e, Set<String> keys) {
    walkReads(e, keySink(keys, null));
  }

  /**
   * The reads of {@link #reads}, into {@code keys}, and their element accesses into {@code
   * elements} (for {@link ElementDependences}): each element access of an array (not an adjoint)
   * under its contents key, and in {@code elements.whole()} the contents keys read otherwise (the
   * arrays passed to a call, read anywhere). One walk, so the two cannot disagree.
   */
  public void reads(Expr e, Set<String> keys, ElementDependences.Reads elements) {
    walkReads(e, keySink(keys, elements));
  }

  /** Reads needed to find the location {@code a[i][j]} (the array references and the indices). */
  public void locationReads(Expr.Index ix, Set<String> keys) {
    walkLocation(ix, keySink(keys, null));
  }

  /** As {@link #locationReads(Expr.Index, Set)}, with the element accesses as in {@link #reads(Expr, Set, ElementDependences.Reads)}. */
  public void locationReads(Expr.Index ix, Set<String> keys, ElementDependences.Reads elements) {
    walkLocation(ix, keySink(keys, elements));
  }

  /** What a walk of the reads of an expression reports. */
  private interface ReadSink {
    /** A variable's value (for an array, its reference). */
    void variable(Var v);

    /** The value of element {@code ix} of an array of the class whose contents key is {@code contents}. */
    void element(String contents, Expr.Index ix);

    /** Contents of the class {@code contents}, read anywhere (an array passed to a call). */
    void whole(String contents);
  }

  /** The sink that collects keys, and element accesses where {@code elements} is not null. */
  private ReadSink keySink(Set<String> keys, ElementDependences.Reads elements) {
    return new ReadSink() {
      @Override
      public void variable(Var v) {
        refRead(v, keys);
      }

      @Override
      public void element(String contents, Expr.Index ix) {
        keys.add(contents);
        if (elements != null) {
          elements.elements().computeIfAbsent(contents, k -> new java.util.ArrayList<>()).add(ix);
        }
      }

      @Override
      public void whole(String contents) {
        keys.add(contents);
        if (elements != null) {
          elements.whole().add(contents);
        }
      }
    };
  }

  private void walkReads(Expr e, ReadSink sink) {
    if (e instanceof Expr.Ref r) {
      sink.variable(r.var());
      return;
    }
    if (e instanceof Expr.Index ix) {
      String root = Statements.rootVar(ix);
      if (root != null && !shadowOf.containsKey(root) && !ix.type().isArray()) {
        sink.element(aliases.contentsKey(root), ix); // an element's value; rows of a matrix are never reassigned
      }
      walkLocation(ix, sink);
      return;
    }
    if (e instanceof Expr.MethodCall call) {
      walkArguments(call.args(), null, sink);
      return;
    }
    if (e instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED) {
      // a callee's forward, reverse or primal copy reads the contents of the arrays passed in
      // (of only some, for a helper in contentsRead)
      walkArguments(call.args(), contentsRead.get(call.name()), sink);
      return;
    }
    for (Expr c : Exprs.children(e)) {
      walkReads(c, sink);
    }
  }

  /** The arguments' reads, and the contents of each array argument ({@code only} null) or of those in {@code only}. */
  private void walkArguments(java.util.List<Expr> args, java.util.BitSet only, ReadSink sink) {
    for (int i = 0; i < args.size(); i++) {
      Expr a = args.get(i);
      walkReads(a, sink);
      String root = Statements.rootVar(a);
      if ((only == null || only.get(i)) && root != null && a.type().isArray() && !shadowOf.containsKey(root)) {
        sink.whole(aliases.contentsKey(root)); // the callee may read the array's contents
      }
    }
  }

  private void walkLocation(Expr.Index ix, ReadSink sink) {
    if (ix.array() instanceof Expr.Index inner) {
      walkLocation(inner, sink);
    } else {
      walkReads(ix.array(), sink);
    }
    walkReads(ix.index(), sink);
  }

  /**
   * The key under which the contents of the adjoint array variable {@code name} are tracked: the
   * contents key of its primal's alias class (adjoints mirror arrays by identity), or its own
   * name where it shadows no array this method names.
   */
  public String adjointContentsKey(String name) {
    String primal = shadowOf.get(name);
    if (primal == null) {
      return "bar:" + name;
    }
    // (an adjoint derived from another, bar:row, or sized from a length, is its own)
    return primal.startsWith("bar:") || primal.contains(".") ? "bar" + primal : "bar" + aliases.contentsKey(primal);
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
