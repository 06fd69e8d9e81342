package org.rad.processor.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Decisions about what the reverse sweep can recompute instead of reading from the tape. At the
 * start of a block's reverse, the state is the state at the block's end in the forward sweep, so:
 *
 * <ul>
 *   <li>a declaration whose variable is never reassigned and whose initializer is cheap (calls
 *       only of loop-free methods) and reads nothing that the rest of its block writes is
 *       recomputed at the start of the block's reverse (e.g. the source term
 *       {@code c = source(theta, x, t)} of a time step, a row reference {@code double[] row = m[i]});
 *   <li>a scalar declaration that fails that test only because a statement after its last reader
 *       (or that reader itself) writes what it reads ({@code double p = mid[j]; out[j] = f(p);}
 *       with {@code out} and {@code mid} possibly rows of one swapped buffer) is a candidate for
 *       recomputation later, in the reverse of its last reader, after that reader's restore:
 *       the state there is the state before the reader ran, provided the record planning restores
 *       every later overwrite of what it reads, which the planner's dataflow then guarantees.
 *       The differentiator enables such a candidate ({@link #of(MethodIR, Effects, Map, Set, Set)})
 *       where the variable would otherwise be taped and those overwrites are recorded anyway, so
 *       one record per reader goes and none comes;
 *   <li>an {@code if} whose condition reads nothing its branches write re-evaluates the condition
 *       instead of recording a bit, unless it reads what its loop writes (other than counted
 *       loop indices and recomputed declarations): {@code s += x[i] * x[i]; if (s > stop) break;}
 *       records one bit per iteration, where re-evaluating would keep {@code s} per iteration;
 *   <li>a counted {@code for} loop ({@code for (int i = a; i < b; i += c)}) whose body writes
 *       neither {@code i} nor what {@code a} and {@code b} read runs backwards from its last index
 *       instead of recording a trip count.
 * </ul>
 */
public final class Plan {
  /** A counted loop the reverse sweep can run backwards. {@code step} is positive. */
  public record CountedLoop(Var index, Expr start, Expr bound, Expr.BinaryOp comparison, long step) {
    public boolean ascending() {
      return comparison == Expr.BinaryOp.LT || comparison == Expr.BinaryOp.LE;
    }
  }

  private final Set<Stmt.Declare> recomputable = identitySet();
  /** Candidates for recomputation in the reverse of their last reader: declaration to reader. */
  private final Map<Stmt.Declare, Stmt> lateCandidates = new IdentityHashMap<>();
  /** The enabled candidates: recomputed in the reverse of the statement they map to. */
  private final Map<Stmt.Declare, Stmt> late = new IdentityHashMap<>();
  private Set<Stmt.Declare> lateEnabled = Set.of();
  private final Set<Stmt.If> recomputedConditions = identitySet();
  private final Map<Stmt.For, CountedLoop> countedLoops = new IdentityHashMap<>();
  private final Set<Stmt> fromResult = identitySet();
  private final Map<Stmt.For, Set<String>> wholeOverwrites = new IdentityHashMap<>();
  private final Effects effects;
  private Set<String> sampledKeys = Set.of();
  private final Map<String, MethodSummary> summaries;

  /** A set that tells statements apart by identity (two equal-looking statements are distinct). */
  public static <T> Set<T> identitySetOf() {
    return identitySet();
  }

  static <T> Set<T> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  private Plan(Effects effects, Map<String, MethodSummary> summaries) {
    this.effects = effects;
    this.summaries = summaries;
  }

  public static Plan of(MethodIR method, Effects effects, Map<String, MethodSummary> summaries) {
    return of(method, effects, summaries, Set.of());
  }

  /**
   * The plan, where decisions that read a sampled value ({@code sampledKeys}) are never re-derived
   * in the reverse sweep (the value there is a sample): such branch decisions cost a bit and such
   * loops record their trip count, so control flow stays exact.
   */
  public static Plan of(MethodIR method, Effects effects, Map<String, MethodSummary> summaries, Set<String> sampledKeys) {
    return of(method, effects, summaries, sampledKeys, Set.of());
  }

  /**
   * The plan, with the candidates {@code lateEnabled} (from {@link #lateCandidates()} of a plan of
   * the same method) recomputed in the reverse of their last reader.
   */
  public static Plan of(MethodIR method, Effects effects, Map<String, MethodSummary> summaries, Set<String> sampledKeys,
      Set<Stmt.Declare> lateEnabled) {
    Plan plan = new Plan(effects, summaries);
    plan.sampledKeys = sampledKeys;
    plan.lateEnabled = lateEnabled;
    Set<String> assignedAfterDeclaration = new HashSet<>();
    Statements.forEach(method.body(), s -> {
      if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r) {
        assignedAfterDeclaration.add(r.var().name());
      } else if (s instanceof Stmt.Step st) {
        assignedAfterDeclaration.add(st.var().name());
      }
    });
    plan.reassigned = assignedAfterDeclaration;
    plan.block(method.body(), assignedAfterDeclaration);
    plan.chooseResultDerivatives(method);
    plan.findWholeOverwrites(method, assignedAfterDeclaration);
    return plan;
  }

  /**
   * The contents keys of the arrays that the counted loop {@code f} overwrites in full (none, one,
   * or several: {@code g[i] = 0; h[i] = 0;}):
   * {@code for (i = 0; i < n; i++) { ... a[i] = e; ... }} with the assignment unconditional at
   * the top of the body, {@code a} alone in its alias class, and {@code n} either {@code a.length}
   * (also through a local, {@code int n = a.length}, with {@code n} and {@code a} never assigned
   * again), or the size {@code a} was allocated with ({@code double[] a = new double[n]}, {@code a} and
   * what {@code n} reads never assigned again), or a bound below which every write of {@code a}
   * in the method stays ({@link #coversEveryWrite}). Restoring each element in the loop's reverse then
   * re-establishes the whole array for every reverse-sweep read before the loop, so the planner
   * need not record later overwrites for those reads (a buffer zeroed, then accumulated into).
   */
  public Set<String> overwritesWhole(Stmt.For f) {
    return wholeOverwrites.getOrDefault(f, Set.of());
  }

  private void findWholeOverwrites(MethodIR method, Set<String> assignedAfterDeclaration) {
    // what a size or a bound may not read: variables assigned after their declaration (a local
    // declared once, int n = x.length, keeps its value in its scope) and contents written anywhere
    Set<String> written = new HashSet<>(assignedAfterDeclaration);
    effects.writes(method.body()).stream().filter(k -> k.startsWith("#")).forEach(written::add);
    Map<String, Expr> sizes = new java.util.HashMap<>();
    Statements.forEach(method.body(), s -> {
      if (s instanceof Stmt.Declare d && d.var().type() == Type.DOUBLE_ARRAY && d.init() instanceof Expr.NewArray n
          && n.dims().size() == 1 && !assignedAfterDeclaration.contains(d.var().name())
          && Collections.disjoint(effects.reads(n.dims().get(0)), written) && pure(n.dims().get(0))) {
        sizes.put(d.var().name(), n.dims().get(0));
      }
    });
    // int n = a.length, both never assigned again: n is a's length
    Statements.forEach(method.body(), s -> {
      if (s instanceof Stmt.Declare d && d.init() instanceof Expr.Length l && l.array() instanceof Expr.Ref a
          && !assignedAfterDeclaration.contains(d.var().name()) && !assignedAfterDeclaration.contains(a.var().name())) {
        lengthOf.put(d.var().name(), a.var().name());
      }
    });
    countedLoops.forEach((f, c) -> {
      if (c.step() != 1 || c.comparison() != Expr.BinaryOp.LT || !(c.start() instanceof Expr.Literal zero)
          || !zero.isZero()) {
        return;
      }
      for (Stmt s : f.body().stmts()) {
        if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Index ix && ix.array() instanceof Expr.Ref r
            && r.type() == Type.DOUBLE_ARRAY && ix.index() instanceof Expr.Ref i && i.var().equals(c.index())
            && effects.aliases().isAlone(r.var().name())
            && (isLengthOf(c.bound(), r.var()) || c.bound().equals(sizes.get(r.var().name()))
                || coversEveryWrite(method, r.var(), c.bound(), written))) {
          wholeOverwrites.computeIfAbsent(f, k -> new java.util.LinkedHashSet<>()).add(effects.aliases().contentsKey(r.var().name()));
        }
      }
    });
  }

  /** Per local {@code n} declared {@code int n = a.length}, both never assigned again: {@code a}. */
  private final Map<String, String> lengthOf = new java.util.HashMap<>();

  /** Whether {@code bound} is {@code a.length}, read directly or from a local that holds it. */
  public boolean isLengthOf(Expr bound, Var a) {
    return bound.equals(new Expr.Length(new Expr.Ref(a)))
        || bound instanceof Expr.Ref n && a.name().equals(lengthOf.get(n.var().name()));
  }

  /**
   * Whether every write of {@code a}'s contents in the method is {@code a[j] = ...} with {@code j}
   * the index of an ascending counted loop bounded by {@code j < bound} and starting at a
   * non-negative value: then a loop that overwrites {@code a[0]} to {@code a[bound - 1]} overwrites
   * every element the method ever changes (qtimesx's {@code out[j] = out[j] + l * x[i]} for
   * {@code j} from {@code i + 1} to {@code d}, after {@code out[id] = q[id] * x[id]} for
   * {@code id} below {@code d}), though {@code bound} need not be {@code a.length}. The bound
   * must read nothing the method assigns.
   */
  private boolean coversEveryWrite(MethodIR method, Var a, Expr bound, Set<String> written) {
    if (!pure(bound) || !Collections.disjoint(effects.reads(bound), written)
        || Exprs.any(bound, x -> x instanceof Expr.MethodCall)) {
      return false;
    }
    String key = effects.aliases().contentsKey(a.name());
    boolean[] ok = {true};
    writesWithin(method.body(), new java.util.ArrayDeque<>(), key, a, bound, ok);
    return ok[0];
  }

  private void writesWithin(Stmt s, java.util.Deque<Stmt.For> loops, String key, Var a, Expr bound, boolean[] ok) {
    if (!ok[0]) {
      return;
    }
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(x -> writesWithin(x, loops, key, a, bound, ok));
    } else if (s instanceof Stmt.If i) {
      writesWithin(i.whenTrue(), loops, key, a, bound, ok);
      if (i.whenFalse() != null) {
        writesWithin(i.whenFalse(), loops, key, a, bound, ok);
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(x -> writesWithin(x, loops, key, a, bound, ok));
      loops.push(f);
      writesWithin(f.body(), loops, key, a, bound, ok);
      f.update().forEach(x -> writesWithin(x, loops, key, a, bound, ok));
      loops.pop();
    } else if (s instanceof Stmt.While w) {
      writesWithin(w.body(), loops, key, a, bound, ok);
    } else if (effects.writes(s).contains(key)) {
      ok[0] = s instanceof Stmt.Assign as && as.target() instanceof Expr.Index ix && ix.array() instanceof Expr.Ref r
          && r.var().equals(a) && ix.index() instanceof Expr.Ref j && belowBound(j.var(), loops, bound);
    }
  }

  /** Whether {@code j} is the index of an enclosing ascending counted loop over [start, bound), start >= 0. */
  private boolean belowBound(Var j, java.util.Deque<Stmt.For> loops, Expr bound) {
    for (Stmt.For f : loops) { // innermost first
      CountedLoop c = countedLoops.get(f);
      if (c != null && c.index().equals(j)) {
        return c.comparison() == Expr.BinaryOp.LT && c.bound().equals(bound) && nonNegative(c.start(), loops);
      }
    }
    return false;
  }

  /** A literal >= 0, the index of an enclosing counted loop that starts >= 0 and ascends, or a sum of such. */
  private boolean nonNegative(Expr e, java.util.Deque<Stmt.For> loops) {
    if (e instanceof Expr.Literal lit) {
      Long v = lit.integerValue();
      return v != null && v >= 0;
    }
    if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.ADD) {
      return nonNegative(b.left(), loops) && nonNegative(b.right(), loops);
    }
    if (e instanceof Expr.Ref r) {
      for (Stmt.For f : loops) {
        CountedLoop c = countedLoops.get(f);
        if (c != null && c.index().equals(r.var())) {
          return c.ascending() && nonNegative(c.start(), loops);
        }
      }
    }
    return false;
  }

  /**
   * Whether the reverse of {@code s}, {@code y = f(x)} with f' a function of y (a
   * {@link MathRules.Rule#resultPartial()}: tanh' = 1 - y^2, exp' = y, sqrt' = 0.5 / y), takes the
   * derivative from {@code y} (read before {@code y}'s old value is restored) instead of from
   * {@code x}.
   */
  public boolean derivesFromResult(Stmt s) {
    return fromResult.contains(s);
  }

  /**
   * For {@code y = f(x)} with a {@link MathRules.Rule#resultPartial()}: the derivative is taken from the result
   * when the argument is not available in the reverse sweep for free, that is when it reads a
   * value that the method overwrites (other than loop indices and locals the reverse recomputes).
   * The argument then need not be recorded at all (an RNN's pre-activation {@code a} in
   * {@code h[i] = tanh(a)}), and the result, which is often recorded anyway, serves instead. A
   * sampled result is never used: 1 - y^2 of a sample is a biased estimate.
   */
  private void chooseResultDerivatives(MethodIR method) {
    Set<String> written = effects.writes(method.body());
    Set<String> rederived = new HashSet<>();
    countedLoops.values().forEach(c -> rederived.add(c.index().name()));
    recomputable.forEach(d -> rederived.add(d.var().name()));
    Statements.forEach(method.body(), s -> {
      Expr target;
      Expr value;
      if (s instanceof Stmt.Declare d && d.init() != null) {
        target = new Expr.Ref(d.var());
        value = d.init();
      } else if (s instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET) {
        target = a.target();
        value = a.value();
      } else {
        return;
      }
      if (target.type() != Type.DOUBLE || !(value instanceof Expr.StaticCall f) || f.owner() != Expr.Owner.MATH
          || !MathRules.hasResultRule(f.name()) || f.args().size() != 1) {
        return;
      }
      String key = target instanceof Expr.Ref r ? r.var().name()
          : effects.aliases().contentsKey(Statements.rootVar(target));
      Set<String> argumentReads = effects.reads(f.args().get(0));
      // (in place, h[i] = tanh(h[i]), a[e] = exp(a[e] - m) or norm = Math.sqrt(norm): the
      // partial comes from the new value, and the argument reads the target only where its own
      // partials are constants, so nothing reads the old value)
      boolean inPlace = affineIn(f.args().get(0), key);
      if (key == null || sampledKeys.contains(key) || argumentReads.contains(key) && !inPlace
          || Exprs.any(f.args().get(0), x -> x instanceof Expr.MethodCall)) {
        return;
      }
      for (String read : argumentReads) {
        if (written.contains(read) && !rederived.contains(read)) {
          fromResult.add(s);
          return;
        }
      }
    });
  }

  /**
   * Whether {@code e} reads the contents {@code key} only linearly with constant coefficients
   * ({@code a[e] - m}, {@code 2 * a[i] + b[i]}, {@code a[e] / 3}): no partial of {@code e}, by
   * those elements or by anything else, reads them.
   */
  private boolean affineIn(Expr e, String key) {
    if (e instanceof Expr.Binary b && (b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB)) {
      return affineIn(b.left(), key) && affineIn(b.right(), key);
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return affineIn(u.operand(), key);
    }
    if (e instanceof Expr.Binary b && (b.op() == Expr.BinaryOp.MUL || b.op() == Expr.BinaryOp.DIV)) {
      // a constant factor ({@code 2 * a[i]}, {@code a[e] / 3}): a factor with a derivative of its
      // own ({@code x * a[i]}) has the element in its partial, which would read the old value
      boolean left = effects.reads(b.left()).contains(key);
      boolean right = effects.reads(b.right()).contains(key);
      return left && !right ? constantFactor(b.right()) && affineIn(b.left(), key)
          : !left && right && b.op() == Expr.BinaryOp.MUL ? constantFactor(b.left()) && affineIn(b.right(), key)
          : !left && !right;
    }
    if (e instanceof Expr.Ref r && r.var().name().equals(key)) {
      return true; // the scalar itself (norm = Math.sqrt(norm))
    }
    if (e instanceof Expr.Index ix && !ix.type().isArray() && key.equals(
        effects.aliases().contentsKey(Statements.rootVar(ix)))) {
      // the element itself: its index must not read the array
      Expr a = ix;
      while (a instanceof Expr.Index i) {
        if (effects.reads(i.index()).contains(key)) {
          return false;
        }
        a = i.array();
      }
      return true;
    }
    return !effects.reads(e).contains(key);
  }

  /** Whether {@code e} has no derivative: literals and integer arithmetic only. */
  private static boolean constantFactor(Expr e) {
    return !Exprs.any(e, x -> x instanceof Expr.Ref r && r.type() == Type.DOUBLE || x instanceof Expr.Index
        || x instanceof Expr.FieldRead || x instanceof Expr.MethodCall || x instanceof Expr.StaticCall
        || x instanceof Expr.LibraryCall);
  }

  /** Whether {@code key}'s records are sampled ({@code @Randomize}). */
  public boolean isSampled(String key) {
    return sampledKeys.contains(key);
  }

  /** Variables assigned after their declaration (a swap, a counter): never re-derived. */
  private Set<String> reassigned = Set.of();

  /** Whether {@code v} is assigned after its declaration. */
  public boolean isReassigned(Var v) {
    return reassigned.contains(v.name());
  }

  /**
   * Whether the reverse sweep recomputes {@code d} instead of restoring it: at the start of its
   * block's reverse, or, where {@link #recomputedIn} names a statement, in that statement's reverse.
   */
  public boolean isRecomputable(Stmt.Declare d) {
    return recomputable.contains(d);
  }

  /**
   * The statement of {@code d}'s block (its last reader) in whose reverse {@code d} is recomputed,
   * after that statement's restore; null when {@code d} is recomputed at the start of its block's
   * reverse or not at all.
   */
  public Stmt recomputedIn(Stmt.Declare d) {
    return late.get(d);
  }

  /** Declarations that could be recomputed in the reverse of their last reader, and that reader. */
  public Map<Stmt.Declare, Stmt> lateCandidates() {
    return Collections.unmodifiableMap(lateCandidates);
  }

  public boolean recomputesCondition(Stmt.If i) {
    return recomputedConditions.contains(i);
  }

  public CountedLoop countedLoop(Stmt.For f) {
    return countedLoops.get(f);
  }

  /**
   * Whether {@code d} declares a reference to a row of a matrix ({@code double[] row = m[i]}), or
   * more generally to a sub-array of a nested array ({@code double[][] slice = phi[t]}, {@code
   * double[] row = phi[t][i]}).
   */
  public static boolean isRowReference(Stmt.Declare d) {
    return d.var().type().isArray() && d.init() instanceof Expr.Index;
  }

  private void block(Stmt.Block b, Set<String> reassigned) {
    List<Stmt> stmts = b.stmts();
    for (int k = 0; k < stmts.size(); k++) {
      Stmt s = stmts.get(k);
      if (s instanceof Stmt.Declare d && canRecompute(d, reassigned)) {
        Set<String> laterWrites = new HashSet<>();
        for (Stmt later : stmts.subList(k + 1, stmts.size())) {
          laterWrites.addAll(effects.writes(later));
        }
        boolean recompute = Collections.disjoint(effects.reads(d.init()), laterWrites);
        if (!recompute) {
          Stmt reader = lastReader(d, stmts, k);
          if (reader != null) {
            lateCandidates.put(d, reader);
            if (lateEnabled.contains(d)) {
              late.put(d, reader);
              recompute = true;
            }
          }
        }
        if (recompute) {
          recomputable.add(d);
          if (!Collections.disjoint(effects.reads(d.init()), sampledKeys)) {
            // recomputed in the reverse sweep from a sample: a decision reading it is not exact
            sampledKeys = new HashSet<>(sampledKeys);
            sampledKeys.add(d.var().name());
          }
        }
      }
      nested(s, reassigned);
    }
    // a declaration recomputed from a late one would read it before it is recomputed (at the
    // block's start, or at a reader further on): the late one is not late, unless those
    // declarations can be recomputed after it (see followers); readers only move on, so a few
    // rounds settle it
    for (int round = 0; round <= stmts.size(); round++) {
      boolean changed = false;
      for (Stmt s : stmts) {
        if (s instanceof Stmt.Declare d && lateCandidates.containsKey(d)) {
          Stmt readerBefore = lateCandidates.get(d);
          List<Stmt.Declare> followers = followers(d, stmts);
          if (followers == null) {
            lateCandidates.remove(d);
            if (late.remove(d) != null) {
              recomputable.remove(d);
            }
            changed = true;
          } else {
            changed |= lateCandidates.get(d) != readerBefore;
            if (late.containsKey(d)) {
              // (a follower of several late declarations is recomputed after them all: at the
              // first of their readers, which is at or after its last reader)
              Stmt at = late.get(d);
              for (Stmt.Declare f : followers) {
                Stmt place = late.get(f);
                if (place == null || indexOf(stmts, at) < indexOf(stmts, place)) {
                  late.put(f, at);
                  changed = true;
                }
              }
            }
          }
        }
      }
      if (!changed) {
        break;
      }
    }
  }

  /**
   * The declarations of the block recomputed at its start from the late candidate {@code d},
   * directly or through one another, which must be recomputed after {@code d}, in the reverse of
   * its reader, instead (a DP cell's {@code double a = r[i - 1][j] + x; double e = exp(-a * a);
   * r[i][j] = e * a;}: a and then e are recomputed in the reverse of the cell's write, after its
   * restore); null where {@code d} cannot be late. Such a declaration reads nothing written after
   * it in the block but {@code d} and the group, so only {@code d} constrains the place. A
   * declaration recomputed late from a member, at its own reader, needs that reader at or before
   * {@code d}'s (the reverse reaches a later reader first). Where a follower is read, or a late
   * reader of a member lies, after {@code d}'s reader ({@code lse} of a log-sum-exp over {@code a},
   * {@code b}, {@code c}, read by the cell's write), {@code d}'s reader moves there if {@code d}
   * can be recomputed there ({@link #lastReader}). The reverse of a reader recomputes its
   * declarations in declaration order ({@code SweepBuilder}). A declaration that is recorded
   * reads {@code d} wherever it is restored: it constrains nothing.
   */
  private List<Stmt.Declare> followers(Stmt.Declare d, List<Stmt> stmts) {
    int readerAt = indexOf(stmts, lateCandidates.get(d));
    if (readerAt < 0) {
      return null;
    }
    List<Stmt.Declare> followers = new ArrayList<>();
    Set<Stmt.Declare> seen = identitySet();
    java.util.Deque<Stmt.Declare> work = new java.util.ArrayDeque<>(List.of(d));
    int lastRead = readerAt;
    while (!work.isEmpty()) {
      Stmt.Declare read = work.poll();
      for (Stmt s : stmts) {
        if (s == d || !(s instanceof Stmt.Declare other) || seen.contains(other) || !recomputable.contains(other)
            || !Statements.mentions(other, read.var())) {
          continue;
        }
        if (!other.var().type().isNumeric()) {
          // a row reference recomputed from it (double[] row = t[i]) is bound with its adjoint row
          // at the block's start, which a late recomputation does not do (a tester's while loop
          // over rows: the adjoint row stayed null)
          return null;
        }
        seen.add(other);
        Stmt otherReader = late.get(other);
        if (otherReader != null && lateCandidates.get(other) == otherReader) {
          // late at its own reader (its own candidate's): recomputed there, after d if not later
          lastRead = Math.max(lastRead, indexOf(stmts, otherReader));
          continue;
        }
        followers.add(other);
        work.add(other);
        lastRead = Math.max(lastRead, lastMention(stmts, other));
      }
    }
    Stmt reader = lastRead > readerAt ? lastReader(d, stmts, indexOf(stmts, d), lastRead) : stmts.get(readerAt);
    if (reader == null) {
      return null;
    }
    lateCandidates.put(d, reader);
    if (late.containsKey(d)) {
      late.put(d, reader);
    }
    return followers;
  }

  private static int indexOf(List<Stmt> stmts, Stmt s) {
    for (int k = 0; k < stmts.size(); k++) {
      if (stmts.get(k) == s) {
        return k;
      }
    }
    return -1;
  }

  /** The index of the last statement of {@code stmts} that reads {@code d}'s variable (its own, if none). */
  private static int lastMention(List<Stmt> stmts, Stmt.Declare d) {
    int last = indexOf(stmts, d);
    for (int k = last + 1; k < stmts.size(); k++) {
      if (Statements.mentions(stmts.get(k), d.var())) {
        last = k;
      }
    }
    return last;
  }

  /**
   * The last statement of {@code stmts} after index {@code k} that reads {@code d}'s variable, if
   * {@code d} can be recomputed in its reverse: {@code d} a scalar, no statement between {@code d}
   * and that reader writing what {@code d} reads, and the reader, if it writes what {@code d}
   * reads, a number assignment whose reverse restores before it reads (not a call, not a result
   * that gives its own derivative) at a location that does not read {@code d}. Else null.
   */
  private Stmt lastReader(Stmt.Declare d, List<Stmt> stmts, int k) {
    int u = -1;
    for (int m = k + 1; m < stmts.size(); m++) {
      if (Statements.mentions(stmts.get(m), d.var())) {
        u = m;
      }
    }
    return u < 0 ? null : lastReader(d, stmts, k, u);
  }

  /** {@link #lastReader(Stmt.Declare, List, int)} at the statement {@code u} instead of the last that reads {@code d}. */
  private Stmt lastReader(Stmt.Declare d, List<Stmt> stmts, int k, int u) {
    if (!d.var().type().isNumeric()) {
      return null;
    }
    Set<String> initReads = effects.reads(d.init());
    for (Stmt between : stmts.subList(k + 1, u)) {
      if (!Collections.disjoint(effects.writes(between), initReads)) {
        return null;
      }
    }
    Stmt reader = stmts.get(u);
    if (Collections.disjoint(effects.writes(reader), initReads)) {
      return reader;
    }
    Expr target;
    Expr value;
    if (reader instanceof Stmt.Assign a) {
      target = a.target();
      value = a.value();
    } else if (reader instanceof Stmt.Declare rd && rd.init() != null) {
      target = new Expr.Ref(rd.var());
      value = rd.init();
    } else {
      return null;
    }
    boolean resultRule = value instanceof Expr.StaticCall f && f.owner() == Expr.Owner.MATH && MathRules.hasResultRule(f.name());
    // the restore needs the element's location before anything is recomputed: an index that reads
    // d ({@code int k = f(v[0]); v[k] = ...}) would be read before d is (a loop's k, from the
    // iteration after; a wrong element restored, and a wrong gradient)
    boolean locatedByIt = false;
    for (Expr t = target; t instanceof Expr.Index ix; t = ix.array()) {
      locatedByIt |= org.rad.processor.ir.Exprs.mentions(ix.index(), d.var());
    }
    return target.type() == Type.DOUBLE && !(value instanceof Expr.MethodCall) && !resultRule && !locatedByIt ? reader : null;
  }

  private void nested(Stmt s, Set<String> reassigned) {
    if (s instanceof Stmt.Block b) {
      block(b, reassigned);
    } else if (s instanceof Stmt.If i) {
      Set<String> writes = new HashSet<>(effects.writes(i.whenTrue()));
      if (i.whenFalse() != null) {
        writes.addAll(effects.writes(i.whenFalse()));
      }
      Set<String> conditionReads = effects.reads(i.condition());
      boolean loopWritesIt = !enclosingLoopWrites.isEmpty() && conditionReads.stream().anyMatch(
          k -> enclosingLoopWrites.peek().contains(k) && !rederivedForFree(k, enclosingLoopWrites.peek(), new HashSet<>()));
      if (pure(i.condition()) && Collections.disjoint(conditionReads, writes)
          && Collections.disjoint(conditionReads, sampledKeys) && !loopWritesIt) {
        recomputedConditions.add(i);
      }
      block(i.whenTrue(), reassigned);
      if (i.whenFalse() != null) {
        block(i.whenFalse(), reassigned);
      }
    } else if (s instanceof Stmt.For f) {
      CountedLoop counted = counted(f);
      if (counted != null && (!Collections.disjoint(effects.reads(counted.start()), sampledKeys)
          || !Collections.disjoint(effects.reads(counted.bound()), sampledKeys))) {
        counted = null;
      }
      if (counted != null) {
        countedLoops.put(f, counted);
      }
      for (Stmt init : f.init()) {
        nested(init, reassigned);
      }
      Set<String> loopWrites = costlyWrites(f);
      if (counted != null) {
        loopWrites.remove(counted.index().name());
      }
      enclosingLoopWrites.push(loopWrites);
      block(f.body(), reassigned);
      enclosingLoopWrites.pop();
    } else if (s instanceof Stmt.While w) {
      enclosingLoopWrites.push(costlyWrites(w));
      block(w.body(), reassigned);
      enclosingLoopWrites.pop();
    }
  }

  /**
   * The variables {@code loop} writes in every iteration, by statements outside any {@code if} of
   * it, less those that every write of which the reverse sweep undoes exactly ({@code i++},
   * {@code idx += d}: {@link Inversions}), which it has back for free. (A write under an {@code
   * if}, as a flag set where a loop is left, is rare: re-evaluating the conditions that read it
   * costs a record per such write, less than a bit per condition.)
   */
  private Set<String> costlyWrites(Stmt loop) {
    Set<String> undone = new HashSet<>();
    Set<String> kept = new HashSet<>();
    // (a for loop's initialization runs once, before the iterations: not counted)
    everyIteration(loop instanceof Stmt.For f ? f.body() : ((Stmt.While) loop).body(), undone, kept);
    if (loop instanceof Stmt.For f) {
      for (Stmt u : f.update()) {
        everyIteration(u, undone, kept);
      }
    }
    undone.removeAll(kept);
    kept.removeAll(undone);
    return kept;
  }

  /** Sorts the keys written by {@code s} outside any {@code if} into those its reverse undoes and the others. */
  private void everyIteration(Stmt s, Set<String> undone, Set<String> kept) {
    if (s instanceof Stmt.If) {
      return;
    }
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> everyIteration(c, undone, kept));
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> everyIteration(c, undone, kept));
      f.update().forEach(c -> everyIteration(c, undone, kept));
      everyIteration(f.body(), undone, kept);
    } else if (s instanceof Stmt.While w) {
      everyIteration(w.body(), undone, kept);
    } else {
      for (String k : effects.writes(s)) {
        (Inversions.inverse(s) != null ? undone : kept).add(k);
      }
    }
  }

  /** The writes of each loop around the statement being planned, innermost first. */
  private final java.util.ArrayDeque<Set<String>> enclosingLoopWrites = new java.util.ArrayDeque<>();

  /**
   * Whether {@code key} is a variable the reverse sweep re-derives anyway: a counted loop's index,
   * or a recomputed declaration whose own reads are not written by every iteration of the loop
   * ({@code loopWrites}) or are re-derived so in turn. (A declaration recomputed from what each
   * iteration overwrites, {@code err = Math.abs(yH - yE)} after {@code y = yH}, needs those values
   * recorded to be re-derived: a condition on it records its bit instead.)
   */
  private boolean rederivedForFree(String key, Set<String> loopWrites, Set<String> visiting) {
    if (countedLoops.values().stream().anyMatch(c -> c.index().name().equals(key))) {
      return true;
    }
    if (!visiting.add(key)) {
      return false;
    }
    for (Stmt.Declare d : recomputable) {
      if (d.var().name().equals(key)) {
        return effects.reads(d.init()).stream()
            .allMatch(r -> !loopWrites.contains(r) || rederivedForFree(r, loopWrites, visiting));
      }
    }
    return false;
  }

  private boolean canRecompute(Stmt.Declare d, Set<String> reassigned) {
    if (d.init() == null || reassigned.contains(d.var().name())) {
      return false;
    }
    Type t = d.var().type();
    boolean scalar = t == Type.DOUBLE || t == Type.INT || t == Type.LONG || t == Type.BOOLEAN;
    // (a field array, final double[] t = TABLE, is a constant of the method: fields are not
    // written in the subset, and carry no derivative)
    boolean fieldAlias = t.isArray() && d.init() instanceof Expr.FieldRead;
    return (scalar || isRowReference(d) || fieldAlias) && pure(d.init());
  }

  /**
   * No allocation, and no call of a method that writes into its arguments or that has loops: what
   * the reverse sweep re-evaluates must be cheap (a loop-free helper such as a source term is; a
   * dot product is not, and its value costs one double to record).
   */
  private boolean pure(Expr e) {
    return !Exprs.any(e, x -> x instanceof Expr.NewArray || x instanceof Expr.ArrayLiteral || x instanceof Expr.Clone
        || x instanceof Expr.MethodCall call && (call.type().isArray() || writesAnything(call) || !loopFree(call)));
  }

  private boolean loopFree(Expr.MethodCall call) {
    MethodSummary s = summaries.get(call.key());
    return s != null && s.loopFree();
  }

  private boolean writesAnything(Expr.MethodCall call) {
    MethodSummary s = summaries.get(call.key());
    return s == null || !s.writesParam().isEmpty();
  }

  private CountedLoop counted(Stmt.For f) {
    if (f.init().size() != 1 || !(f.init().get(0) instanceof Stmt.Declare d) || d.init() == null
        || !d.var().type().isIntegral() || f.update().size() != 1 || f.condition() == null) {
      return null;
    }
    Var i = d.var();
    Expr.Binary cond = normalizedCondition(f.condition(), i);
    if (cond == null) {
      return null;
    }
    Expr.BinaryOp op = cond.op();
    boolean up = op == Expr.BinaryOp.LT || op == Expr.BinaryOp.LE;
    boolean down = op == Expr.BinaryOp.GT || op == Expr.BinaryOp.GE;
    if (!up && !down || !cond.right().type().isIntegral() || !d.init().type().isIntegral()) {
      // (a bound that is a double, i < n / 2.0, is not an index the reverse sweep can count down
      // from: i < 2.5 runs to 2, not to (int) (2.5 - 1); the trip count is recorded instead)
      return null;
    }
    Long step = step(f.update().get(0), i, up);
    if (step == null) {
      return null;
    }
    Set<String> bodyWrites = effects.writes(f.body());
    Set<String> boundReads = new HashSet<>(effects.reads(d.init()));
    boundReads.addAll(effects.reads(cond.right()));
    if (bodyWrites.contains(i.name()) || !Collections.disjoint(bodyWrites, boundReads)
        || !pure(d.init()) || !pure(cond.right()) || Exprs.any(cond.right(), x -> x instanceof Expr.MethodCall)
        || Exprs.any(d.init(), x -> x instanceof Expr.MethodCall)) {
      return null;
    }
    return new CountedLoop(i, d.init(), cond.right(), op, step);
  }

  /**
   * A loop condition on index {@code i} as {@code i OP bound}: as written, or from {@code bound OP
   * i} (the comparison mirrored), or from {@code i + c OP bound} ({@code i OP bound - c}) and {@code
   * i - c OP bound} for an integer literal c ({@code for (i = 0; i + 1 < n; i++)}); else null.
   * (The sweeps run the loop's own condition forward; the bound serves the reverse sweep's
   * count, which differs only where {@code bound - c} overflows.)
   */
  private static Expr.Binary normalizedCondition(Expr condition, Var i) {
    if (!(condition instanceof Expr.Binary cond)) {
      return null;
    }
    Expr.BinaryOp op = cond.op();
    Expr left = cond.left();
    Expr bound = cond.right();
    if (!isRef(left, i) && isRef(bound, i)) {
      op = switch (op) {
        case LT -> Expr.BinaryOp.GT;
        case LE -> Expr.BinaryOp.GE;
        case GT -> Expr.BinaryOp.LT;
        case GE -> Expr.BinaryOp.LE;
        default -> null;
      };
      if (op == null) {
        return null;
      }
      Expr swapped = left;
      left = bound;
      bound = swapped;
    }
    if (left instanceof Expr.Binary shifted && (shifted.op() == Expr.BinaryOp.ADD || shifted.op() == Expr.BinaryOp.SUB)
        && isRef(shifted.left(), i) && shifted.right() instanceof Expr.Literal c && c.integerValue() != null
        && shifted.type() == i.type() && bound.type() == i.type() && c.type() == i.type()) {
      Expr.BinaryOp back = shifted.op() == Expr.BinaryOp.ADD ? Expr.BinaryOp.SUB : Expr.BinaryOp.ADD;
      left = shifted.left();
      bound = new Expr.Binary(back, bound, c, bound.type());
    }
    return isRef(left, i) ? new Expr.Binary(op, left, bound, Type.BOOLEAN) : null;
  }

  private static boolean isRef(Expr e, Var v) {
    return e instanceof Expr.Ref r && r.var().equals(v);
  }

  /** The positive step of {@code i++}, {@code i += 2}, ... in the loop's direction, else null. */
  private static Long step(Stmt update, Var i, boolean up) {
    if (update instanceof Stmt.Step st && st.var().equals(i)) {
      return st.increment() == up ? 1L : null;
    }
    if (update instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.var().equals(i)
        && a.value() instanceof Expr.Literal lit && lit.integerValue() != null) {
      long c = lit.integerValue();
      if (c <= 0) {
        return null;
      }
      if (a.op() == Stmt.AssignOp.ADD && up || a.op() == Stmt.AssignOp.SUB && !up) {
        return c;
      }
    }
    return null;
  }
}
