package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.RandomizeSpec;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Where the records of {@code @Randomize} values are taken, and how.
 *
 * <ul>
 *   <li>Records at an overwrite (the old value of a double, or of an element of an array whose
 *       alias class is randomized, pushed and later popped to restore it) become Bernoulli
 *       element records: {@code ctx.pushSampledAt(site, f, value, indices...)} keeps the value
 *       with probability f, scaled by 1/f, and {@code ctx.popSampledAt} regenerates the decision.
 *   <li>An array that is never overwritten but whose values the reverse sweep reads is recorded
 *       whole right after its last use in its block, through the requested sampler, and the
 *       local dropped ({@code v = null}), so the full array becomes unreachable; the reverse sweep
 *       restores the sampled reconstruction just before it needs it.
 * </ul>
 *
 * <p>Decisions come from the counter-based RNG, keyed by the record site and the indices of the
 * enclosing loops, less those named in {@code sameAcross}.
 */
final class RandomizedRecords {
  private final Map<String, RandomizeSpec> byKey = new HashMap<>();
  private final Map<Object, Integer> sites = new IdentityHashMap<>();
  private final IntSupplier nextSite;
  /** Whole-array records taken right after a statement, by that statement. */
  private final Map<Stmt, List<Var>> spillsAfter = new IdentityHashMap<>();
  private final Set<String> recorded = new HashSet<>();

  /**
   * Reads the method's requests. Arrays that may share storage (a variable that a swap lets hold
   * either) are recorded as one: requests on them that differ in fraction or sampling are a
   * compile error, since no single choice would be what both say.
   */
  RandomizedRecords(MethodIR method, AliasClasses aliases, IntSupplier nextSite) {
    this.nextSite = nextSite;
    List<RandomizeSpec> specs = new ArrayList<>(method.randomized().values());
    specs.sort(java.util.Comparator.comparing(RandomizeSpec::var)); // a stable choice among equal requests
    for (RandomizeSpec spec : specs) {
      Var v = var(method, spec.var());
      String key = v.type().isArray() ? aliases.contentsKey(v.name()) : v.name();
      RandomizeSpec other = byKey.putIfAbsent(key, spec);
      if (other != null && (other.fraction() != spec.fraction() || !other.sampling().equals(spec.sampling())
          || !other.sameAcross().equals(spec.sameAcross()))) {
        throw new org.rad.processor.diagnostics.CompileError(spec.origin(),
            org.rad.processor.diagnostics.Message.UNSUPPORTED.format("@Randomize on " + spec.var() + " (fraction "
                + spec.fraction() + ", " + spec.sampling() + ") and on " + other.var() + " (fraction " + other.fraction()
                + ", " + other.sampling() + "), arrays that may share storage (a variable holds either)",
                "give both the same @Randomize, or do not let one variable hold both"));
      }
    }
  }

