package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.analysis.Footprints;
import org.rad.processor.analysis.MethodSummary;
import org.rad.processor.analysis.Statements;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Calls whose array arguments may be one array while the callee writes into one of them.
 *
 * <p>A callee is differentiated assuming its array parameters are distinct arrays, unless a
 * variant of it is made for a grouping of its parameters ("these may be one array": the variant's
 * alias classes tie them, so its sweeps record and restore as for a buffer swap, and its adjoints,
 * which mirror arrays by identity, are shared). A call whose arguments may alias (they are in one
 * alias class of the caller: a swapped buffer, two rows of one matrix) is versioned once, at the
 * call: {@code step(u, w)} becomes {@code if (u != w) step(u, w); else stepSameInOut(u, w);}, so
 * the time-stepping idiom, where u and w are distinct at every call, runs the plain callee, and a
 * call with one array twice ({@code hw(a, a, x)}, where the test is decided at compile time) runs
 * the variant. Either is exactly the user's code differentiated; nothing is copied. One array
 * passed twice with offsets ({@code lstmModel(b, params, p, state, s, state, in)}) also runs the
 * plain callee where the elements the callee reaches through the two parameters are disjoint at
 * run time ({@link org.rad.processor.analysis.Footprints}).
 *
 * <p>Arguments of different types (a matrix and a row of it) have no cheap test: such calls always
 * run the variant, which is right whether or not they share storage. A call of a method without a
 * body (an EJML operation) cannot be versioned and is rejected; so is one that is not a statement
 * of its own (the call lifter leaves only loop headers, where {@code WriteChecks} rejects calls
 * that write).
 */
final class AliasedCalls {
  /** Makes (once) the variant of a callee for a grouping of its parameters, and returns the call of it. */
  interface Variants {
    Expr.MethodCall sameArrays(Expr.MethodCall call, List<List<Integer>> groups);
  }

  private final AliasClasses aliases;
  private final Map<String, MethodSummary> summaries;
  private final Function<String, MethodIR> bodies;
  private final Variants variants;
  /**
   * Per call, the argument variable that the statement just before the call allocated ({@code
   * DMatrixRMaj next = new DMatrixRMaj(n, m); add(cur, w, next);}): at the call it is an array no
   * other argument can be, whatever the alias classes merge later ({@code cur = next;}).
   */
  private final Map<Expr.MethodCall, String> freshArgument = new java.util.IdentityHashMap<>();

  private AliasedCalls(AliasClasses aliases, Map<String, MethodSummary> summaries, Function<String, MethodIR> bodies,
      Variants variants) {
    this.aliases = aliases;
    this.summaries = summaries;
    this.bodies = bodies;
    this.variants = variants;
  }

