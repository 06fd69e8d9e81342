package org.rad.processor.transform;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.rad.processor.analysis.Effects;
import org.rad.processor.analysis.ElementDependences;
import org.rad.processor.analysis.Inversions;
import org.rad.processor.analysis.Plan;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Decides which overwrites push the old value, by a forward dataflow over the method of the
 * "pending" reverse reads: keys that the reverse of statements already executed will read, and
 * that no restore in between will have re-established. An overwrite of a pending key must push
 * its old value, and its restore then satisfies those reads; anything else stays off the tape.
 *
 * <p>So a variable overwritten many times in an inner loop but read by the reverse sweep only
 * before its declaration is restored once, at the declaration, not at each overwrite. Array
 * contents are tracked per alias class: an element's restore satisfies no read of the class, so
 * once pending, contents stay pending. What is pending at the end of the method is what the
 * reverse sweep reads from the final state: the hand-off from the forward sweep.
 *
 * <p>An element overwrite that records re-establishes, by its restore, that element for every
 * reverse read pending before it: a later overwrite of the same element ({@code h[i] = b[i];}
 * then {@code h[i] += w[i][j] * x[j]} in an inner loop) need not record for those reads, only
 * for reads that come after the first. Such a fact ({@link Restored}) holds for the rest of the
 * block of the recording statement, and in nested statements that write none of the variables
 * its element's location names.
 *
 * <p>A fresh array local ({@link SweepBuilder#freshLocals}) whose earlier arrays the reverse sweep
 * needs only to size their adjoints is read under its {@link #lengthKey}: an overwrite where only
 * that key is pending records the length of the array it lets go of, not the array.
 */
final class PushPlanner {
  private final Map<Stmt, Set<String>> reads;
  private final Map<Stmt, Set<String>> headerReads;
  private final Effects effects;
  private final Plan plan;
  private final Set<Stmt> pushes = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Stmt> lengthOnly = Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * Element overwrites that record only in one iteration of their loop (see {@link
   * #oneIterationSuffices}), with that iteration; {@link #everyIteration} are those found to need
   * a record in every iteration after all (a later round of a loop's fixpoint).
   */
  private final Map<Stmt, OneIteration> oneOnly = new IdentityHashMap<>();
  private final Set<Stmt> everyIteration = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The loops around the statement being planned, innermost first. */
  private final java.util.Deque<Stmt> enclosingLoops = new java.util.ArrayDeque<>();
  /** The pushes of the value itself (a loop's fixpoint may find one where it first found only a length wanted). */
  private final Set<Stmt> wholePushes = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Stmt> recordedCalls = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Stmt, Set<String>> pendingAtCalls = new IdentityHashMap<>();
  private Map<Stmt, java.util.List<Var>> spills = Map.of();
  private Set<Stmt> primalWriters = Set.of();
  /**
   * Element-level tests, or null (then contents are tracked per class alone). With them, a contents
   * key {@code #c} that is pending also carries tags {@code #c SEP n}, one per statement whose
   * reverse reads elements of the class (statement n of {@link #sites}), or {@code #c SEP ?} where
   * the elements read are not known; an element overwrite whose element no tagged read can reach
   * records nothing.
   */
  private ElementDependences deps;
  private Map<Stmt, ElementDependences.Reads> elementReads = Map.of();
  private final java.util.List<Stmt> sites = new java.util.ArrayList<>();
  private final Map<Stmt, Integer> siteIds = new IdentityHashMap<>();
  private static final String SEP = " @";
  /**
   * An element re-established by the restore of a recording overwrite, {@code target}, for the
   * tags pending just after it; valid while none of {@code names} (the array variable and the
   * index variables) is written.
   */
  private record Restored(String key, Expr.Index target, Set<String> tags, Set<String> names, Stmt at) {}

  /** The facts that hold at the statement being planned (see {@link Restored}). */
  private java.util.List<Restored> restored = java.util.List.of();
  private static final String UNKNOWN = SEP + "?";

  /**
   * The overwrites to record, the keys the reverse sweep reads from the final state, the calls
   * that run as they are whose written arrays must be recorded whole before them, and, for each
   * statement that calls a method of the class, the keys pending just before it: the contents
   * its callee's reverse sweep must give back as they were before the call (see {@link
   * RestoredParameters}), and among the pushes those that record only the length of the array
   * they let go of.
   */
  record Result(Set<Stmt> pushes, Set<String> pendingAtEnd, Set<Stmt> recordedCalls,
      Map<Stmt, Set<String>> pendingAtCalls, Set<Stmt> lengthOnly, Map<Stmt, OneIteration> oneIterationOnly) {}

  /**
   * The key under which the reverse sweep reads only the length of the array that local {@code
   * var} holds (to allocate its adjoint), not the array: satisfied by a record of the length, or
   * of the reference.
   */
  static String lengthKey(String var) {
    return var + ".length";
  }

  private PushPlanner(Map<Stmt, Set<String>> reads, Map<Stmt, Set<String>> headerReads, Effects effects, Plan plan) {
    this.reads = reads;
    this.headerReads = headerReads;
    this.effects = effects;
    this.plan = plan;
  }

  /**
   * @param readAtEntry keys whose values matter before the method runs at all (the contents of
   *     array parameters, which the caller's reverse sweep may read)
   * @param spills arrays recorded whole (sampled) right after a statement: the reverse sweep
   *     restores them there, so their values and references are no longer pending before it
   * @param primalWriters statements whose call runs as its primal copy (it carries no derivative)
   *     and writes into arrays: no callee reverse sweep undoes those writes, so where the reverse
   *     sweep reads the old contents, the call's written arrays are recorded whole
   * @param deps element-level tests ({@link ElementDependences}), or null
   * @param elementReads per statement, the element accesses among its reverse sweep's reads
   */
  static Result plan(Stmt.Block body, Map<Stmt, Set<String>> reads, Map<Stmt, Set<String>> headerReads,
      Effects effects, Plan plan, Set<String> readAtEntry, Map<Stmt, java.util.List<Var>> spills,
      Set<Stmt> primalWriters, ElementDependences deps, Map<Stmt, ElementDependences.Reads> elementReads) {
    PushPlanner p = new PushPlanner(reads, headerReads, effects, plan);
    p.spills = spills;
    p.primalWriters = primalWriters;
    p.deps = deps;
    p.elementReads = elementReads;
    Set<String> entry = new HashSet<>();
    p.addReads(entry, null, readAtEntry);
    Set<String> end = untagged(p.block(body, entry));
    Map<Stmt, Set<String>> atCalls = new IdentityHashMap<>();
    p.pendingAtCalls.forEach((s, keys) -> atCalls.put(s, untagged(keys)));
    p.lengthOnly.removeAll(p.wholePushes);
    p.oneOnly.keySet().removeAll(p.everyIteration);
    return new Result(p.pushes, end, p.recordedCalls, atCalls, p.lengthOnly, p.oneOnly);
  }

  private static Set<String> untagged(Set<String> keys) {
    Set<String> out = new HashSet<>();
    for (String k : keys) {
      if (!k.contains(SEP)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * Adds {@code keys}, read by the reverse of {@code reader} (null: by something else), to {@code
   * into}, with the tag of each contents key: the reader's, where its element reads of the class
   * are all known, else the unknown tag.
   */
  private void addReads(Set<String> into, Stmt reader, Set<String> keys) {
    into.addAll(keys);
    if (deps == null) {
      return;
    }
    for (String k : keys) {
      if (!k.startsWith("#")) {
        continue;
      }
      String tag = tag(reader, k);
      into.add(tag);
      // a read from here on is not one a fact's restore re-established (the same reader may run
      // again, in a loop, between the fact's statement and a later overwrite)
      for (Restored f : restored) {
        f.tags().remove(tag);
      }
    }
  }

  /**
   * The tag of the read of contents {@code k} by the reverse of {@code reader} (null: by something
   * else): the reader's, where its element reads of the class are all known, else the unknown tag.
   */
  private String tag(Stmt reader, String k) {
    ElementDependences.Reads known = reader == null ? null : elementReads.get(reader);
    return known != null && !known.whole().contains(k) && known.elements().containsKey(k)
        ? k + SEP + siteIds.computeIfAbsent(reader, r -> {
            sites.add(r);
            return sites.size() - 1;
          })
        : k + UNKNOWN;
  }

  /**
   * Takes from the facts that hold before a loop ({@link Restored}) the tags of the reads its body
   * and update make: such a read may come around the back edge, from an earlier iteration, before
   * any statement of the body, and a fact re-establishes an element only for the reads pending
   * before its own statement. (Taking a tag from a fact when its reader is planned came too late
   * for an overwrite before that reader in the body, where one pass found the loop's pending keys
   * unchanged: a helper's {@code v[1] = 0.5; for (...) { v[1] += 0.5; s0(v); }}, whose s0 reads
   * {@code v[(int) (3 * v[1]) % 3]}, recorded none of the loop's old values of {@code v[1]}.)
   */
  private void forgetLoopReads(Stmt.Block body, java.util.List<Stmt> update) {
    if (deps == null || restored.isEmpty()) {
      return;
    }
    Set<String> tags = new HashSet<>();
    java.util.function.Consumer<Stmt> collect = x -> {
      for (String k : reads.getOrDefault(x, Set.of())) {
        if (k.startsWith("#")) {
          tags.add(tag(x, k));
        }
      }
      for (String k : headerReads.getOrDefault(x, Set.of())) {
        if (k.startsWith("#")) {
          tags.add(tag(null, k));
        }
      }
    };
    Statements.forEach(body, collect);
    update.forEach(u -> Statements.forEach(u, collect));
    for (Restored f : restored) {
      f.tags().removeAll(tags);
    }
  }

  /** Removes a contents key and its tags: the reads it stood for are satisfied. */
  private static void removeContents(Set<String> keys, String key) {
    keys.remove(key);
    keys.removeIf(k -> k.startsWith(key + SEP));
  }

  /**
   * Whether the reverse of an earlier statement may read the element that {@code s} overwrites
   * through {@code write}, among the reads of {@code key} pending before it.
   */
  private boolean earlierReadMayHit(Set<String> pending, String key, Stmt s, ElementDependences.Access write) {
    return earlierReadMayHit(pending, key, s, write, null, null);
  }

  /**
   * Like {@link #earlierReadMayHit(Set, String, Stmt, ElementDependences.Access)}, where {@code
   * loop} is not null: in the iterations of {@code loop} other than the one whose index is {@code
   * at} (a reader that restores its own reads is taken to hit).
   */
  private boolean earlierReadMayHit(Set<String> pending, String key, Stmt s, ElementDependences.Access write,
      Stmt.For loop, Expr at) {
    if (pending.contains(key + UNKNOWN)) {
      return true;
    }
    for (String tag : pending) {
      if (!tag.startsWith(key + SEP)) {
        continue;
      }
      Stmt reader = readerOf(tag, key);
      Restored own = restoringOwnReads(reader, key, s);
      for (Expr.Index ix : elementReads.get(reader).elements().get(key)) {
        if (reestablished(tag, key, ix)) {
          continue;
        }
        ElementDependences.Access read = ElementDependences.Access.of(ix);
        boolean apart = own != null
            ? loop == null && (ix.equals(own.target()) || deps.distinctInOneIteration(s, write, reader, read))
            : loop == null ? deps.noEarlierRead(s, write, reader, read, pendingSince(s, tag))
            : deps.noEarlierReadExceptAt(s, write, reader, read, loop, at, pendingSince(s, tag));
        if (!apart) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The one iteration of a counted loop in which an element overwrite records (and its reverse
   * restores): the iteration of {@code loop} whose index equals {@code index}.
   */
  record OneIteration(Stmt.For loop, Expr index) {}

  /**
   * The iteration of the counted loop {@code s} stands in directly whose record alone suffices;
   * else null. So where every read that needs the record was pending before the loop (the restore
   * at that iteration's reverse, before the reverse of the loop's earlier iterations, which write
   * other elements or none of what those reads read, gives them the element as it was), none of
   * the loop's own reads can hit the element (they are asked as any read is), and nothing else in
   * the loop writes the array's class:
   *
   * <ul>
   *   <li>the first iteration, where the element's location does not change in the loop ({@code
   *       z[i] -= u[i][k] * z[k]} over {@code k}, after {@code q += z[i] * z[i]}): the element then
   *       holds later iterations' values during the loop's reverse, which no reverse code there
   *       reads;
   *   <li>where the location moves with the loop's index alone, an iteration whose element is the
   *       only one the reads before the loop can meet: the first ({@code rr[c] -= l * rp[c]} from
   *       the pivot column on, {@code c} from {@code p}, overwrites the {@code rr[p]} that {@code
   *       l = rr[p] / rp[p]} read), or the one where the loop's index is the index such a read
   *       reads at ({@code c == p} in Gauss-Jordan's update of every column). The elements of the
   *       other iterations keep their new values, which no read before the loop reads.
   * </ul>
   */
  private OneIteration oneIterationSuffices(Stmt.Assign s, String key, ElementDependences.Access element,
      Set<String> pending) {
    if (!(enclosingLoops.peek() instanceof Stmt.For loop) || plan.countedLoop(loop) == null || plan.isSampled(key)
        || loop.body().stmts().stream().noneMatch(x -> x == s) || pending.contains(key + UNKNOWN)) {
      return null;
    }
    Plan.CountedLoop counted = plan.countedLoop(loop);
    Set<String> writtenInLoop = effects.writes(loop);
    Expr.Index target = (Expr.Index) s.target();
    Set<String> location = locationNames(target);
    boolean moving = location.remove(counted.index().name());
    if (!java.util.Collections.disjoint(location, writtenInLoop)) {
      return null;
    }
    int writers = 0;
    for (Stmt x : loop.body().stmts()) {
      if (effects.writes(x).contains(key)) {
        writers++;
      }
    }
    if (writers != 1) {
      return null;
    }
    Set<String> inLoop = new HashSet<>();
    Set<String> outside = new HashSet<>();
    for (String tag : pending) {
      if (!tag.startsWith(key + SEP)) {
        continue;
      }
      Stmt reader = readerOf(tag, key);
      if (deps.loopsAround(reader).contains(loop)) {
        inLoop.add(tag);
      } else {
        outside.add(tag);
      }
    }
    if (outside.isEmpty() || earlierReadMayHit(inLoop, key, s, element)) {
      return null;
    }
    if (!moving) {
      return new OneIteration(loop, counted.start());
    }
    // the candidates: the first iteration, and, where the element is a[...][index], the iteration
    // whose index is the last index of a read before the loop
    java.util.List<Expr> candidates = new java.util.ArrayList<>();
    candidates.add(counted.start());
    if (target.index() instanceof Expr.Ref r && r.var().equals(counted.index())) {
      for (String tag : outside) {
        for (Expr.Index ix : elementReads.get(readerOf(tag, key)).elements().get(key)) {
          if (!candidates.contains(ix.index())) {
            candidates.add(ix.index());
          }
        }
      }
    }
    for (Expr at : candidates) {
      if (!earlierReadMayHit(outside, key, s, element, loop, at)) {
        return new OneIteration(loop, at);
      }
    }
    return null;
  }

  /**
   * How many of the loops around {@code s}, outermost first, ran earlier iterations whose reads
   * of {@code tag} are no longer pending: the depth of the innermost loop that {@code tag} was not
   * pending at the entry of (its current execution added every such read since; the loops outside
   * it need not be asked about), else 0.
   */
  private int pendingSince(Stmt s, String tag) {
    java.util.List<Stmt> around = deps.loopsAround(s);
    for (int k = around.size() - 1; k >= 0; k--) {
      Stmt.Block body = around.get(k) instanceof Stmt.For f ? f.body()
          : around.get(k) instanceof Stmt.While w ? w.body() : null;
      Set<String> entry = body == null ? null : loopEntries.get(body);
      if (entry != null && !entry.contains(tag)) {
        return k; // (earlier iterations of that loop itself still count)
      }
    }
    return 0;
  }

  /** Per loop body being planned, the keys pending before the loop (from outside it, not its back edge). */
  private final Map<Stmt.Block, Set<String>> loopEntries = new IdentityHashMap<>();

  /**
   * Whether a recording overwrite since the read {@code tag} stands for ({@link Restored}) named
   * the very element {@code ix} that read reads, at a constant location of an array variable
   * never reassigned ({@code J[0] = x[0]} after {@code s += J[0] * J[1]} of the previous
   * iteration): its restore re-establishes that element for the read in the reverse sweep,
   * whatever overwrites it later.
   */
  private boolean reestablished(String tag, String key, Expr.Index ix) {
    Expr e = ix;
    while (e instanceof Expr.Index i) {
      if (!(i.index() instanceof Expr.Literal)) {
        return false;
      }
      e = i.array();
    }
    if (!(e instanceof Expr.Ref r) || plan.isReassigned(r.var())) {
      return false;
    }
    for (Restored f : restored) {
      if (f.key().equals(key) && f.target().equals(ix) && f.tags().contains(tag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The fact of {@code reader} itself where it is the recording overwrite of the very element
   * {@code s} overwrites again ({@code v[i] = p * v[i + 1] + q * v[i]; v[i] = v[i] + c;}) and reads
   * after its restore: its earlier executions' reads are re-established by its restore, its
   * current execution's read of that element by the same restore, so only its current reads of
   * other elements can be hit; else null.
   */
  private Restored restoringOwnReads(Stmt reader, String key, Stmt s) {
    if (!(s instanceof Stmt.Assign a) || !(a.target() instanceof Expr.Index target) || !readsAfterRestore(reader)) {
      return null;
    }
    for (Restored f : restored) {
      if (f.at() == reader && f.key().equals(key) && f.target().equals(target)) {
        return f;
      }
    }
    return null;
  }

  /**
   * The fact that statement {@code s}, just planned, establishes for the rest of its block: where it
   * records an element overwrite at a plain location that it does not move itself ({@code written}:
   * what it writes), the element is given back to the reads pending before it ({@code beforeS}), not
   * to s's own reads (one that takes its partial from the result, h[i] = tanh(t), reads the new
   * value); else null.
   */
  private Restored restoredBy(Stmt s, Set<String> written, Set<String> beforeS) {
    if (deps == null || !pushes.contains(s) || !(s instanceof Stmt.Assign a) || !(a.target() instanceof Expr.Index ix)
        || a.target().type().isArray() || !plainLocation(ix)) {
      return null;
    }
    Set<String> names = locationNames(ix);
    if (!java.util.Collections.disjoint(names, written)) {
      return null;
    }
    String key = effects.aliases().contentsKey(Statements.rootVar(ix));
    Set<String> tags = new HashSet<>();
    for (String t : beforeS) {
      if (t.startsWith(key + SEP)) {
        tags.add(t);
      }
    }
    return new Restored(key, ix, tags, names, s);
  }

  /** The variables that name the element {@code ix}: its array variable and those of its indices. */
  private static Set<String> locationNames(Expr.Index ix) {
    Set<String> names = new HashSet<>();
    org.rad.processor.ir.Exprs.walk(ix, x -> {
      if (x instanceof Expr.Ref r) {
        names.add(r.var().name());
      }
    });
    return names;
  }

  /** The statement whose reverse reads stand for the element-level tag {@code tag} of contents {@code key}. */
  private Stmt readerOf(String tag, String key) {
    return sites.get(Integer.parseInt(tag.substring(key.length() + SEP.length())));
  }

  /** Whether {@code ix} names its element by variables and arithmetic alone (no element reads, no calls). */
  private static boolean plainLocation(Expr.Index ix) {
    Expr e = ix;
    while (e instanceof Expr.Index i) {
      boolean[] plain = {true};
      org.rad.processor.ir.Exprs.walk(i.index(), x -> plain[0] &= x instanceof Expr.Ref || x instanceof Expr.Literal
          || x instanceof Expr.Binary || x instanceof Expr.Unary || x instanceof Expr.Cast);
      if (!plain[0]) {
        return false;
      }
      e = i.array();
    }
    return e instanceof Expr.Ref;
  }

  /**
   * {@code pending} without the tags of {@code key} for which an earlier recording overwrite of
   * the very element {@code target} names re-established it ({@link Restored}).
   */
  private Set<String> unrestored(Set<String> pending, String key, Expr.Index target) {
    Set<String> out = null;
    for (Restored f : restored) {
      if (f.key().equals(key) && f.target().equals(target)) {
        if (out == null) {
          out = new HashSet<>(pending);
        }
        out.removeAll(f.tags());
      }
    }
    return out == null ? pending : out;
  }

  /** Whether the reverse of {@code s}, after restoring the element it overwrites, may read that element. */
  private boolean ownReadMayHit(String key, Stmt s, ElementDependences.Access write) {
    ElementDependences.Reads own = elementReads.get(s);
    if (own == null || own.whole().contains(key) || !own.elements().containsKey(key)) {
      return true;
    }
    for (Expr.Index ix : own.elements().get(key)) {
      if (!deps.distinctInOneExecution(s, write, ElementDependences.Access.of(ix))) {
        return true;
      }
    }
    return false;
  }

  private Set<String> block(Stmt.Block b, Set<String> pending) {
    Set<String> p = pending;
    java.util.List<Restored> enclosing = restored;
    java.util.List<Restored> here = new java.util.ArrayList<>(enclosing);
    Map<Restored, Integer> madeHere = new IdentityHashMap<>();
    for (int n = 0; n < b.stmts().size(); n++) {
      Stmt s = b.stmts().get(n);
      Set<String> written = deps == null ? Set.of() : effects.writes(s);
      // (a nested statement sees only the facts it cannot break, in any iteration of its loops)
      here.removeIf(f -> !java.util.Collections.disjoint(f.names(), written));
      restored = here;
      Set<String> beforeS = p;
      if (exitIfs.contains(s)) {
        // the branch that sets an exit flag leaves the loop: its pending keys go to the exit; the
        // body goes on on the path where it is not taken (the reverse sweep reads the branch's
        // condition, or its bit, on both)
        Stmt.If i = (Stmt.If) s;
        Set<String> header = headerReads.getOrDefault(i, Set.of());
        Set<String> taken = new HashSet<>(block(i.whenTrue(), p));
        addReads(taken, null, header);
        exiting.addAll(taken);
        p = new HashSet<>(p);
        addReads(p, null, header);
        if (i.whenFalse() != null) {
          p = block(i.whenFalse(), p);
        }
      } else {
        p = statement(s, p);
      }
      restored = enclosing;
      Restored fact = restoredBy(s, written, beforeS);
      if (fact != null) {
        here.add(fact);
        madeHere.put(fact, n);
      }
      java.util.List<Var> spilled = spills.get(s);
      if (spilled != null) {
        p = new HashSet<>(p);
        for (Var v : spilled) {
          p.remove(v.name());
          removeContents(p, effects.aliases().contentsKey(v.name()));
        }
      }
    }
    p = new HashSet<>(p);
    for (var made : madeHere.entrySet()) {
      removeCovered(made.getKey(), b.stmts(), made.getValue(), p);
    }
    // a declaration recomputed at the start of the block's reverse defines its variable there
    for (Stmt s : b.stmts()) {
      if (s instanceof Stmt.Declare d && plan.isRecomputable(d)) {
        p.remove(d.var().name());
        p.remove(lengthKey(d.var().name()));
      }
    }
    addReads(p, null, headerReads.getOrDefault(b, Set.of()));
    return p;
  }

  /**
   * Removes from {@code pending} the reads that the restore of fact {@code f}'s overwrite, statement
   * {@code at} of {@code stmts}, re-establishes in every execution: reads of the very element it
   * overwrites ({@code power += re[k] * re[k]; re[k] *= g;}) by a statement before it in the block,
   * with nothing in between that writes the variables naming the element or jumps past the
   * overwrite, and the overwrite's own reads after its restore ({@code h[i] = h[i] * h[i]}). In the reverse sweep that restore runs before those reads, whatever overwrites the
   * element later, so no later overwrite (nor a callee that writes the array) records for them;
   * where no other read of the contents is pending, the contents are not pending at all.
   */
  private void removeCovered(Restored f, java.util.List<Stmt> stmts, int at, Set<String> pending) {
    Set<String> covered = new HashSet<>();
    for (String tag : pending) {
      if (!tag.startsWith(f.key() + SEP) || tag.equals(f.key() + UNKNOWN)) {
        continue;
      }
      Stmt reader = readerOf(tag, f.key());
      ElementDependences.Reads r = elementReads.get(reader);
      if (r == null || r.whole().contains(f.key()) || !r.elements().containsKey(f.key())
          || !r.elements().get(f.key()).stream().allMatch(f.target()::equals)) {
        continue;
      }
      if (reader == stmts.get(at)) {
        // the overwrite's own reads, where its reverse reads after restoring the element
        // (h[i] = h[i] * h[i])
        if (readsAfterRestore(reader)) {
          covered.add(tag);
        }
        continue;
      }
      if (!f.tags().contains(tag)) {
        continue; // read again after the overwrite: it reads the new value
      }
      int first = -1;
      for (int n = 0; n < at && first < 0; n++) {
        boolean[] inside = {false};
        Statements.forEach(stmts.get(n), x -> inside[0] |= x == reader);
        first = inside[0] ? n : -1;
      }
      boolean kept = first >= 0;
      for (int n = Math.max(first, 0); kept && n < at; n++) {
        boolean[] jumps = {false};
        Statements.forEach(stmts.get(n), x -> jumps[0] |= x instanceof Stmt.Break || x instanceof Stmt.Continue
            || x instanceof Stmt.Return);
        kept = !jumps[0] && java.util.Collections.disjoint(effects.writes(stmts.get(n)), f.names());
      }
      if (kept) {
        covered.add(tag);
      }
    }
    pending.removeAll(covered);
    if (!covered.isEmpty() && pending.stream().noneMatch(k -> k.startsWith(f.key() + SEP))) {
      pending.remove(f.key());
    }
  }

  private Set<String> statement(Stmt s, Set<String> pending) {
    if (s instanceof Stmt.Block b) {
      return block(b, pending);
    }
    if (s instanceof Stmt.If i) {
      Set<String> out = new HashSet<>(block(i.whenTrue(), pending));
      out.addAll(i.whenFalse() == null ? pending : block(i.whenFalse(), pending));
      addReads(out, null, headerReads.getOrDefault(i, Set.of()));
      return out;
    }
    if (s instanceof Stmt.For f) {
      Plan.CountedLoop counted = plan.countedLoop(f);
      Set<String> entry = pending;
      Var index = null;
      for (Stmt init : f.init()) {
        if (init instanceof Stmt.Declare d && (counted != null || updates(f.update(), d.var()) && !undoes(f.update(), d.var()))) {
          // the loop's index lives only in the loop, whose reverse re-derives it (a counted loop)
          // or restores it from the records of its updates; its own reverse still reads. (Updates
          // the reverse undoes instead, i++ in a loop that is not counted, need the index's value
          // at the loop's exit: the initialization then records the old value like any overwrite,
          // and its restore gives an enclosing loop's earlier iteration its exit value back.)
          entry = new HashSet<>(entry);
          entry.remove(d.var().name());
          addReads(entry, init, reads.getOrDefault(init, Set.of()));
          index = d.var();
        } else {
          // any other declaration (for (double e : f(x)) declares the array it walks) is
          // planned like a statement before the loop: its reverse runs after the loop's
          entry = statement(init, entry);
        }
      }
      enclosingLoops.push(f);
      Set<String> exit;
      try {
        exit = loop(entry, f.body(), counted == null ? f.update() : java.util.List.of(),
            counted == null ? f.condition() : null);
      } finally {
        enclosingLoops.pop();
      }
      for (String whole : plan.overwritesWhole(f)) {
        if (!reverseReads(f.body()).contains(whole) || onlyOwnReadsAfterRestore(f.body(), whole)) {
          // every element restored in the loop's reverse: the reads before it are satisfied, and
          // so are the loop's own where each is of the element its overwrite restored just before
          // ({@code P[i] = w[i] * P[i] + 1})
          removeContents(exit, whole);
        }
      }
      addReads(exit, null, headerReads.getOrDefault(f, Set.of()));
      if (counted != null && index != null) {
        exit.remove(index.name());
      }
      return exit;
    }
    if (s instanceof Stmt.While w) {
      enclosingLoops.push(w);
      try {
        Set<String> exit = loop(pending, w.body(), java.util.List.of(), w.condition());
        addReads(exit, null, headerReads.getOrDefault(w, Set.of()));
        return exit;
      } finally {
        enclosingLoops.pop();
      }
    }
    return simple(s, pending);
  }

  /**
   * Whether the reverse of {@code b}'s statements reads the contents {@code key} only where a
   * statement reads the element it overwrites, after its restore: a recording element overwrite
   * ({@code P[i] = w[i] * P[i] + 1}) whose reverse reads no other element of the class.
   */
  private boolean onlyOwnReadsAfterRestore(Stmt.Block b, String key) {
    if (deps == null) {
      return false;
    }
    boolean[] only = {true};
    Statements.forEach(b, x -> {
      if (!only[0] || x instanceof Stmt.Block || !reads.getOrDefault(x, Set.of()).contains(key)) {
        return;
      }
      ElementDependences.Reads r = elementReads.get(x);
      only[0] = x instanceof Stmt.Assign a && a.target() instanceof Expr.Index target && pushes.contains(x)
          && readsAfterRestore(x) && key.equals(effects.aliases().contentsKey(Statements.rootVar(target)))
          && r != null && !r.whole().contains(key) && r.elements().containsKey(key)
          && r.elements().get(key).stream().allMatch(target::equals);
    });
    return only[0];
  }

  /** What the reverse of the statements of {@code b} reads, nested statements included. */
  private Set<String> reverseReads(Stmt.Block b) {
    Set<String> all = new HashSet<>(headerReads.getOrDefault(b, Set.of()));
    for (Stmt s : b.stmts()) {
      all.addAll(reads.getOrDefault(s, Set.of()));
    }
    return all;
  }

  /** Whether one of a loop's update statements writes {@code v} in a way the reverse undoes. */
  private static boolean undoes(java.util.List<Stmt> update, Var v) {
    for (Stmt u : update) {
      if (Inversions.inverse(u) != null && (u instanceof Stmt.Step st && st.var().equals(v)
          || u instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.var().equals(v))) {
        return true;
      }
    }
    return false;
  }

  /** Whether one of a loop's update statements writes {@code v}. */
  private static boolean updates(java.util.List<Stmt> update, Var v) {
    for (Stmt u : update) {
      if (u instanceof Stmt.Step st && st.var().equals(v)
          || u instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.var().equals(v)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Pending keys at a loop's exit: a fixpoint over its back edge. Where the condition tests exit
   * flags ({@code while (!returned && i < n)}, the flags of an early return or a break), a branch
   * of the body that sets one leaves the loop: its reads go to the exit, not around the back edge
   * ({@link #exitFlags}), so the overwrites of later iterations, which never run after it, do not
   * record for them ({@code a[i] += 0.2; if (i == lim) return a[0] * a[1];}).
   */
  private Set<String> loop(Set<String> entry, Stmt.Block body, java.util.List<Stmt> update, Expr condition) {
    Set<Stmt> enclosingIfs = exitIfs;
    Set<String> enclosingFlags = exitFlags;
    Set<String> enclosingExiting = exiting;
    Set<String> flags = exitFlags(condition);
    for (Stmt u : update) {
      flags.removeAll(effects.writes(u)); // an update that resets a flag would run the loop on
    }
    try {
      exitFlags = flags;
      Set<Stmt> exits = Collections.newSetFromMap(new IdentityHashMap<>());
      if (!flags.isEmpty()) {
        findExits(body.stmts(), java.util.List.of(), exits);
      }
      forgetLoopReads(body, update);
      Set<String> head = new HashSet<>(entry);
      loopEntries.put(body, entry);
      while (true) {
        exitIfs = exits;
        exiting = new HashSet<>();
        Set<String> end = block(body, head);
        Set<String> left = exiting;
        exitIfs = Set.of();
        for (Stmt u : update) {
          end = statement(u, end);
          left = statement(u, left); // (a for loop's update runs before the test that leaves)
        }
        Set<String> next = new HashSet<>(entry);
        next.addAll(end);
        if (next.equals(head)) {
          head.addAll(left);
          return head;
        }
        head = next;
      }
    } finally {
      loopEntries.remove(body);
      exitIfs = enclosingIfs;
      exitFlags = enclosingFlags;
      exiting = enclosingExiting;
    }
  }

  /** Whether {@code s} may write one of {@code flags}. */
  private boolean setsAny(Stmt s, Set<String> flags) {
    return !java.util.Collections.disjoint(effects.writes(s), flags);
  }

  /** The branches of the current loop's body that set an exit flag and leave the loop ({@link #findExits}). */
  private Set<Stmt> exitIfs = Set.of();
  /** The variables {@code f} of the conjuncts {@code !f} of that loop's condition. */
  private Set<String> exitFlags = Set.of();
  /** The keys pending on the paths that set an exit flag, in the current pass over that body. */
  private Set<String> exiting = new HashSet<>();

  /** The variables {@code f} of the conjuncts {@code !f} of {@code condition} (its top-level {@code &&}s). */
  private static Set<String> exitFlags(Expr condition) {
    Set<String> flags = new HashSet<>();
    if (condition instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
      flags.addAll(exitFlags(b.left()));
      flags.addAll(exitFlags(b.right()));
    } else if (condition instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NOT && u.operand() instanceof Expr.Ref r
        && r.type() == org.rad.processor.ir.Type.BOOLEAN) {
      flags.add(r.var().name());
    }
    return flags;
  }

  /**
   * Finds, among {@code stmts} and the plain blocks nested in them, the branches (with no else, or
   * an else that sets no exit flag) that set an exit flag ({@code flag = true}, a statement of the branch that no later one of the
   * branch writes again) after which every statement,
   * of their block and of each enclosing block of the body ({@code after}), runs only while that
   * flag is false ({@code if (!flag) ...}, without else): on such a branch's path the body ends
   * there and the loop is left.
   */
  private void findExits(java.util.List<Stmt> stmts, java.util.List<Stmt> after, Set<Stmt> exits) {
    for (int n = 0; n < stmts.size(); n++) {
      java.util.List<Stmt> rest = new java.util.ArrayList<>(stmts.subList(n + 1, stmts.size()));
      rest.addAll(after);
      if (stmts.get(n) instanceof Stmt.Block inner) {
        findExits(inner.stmts(), rest, exits);
      } else if (stmts.get(n) instanceof Stmt.If i && (i.whenFalse() == null || !setsAny(i.whenFalse(), exitFlags))) {
        // (with an else, which the exit normalizer makes of the statements after an exit branch,
        // the body goes on through the else)
        String flag = null;
        for (Stmt t : i.whenTrue().stmts()) {
          if (t instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET && a.target() instanceof Expr.Ref r
              && exitFlags.contains(r.var().name()) && a.value() instanceof Expr.Literal lit && lit.text().equals("true")) {
            flag = r.var().name();
          } else if (flag != null && effects.writes(t).contains(flag)) {
            flag = null; // set again later in the branch (done = false): the loop may go on
          }
        }
        String f = flag;
        if (f != null && rest.stream().allMatch(later -> later instanceof Stmt.If g && g.whenFalse() == null
            && exitFlags(g.condition()).contains(f))) {
          exits.add(i);
        }
      }
    }
  }

  private Set<String> simple(Stmt s, Set<String> pending) {
    Set<String> out = simpleOf(s, pending);
    String fresh = freshContents(s);
    // (a call's own reverse may read the array it returned, which is the new array: then the
    // class's reads stay pending for the writes after it)
    if (fresh != null && !reads.getOrDefault(s, Set.of()).contains(fresh)) {
      // the reads pending for the class are reads of the arrays the variable held before, which
      // nothing can reach to overwrite any more: writes from here on go into the new array
      removeContents(out, fresh);
    }
    return out;
  }

  /**
   * The contents key of the class of an array variable that {@code s} points to a new array
   * ({@code logits = new double[n]}, or the result of a method of the class that returns none of
   * its parameters and no field, {@code double[] a = lin(w, t)}), when the variable is alone in its
   * class; else null.
   */
  private String freshContents(Stmt s) {
    Var v = null;
    Expr init = null;
    if (s instanceof Stmt.Declare d) {
      v = d.var();
      init = d.init();
    } else if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r) {
      v = r.var();
      init = a.value();
    }
    boolean fresh = init != null && effects.isNewArray(init)
        && !(init instanceof Expr.MethodCall c && !effects.summaryOf(c.key()).returnsFields().isEmpty());
    return v != null && v.type().isArray() && fresh && effects.aliases().isAlone(v.name())
        ? effects.aliases().contentsKey(v.name())
        : null;
  }

  private Set<String> simpleOf(Stmt s, Set<String> pending) {
    if (RestoredParameters.calledMethod(s) != null) {
      // (a loop's body is walked until its pending keys settle: keep the union)
      pendingAtCalls.computeIfAbsent(s, k -> new HashSet<>()).addAll(pending);
    }
    if (primalWriters.contains(s)) {
      for (String key : effects.writes(s)) {
        if (key.startsWith("#") && pending.contains(key)) {
          // (the contents stay pending: a whole-array restore is not tracked apart from the others)
          recordedCalls.add(s);
        }
      }
    }
    Set<String> own = reads.getOrDefault(s, Set.of());
    String key = overwritten(s);
    Set<String> out = new HashSet<>(pending);
    overwrittenByCallee(s, out);
    if (key == null) {
      addReads(out, s, own);
      return out;
    }
    boolean afterRestore = readsAfterRestore(s);
    ElementDependences.Access element = deps != null && s instanceof Stmt.Assign a && a.target() instanceof Expr.Index ix
        ? ElementDependences.Access.of(ix) : null;
    boolean ownHit = afterRestore && own.contains(key) && (element == null || ownReadMayHit(key, s, element));
    boolean need = element == null
        ? pending.contains(key) || ownHit
        : pending.contains(key) && earlierReadMayHit(unrestored(pending, key, (Expr.Index) ((Stmt.Assign) s).target()),
                key, s, element)
            || ownHit;
    if (need && element != null && !ownHit) {
      OneIteration first = oneIterationSuffices((Stmt.Assign) s, key, element,
          unrestored(pending, key, (Expr.Index) ((Stmt.Assign) s).target()));
      if (first != null) {
        oneOnly.put(s, first);
      } else {
        everyIteration.add(s);
      }
    } else if (need) {
      everyIteration.add(s);
    }
    boolean scalarKey = !key.startsWith("#");
    String length = lengthKey(key);
    if (need) {
      wholePushes.add(s);
    } else if (scalarKey && pending.contains(length)) {
      lengthOnly.add(s); // only an adjoint of the old array's size is wanted
      need = true;
    }
    if (need) {
      pushes.add(s);
    }
    if (need && scalarKey) {
      if (afterRestore) {
        addReads(out, s, own);
        out.remove(key); // the restore re-establishes it for everything before
        out.remove(length);
      } else {
        out.remove(key);
        out.remove(length);
        addReads(out, s, own); // read before the restore: wants the value after this statement
      }
    } else {
      addReads(out, s, own);
    }
    return out;
  }

  /**
   * Removes from {@code pending} the contents a differentiated callee overwrites whole ({@link
   * org.rad.processor.analysis.MethodSummary#overwritesParam}): its reverse sweep restores every
   * element it overwrote, so the reads before the call find the array as it was, whatever
   * overwrites it after the call ({@code mul(tmp, w, P); for (i) P[i] += q[i];} records nothing
   * for them). Not for a call that runs as it is, whose writes nothing restores.
   */
  private void overwrittenByCallee(Stmt s, Set<String> pending) {
    Expr.MethodCall call = RestoredParameters.calledMethod(s);
    if (call == null || primalWriters.contains(s)) {
      return;
    }
    org.rad.processor.analysis.MethodSummary summary = effects.summaryOf(call.key());
    if (summary == null) {
      return;
    }
    for (int k = 0; k < call.args().size(); k++) {
      if (summary.overwritesParam(k) && call.args().get(k) instanceof Expr.Ref r && r.type().isArray()
          && effects.aliases().isAlone(r.var().name())) {
        removeContents(pending, effects.aliases().contentsKey(r.var().name()));
      }
    }
  }

  /** The key whose old value a push of {@code s} would save, or null. */
  private String overwritten(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      boolean eligible = d.init() != null && !plan.isRecomputable(d) && (!Plan.isRowReference(d) || plan.isReassigned(d.var()));
      return eligible ? d.var().name() : null;
    }
    if (s instanceof Stmt.Assign a) {
      return a.target() instanceof Expr.Ref r
          ? r.var().name()
          : effects.aliases().contentsKey(Statements.rootVar(a.target()));
    }
    if (s instanceof Stmt.Step st) {
      return st.var().name();
    }
    return null;
  }

  /**
   * Whether the reverse of {@code s} reads primal values after popping the old value: true for
   * an assignment of a number (the partial derivatives read the restored state), false for array
   * reference assignments and calls, whose reverse restores last, and for integer updates that
   * the reverse undoes ({@link Inversions}), whose inverse reads the new value, and for results
   * that give their own derivative ({@link Plan#derivesFromResult}).
   */
  private boolean readsAfterRestore(Stmt s) {
    if (Inversions.inverse(s) != null) {
      return false; // the inverse reads the new value and undoes the update: nothing is popped
    }
    if (plan.derivesFromResult(s)) {
      return false; // the partial reads the new value; the argument does not read the target
    }
    if (s instanceof Stmt.Declare d) {
      return !d.var().type().isArray() && !(d.init() instanceof Expr.MethodCall);
    }
    if (s instanceof Stmt.Assign a) {
      return !a.target().type().isArray() && !(a.value() instanceof Expr.MethodCall);
    }
    return true;
  }
}