  private static Var var(MethodIR m, String name) {
    for (Var p : m.params()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    for (Var l : m.locals()) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    throw new IllegalStateException("no variable " + name);
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  /**
   * The contents keys of the arrays recorded whole once per call (after a statement of the
   * method's body itself, not of a loop): one sample per element for the whole call.
   */
  Set<String> wholeKeys(AliasClasses aliases) {
    Set<String> keys = new HashSet<>();
    onceSpilled.forEach(v -> keys.add(aliases.contentsKey(v.name())));
    return keys;
  }

  /**
   * The keys whose record's entries are not independent draws: a sampler other than Bernoulli (k
   * of d entries kept, Rademacher signs) or samples shared across rows or loop iterations
   * ({@code sameAcross}). A product of two entries of one such record has no unbiased mean, also
   * of different entries, so their samples are followed through adjoint arrays.
   */
  Set<String> correlatedKeys() {
    Set<String> keys = new HashSet<>();
    byKey.forEach((key, spec) -> {
      if (!spec.sampling().equals("BERNOULLI") || !spec.sameAcross().isEmpty()) {
        keys.add(key);
      }
    });
    return keys;
  }

  /** Arrays recorded whole after a statement of the method's body itself: once per call. */
  private final List<Var> onceSpilled = new ArrayList<>();

  /** The arrays recorded whole once per call (see {@link #wholeKeys}). */
  List<Var> spilled() {
    return List.copyOf(onceSpilled);
  }

  /** Keys (variable names, {@code #class} keys) whose records are sampled. */
  Set<String> sampledKeys() {
    return byKey.keySet();
  }

  RandomizeSpec spec(String key) {
    return byKey.get(key);
  }

  /**
   * The request to report a problem of {@code key} at: its own, else (a key the analysis derived
   * from several) the first request by variable name, so the error stands at the same line in
   * every compile.
   */
  RandomizeSpec blamed(String key) {
    RandomizeSpec spec = byKey.get(key);
    return spec != null ? spec
        : byKey.values().stream().min(java.util.Comparator.comparing(RandomizeSpec::var)).orElseThrow();
  }

  Map<String, RandomizeSpec> specs() {
    return byKey;
  }

  /** The record site of {@code owner} (a statement, or a variable's hand-off), stable across rebuilds. */
  int site(Object owner) {
    return sites.computeIfAbsent(owner, o -> nextSite.getAsInt());
  }

  void markRecorded(String key) {
    recorded.add(key);
  }

  /** Keys of requests that got no sampled record at all: they save nothing. */
  Set<String> unrecorded() {
    Set<String> none = new HashSet<>(byKey.keySet());
    none.removeAll(recorded);
    return none;
  }

  /**
   * Plans whole-array records: for each randomized array whose alias class has no other member,
   * declared in a block (or a parameter, for the method body), after the last statement of that
   * block that uses it. An array a helper holds ({@code heldByHelpers}, contents keys: it writes
   * into it or keeps a reference to it) is not recorded whole: the helper's reverse works on the
   * array object, which a whole-array restore replaces by a new one; its element records are
   * sampled instead.
   */
  void planSpills(MethodIR method, AliasClasses aliases, Set<String> heldByHelpers) {
    Set<String> candidates = new HashSet<>();
    for (RandomizeSpec spec : method.randomized().values()) {
      Var v = var(method, spec.var());
      if (v.type().isArray() && singleton(v, method, aliases) && !heldByHelpers.contains(aliases.contentsKey(v.name()))) {
        candidates.add(v.name());
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    for (Var p : method.params()) {
      if (candidates.contains(p.name()) && spillAfterLastUse(method.body(), p)) {
        onceSpilled.add(p);
      }
    }
    Statements.forEach(method.body(), s -> {
      if (s instanceof Stmt.Block b) {
        for (Stmt x : b.stmts()) {
          if (x instanceof Stmt.Declare d && candidates.contains(d.var().name()) && spillAfterLastUse(b, d.var())
              && b == method.body()) {
            onceSpilled.add(d.var());
          }
        }
      }
    });
  }

  /**
   * Cancels the whole records planned for the arrays of {@code keys} (contents keys); whether it
   * cancelled any. For an array whose overwrites inside a loop are recorded element by element:
   * the reverse sweep reads the whole record's draw of an element wherever the forward sweep read
   * that element after its last overwrite, and the soundness check, which follows adjoint arrays
   * per array and not per element, cannot tell those reads from the reads of the element records'
   * draws (a sound stencil reads both); so it would either reject sound programs or let the whole
   * draw meet itself along one chain (the fuzzer's seed 2081, P975: biased). Where a stricter check
   * cannot rule that out ({@code SamplingChecks#wholeRecordsToDrop}), the whole record goes: the
   * reverse sweep reads the array's last values exactly, kept where the forward sweep left them;
   * its element records stay sampled.
   */
  boolean dropSpills(Set<String> keys, AliasClasses aliases) {
    java.util.function.Predicate<Var> dropped = v -> keys.contains(aliases.contentsKey(v.name()));
    boolean any = onceSpilled.removeIf(dropped);
    for (List<Var> after : spillsAfter.values()) {
      any |= after.removeIf(dropped);
    }
    spillsAfter.values().removeIf(List::isEmpty);
    return any;
  }

  private static boolean singleton(Var v, MethodIR m, AliasClasses aliases) {
    List<Var> all = new ArrayList<>(m.params());
    all.addAll(m.locals());
    for (Var o : all) {
      if (!o.equals(v) && o.type().isArray() && aliases.sameClass(o.name(), v.name())) {
        return false;
      }
    }
    return true;
  }

  /** Plans {@code v}'s whole record after its last use in {@code b}; whether it is used there. */
  private boolean spillAfterLastUse(Stmt.Block b, Var v) {
    Stmt last = null;
    for (Stmt s : b.stmts()) {
      if (uses(s, v)) {
        last = s;
      }
    }
    if (last != null) {
      spillsAfter.computeIfAbsent(last, k -> new ArrayList<>()).add(v);
    }
    return last != null;
  }

  private static boolean uses(Stmt s, Var v) {
    boolean[] found = {false};
    Statements.forEach(s, x -> {
      Statements.ownExpressions(x, e -> {
        if (Exprs.mentions(e, v)) {
          found[0] = true;
        }
      });
      if (x instanceof Stmt.Declare d && d.var().equals(v)) {
        found[0] = true;
      }
      if (x instanceof Stmt.For f) {
        for (Stmt u : f.update()) {
          Statements.ownExpressions(u, e -> {
            if (Exprs.mentions(e, v)) {
              found[0] = true;
            }
          });
        }
      }
    });
    return found[0];
  }

  /**
   * Arrays recorded whole right after {@code s}: those whose values the reverse sweep reads
   * ({@code needed} holds the keys it reads); an array it never reads needs no record at all.
   */
  List<Var> spillsAfter(Stmt s, Set<String> needed, AliasClasses aliases) {
    List<Var> all = spillsAfter.getOrDefault(s, List.of());
    List<Var> used = new ArrayList<>();
    for (Var v : all) {
      if (needed.contains(aliases.contentsKey(v.name()))) {
        used.add(v);
      }
    }
    return used;
  }

  /** {@link #spillsAfter(Stmt, Set, AliasClasses)} for every statement. */
  Map<Stmt, List<Var>> spills(Set<String> needed, AliasClasses aliases) {
    Map<Stmt, List<Var>> out = new IdentityHashMap<>();
    for (Stmt s : spillsAfter.keySet()) {
      List<Var> used = spillsAfter(s, needed, aliases);
      if (!used.isEmpty()) {
        out.put(s, used);
      }
    }
    return out;
  }

  /** {@code CounterRng.key(i, j, ...)} of the enclosing loop indices not named in sameAcross. */
  static Expr key(List<Var> loopIndices, RandomizeSpec spec) {
    return new Expr.StaticCall(Expr.Owner.RNG, "key", keyIndices(loopIndices, spec), Type.LONG);
  }

  /** The enclosing loop indices not named in sameAcross, outermost first. */
  static List<Expr> keyIndices(List<Var> loopIndices, RandomizeSpec spec) {
    List<Expr> indices = new ArrayList<>();
    for (Var i : loopIndices) {
      if (!spec.sameAcross().contains(i.name())) {
        indices.add(new Expr.Ref(i));
      }
    }
    return indices;
  }

  static Expr sampling(RandomizeSpec spec) {
    return new Expr.StaticField(Expr.Owner.SAMPLING, spec.sampling(), Type.VOID);
  }
}