  /**
   * {@code m} with its calls versioned; {@code m} itself when none needs it. {@code bodies} gives
   * a callee's IR by key, null for a method without a body.
   */
  static MethodIR version(MethodIR m, AliasClasses aliases, Map<String, MethodSummary> summaries,
      Function<String, MethodIR> bodies, Variants variants) {
    AliasedCalls v = new AliasedCalls(aliases, summaries, bodies, variants);
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Block b) {
        v.findFreshArguments(b);
      }
    });
    boolean[] any = {false};
    Statements.forEach(m.body(), s -> Statements.ownExpressions(s, e -> Exprs.walk(e, x -> {
      if (x instanceof Expr.MethodCall call && !v.groups(call).isEmpty()) {
        any[0] = true;
      }
    })));
    return any[0] ? m.withBody(v.block(m.body()), m.locals()) : m;
  }

  private void findFreshArguments(Stmt.Block b) {
    List<Stmt> stmts = b.stmts();
    for (int k = 1; k < stmts.size(); k++) {
      Var allocated = stmts.get(k - 1) instanceof Stmt.Declare d && d.init() instanceof Expr.NewArray ? d.var()
          : stmts.get(k - 1) instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && a.value() instanceof Expr.NewArray
              ? r.var() : null;
      Expr.MethodCall call = stmts.get(k) instanceof Stmt.Call c && c.call() instanceof Expr.MethodCall mc ? mc
          : stmts.get(k) instanceof Stmt.Declare d && d.init() instanceof Expr.MethodCall mc ? mc
          : stmts.get(k) instanceof Stmt.Assign a && a.value() instanceof Expr.MethodCall mc ? mc : null;
      if (allocated == null || call == null) {
        continue;
      }
      Var fresh = allocated;
      long mentions = call.args().stream().filter(x -> Exprs.mentions(x, fresh)).count();
      boolean plain = call.args().stream().anyMatch(x -> x instanceof Expr.Ref r && r.var().equals(fresh));
      if (mentions == 1 && plain) {
        freshArgument.put(call, fresh.name());
      }
    }
  }

  /**
   * The groups of argument indices that may be one array, of size two or more, with a member the
   * callee writes into; empty when the call needs no versioning. An argument just allocated
   * ({@link #freshArgument}) is in no group.
   */
  private List<List<Integer>> groups(Expr.MethodCall call) {
    MethodSummary callee = summaries.get(call.key());
    if (callee == null) {
      return List.of();
    }
    Map<String, List<Integer>> byClass = new LinkedHashMap<>();
    for (int i = 0; i < call.args().size(); i++) {
      Expr arg = call.args().get(i);
      String root = Statements.rootVar(arg);
      if (arg.type().isArray() && root != null && !(arg instanceof Expr.Ref r && r.var().name().equals(freshArgument.get(call)))) {
        byClass.computeIfAbsent(aliases.find(root), k -> new ArrayList<>()).add(i);
      }
    }
    List<List<Integer>> groups = new ArrayList<>();
    for (List<Integer> g : byClass.values()) {
      if (g.size() > 1 && g.stream().anyMatch(callee::writesParam)) {
        groups.add(List.copyOf(g));
      }
    }
    return groups;
  }

  /**
   * The error for a call whose {@code group} cannot be versioned: names a written argument and
   * another; {@code instead} null advises copying the other.
   */
  private CompileError aliasing(Expr.MethodCall call, List<Integer> group, String where, String instead) {
    MethodSummary callee = summaries.get(call.key());
    int written = group.stream().filter(callee::writesParam).findFirst().orElse(group.get(0));
    int other = group.get(0) == written ? group.get(1) : group.get(0);
    Expr first = call.args().get(Math.min(written, other));
    Expr second = call.args().get(Math.max(written, other));
    if (instead == null) {
      Expr copied = call.args().get(other);
      instead = "pass a copy (" + Exprs.describe(copied) + (copied.type() == Type.MATRIX ? ".copy()" : ".clone()") + ")";
    }
    return new CompileError(call.origin(), Message.UNSUPPORTED.format(
        "passing " + Exprs.describe(first) + " and " + Exprs.describe(second) + ", which may be the same array, to "
            + call.name() + ", which writes into " + Exprs.describe(call.args().get(written)) + where, instead));
  }

  private Stmt.Block block(Stmt.Block b) {
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
    } else if (s instanceof Stmt.For f) {
      for (Stmt header : f.init()) {
        rejectVersionable(header, ", in a for loop's header", "call it before the loop");
      }
      for (Stmt header : f.update()) {
        rejectVersionable(header, ", in a for loop's header", "call it at the end of the loop's body");
      }
      out.add(new Stmt.For(f.init(), f.condition(), f.update(), block(f.body()), f.origin()));
    } else if (s instanceof Stmt.While w) {
      out.add(new Stmt.While(w.condition(), block(w.body()), w.origin()));
    } else if (s instanceof Stmt.Call c && c.call() instanceof Expr.MethodCall call && !groups(call).isEmpty()) {
      version(call, s.origin(), x -> new Stmt.Call(x, c.origin()), out);
    } else if (s instanceof Stmt.Declare d && d.init() instanceof Expr.MethodCall call && !groups(call).isEmpty()) {
      out.add(new Stmt.Declare(d.var(), null, d.origin()));
      version(call, s.origin(), x -> new Stmt.Assign(Exprs.ref(d.var()), Stmt.AssignOp.SET, x, d.origin()), out);
    } else if (s instanceof Stmt.Assign a && a.value() instanceof Expr.MethodCall call && !groups(call).isEmpty()) {
      version(call, s.origin(), x -> new Stmt.Assign(a.target(), a.op(), x, a.origin()), out);
    } else {
      // the call lifter leaves no writing call inside an expression: this only keeps it so
      rejectVersionable(s, ", inside an expression", "call it in a statement of its own and use the result");
      out.add(s);
    }
  }

  /** Rejects a call in {@code s} that would need versioning where it cannot be versioned. */
  private void rejectVersionable(Stmt s, String where, String instead) {
    Statements.ownExpressions(s, e -> Exprs.walk(e, x -> {
      if (x instanceof Expr.MethodCall call && !groups(call).isEmpty()) {
        throw aliasing(call, groups(call).get(0), where, instead);
      }
    }));
  }

  /** The statement {@code make(call)}, run as {@code call} when its arguments are distinct arrays, else as the variant's. */
  private void version(Expr.MethodCall call, Origin origin, java.util.function.Function<Expr, Stmt> make, List<Stmt> out) {
    List<List<Integer>> groups = groups(call);
    MethodIR callee = bodies.apply(call.key());
    if (callee == null) {
      throw aliasing(call, groups.get(0), ", an operation whose adjoint assumes distinct arrays", null);
    }
    Expr.MethodCall same = variants.sameArrays(call, groups);
    Expr distinct = distinct(call, groups, callee);
    if (distinct == null) {
      out.add(make.apply(same));
    } else {
      out.add(new Stmt.If(distinct, Stmt.Block.of(List.of(make.apply(call))), Stmt.Block.of(List.of(make.apply(same))), origin));
    }
  }

  /**
   * The run-time test that the arguments of each group behave as distinct arrays, or null when it
   * cannot pass or cannot be written. Two arguments do when they are different arrays ({@code u
   * != w}), or when the callee reaches disjoint elements through the two parameters ({@link
   * Footprints}: {@code hi1 <= lo2 || hi2 <= lo1}, its parameters replaced by the arguments), as
   * with two offsets into one array. A pair with neither test (the same expression twice and no
   * known ranges, a matrix and a row) runs the variant.
   */
  private static Expr distinct(Expr.MethodCall call, List<List<Integer>> groups, MethodIR callee) {
    Expr test = null;
    for (List<Integer> g : groups) {
      for (int a = 0; a < g.size(); a++) {
        for (int b = a + 1; b < g.size(); b++) {
          Expr x = call.args().get(g.get(a));
          Expr y = call.args().get(g.get(b));
          if (x.type() != y.type()) {
            return null;
          }
          Expr pair = x.equals(y) ? null : new Expr.Binary(Expr.BinaryOp.NE, x, y, Type.BOOLEAN);
          Expr apart = disjoint(call, callee, g.get(a), g.get(b));
          if (apart != null) {
            pair = pair == null ? apart : new Expr.Binary(Expr.BinaryOp.OR, pair, apart, Type.BOOLEAN);
          }
          if (pair == null) {
            return null;
          }
          test = test == null ? pair : Exprs.and(test, pair);
        }
      }
    }
    return test;
  }

  /**
   * {@code hi1 <= lo2 || hi2 <= lo1} for the ranges the callee reaches through parameters
   * {@code i} and {@code j}, in the call's arguments; true where one range is empty; null where
   * a range is unknown or an argument it uses is not a plain value.
   */
  private static Expr disjoint(Expr.MethodCall call, MethodIR callee, int i, int j) {
    Footprints.Range first = Footprints.of(callee, callee.params().get(i));
    Footprints.Range second = Footprints.of(callee, callee.params().get(j));
    if (first == null || second == null) {
      return null;
    }
    if (first.empty() || second.empty()) {
      return new Expr.Literal("true", Type.BOOLEAN);
    }
    Map<Var, Expr> arguments = new java.util.HashMap<>();
    for (int k = 0; k < callee.params().size(); k++) {
      Expr arg = call.args().get(k);
      if (Exprs.any(arg, x -> x instanceof Expr.MethodCall || x instanceof Expr.NewArray || x instanceof Expr.Clone)) {
        return null;
      }
      arguments.put(callee.params().get(k), arg);
    }
    Expr below = new Expr.Binary(Expr.BinaryOp.LE, Exprs.substitute(first.hi(), arguments),
        Exprs.substitute(second.lo(), arguments), Type.BOOLEAN);
    Expr above = new Expr.Binary(Expr.BinaryOp.LE, Exprs.substitute(second.hi(), arguments),
        Exprs.substitute(first.lo(), arguments), Type.BOOLEAN);
    return new Expr.Binary(Expr.BinaryOp.OR, below, above, Type.BOOLEAN);
  }
}
