package org.rad.processor.transform;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.analysis.Effects;
import org.rad.processor.analysis.Soundness;
import org.rad.processor.analysis.Statements;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.RandomizeSpec;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Sweep;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The {@code [RadBiased]} checks of {@code @Randomize}: that sampling a method's records keeps its
 * gradient unbiased ({@link Soundness} on its reverse sweep), and that the samples it passes to
 * its callees' reverse sweeps, or that those add into the adjoint arrays it passed them, stay
 * unbiased there and back in the caller ({@code c[i] = h[i] * w[i]; return dot(c, h);} with
 * {@code h} sampled: {@code dot}'s reverse adds {@code h}'s samples into {@code cBar}, which the
 * caller then multiplies by {@code h} again).
 */
final class SamplingChecks {
  private final Map<String, MethodIR> methods;
  private final Map<String, ExitNormalizer.Normalized> normalized;
  private final Map<String, Stmt.Block> plannedReverses;
  private final Map<String, Effects> effectsOf;
  private final Map<String, RandomizedRecords> randomizedOf;
  /** Per method key with {@code @Randomize}, which samples {@link #checkCalls} follows through adjoint arrays. */
  private final Map<String, Soundness.Following> followingOf = new HashMap<>();

  /**
   * @param methods the methods by key
   * @param normalized their single-exit forms (for the variable a method returns)
   * @param plannedReverses per method key, its reverse sweep as planned
   * @param effectsOf per method key, the effects of its planned sweeps
   * @param randomizedOf per method key with {@code @Randomize}, its sampled records
   */
  SamplingChecks(Map<String, MethodIR> methods, Map<String, ExitNormalizer.Normalized> normalized,
      Map<String, Stmt.Block> plannedReverses, Map<String, Effects> effectsOf,
      Map<String, RandomizedRecords> randomizedOf) {
    this.methods = methods;
    this.normalized = normalized;
    this.plannedReverses = plannedReverses;
    this.effectsOf = effectsOf;
    this.randomizedOf = randomizedOf;
  }

  /**
   * The sampled keys whose samples a method's own element updates carry through adjoint arrays:
   * the arrays recorded whole once per call and written only outside loops (one draw per element
   * for the call; an array written in a loop is taken as drawn anew at each iteration, where
   * following it would confuse the draws of different steps, and the entries a loop fills would
   * meet as one key), and the keys whose entries are correlated (followed wherever they are
   * written, which may reject a program whose products are of different steps' draws).
   */
  static Set<String> followedKeys(MethodIR m, RandomizedRecords randomized, Effects effects) {
    return wholeKeysBut(randomized, effects, writtenInLoops(m, effects, x -> true));
  }

  /**
   * The sampled keys with one draw per element for the call, whose samples a callee's reverse
   * sweep carries back through the adjoint arrays passed to it: the arrays recorded whole once
   * per call with no element records inside a loop ({@code pushes} written there: a new draw at
   * each iteration), also where a loop filled them, and the correlated keys.
   */
  static Set<String> oneDrawKeys(MethodIR m, RandomizedRecords randomized, Effects effects, Set<Stmt> pushes) {
    return wholeKeysBut(randomized, effects, recordedInLoops(m, effects, pushes));
  }

  /**
   * The arrays recorded whole that are also recorded element by element inside a loop and whose
   * whole record must go ({@link RandomizedRecords#dropSpills}): all of them where the reverse
   * sweep, with their whole records' draws followed as fresh ones ({@link
   * Soundness#checkWholeDraws}), could meet such a draw twice along one chain, and the matrices
   * and tensors among them always (their rows may be read through row variables, which fresh
   * draws are not followed through). A {@code double[]} whose draw provably stays apart keeps its
   * sampled whole record: an RNN's hidden state, read once by the loss.
   */
  static Set<String> wholeRecordsToDrop(MethodIR m, Stmt.Block reverse, RandomizedRecords randomized, Effects effects,
      Set<Stmt> pushes) {
    Set<String> both = new HashSet<>(randomized.wholeKeys(effects.aliases()));
    both.retainAll(recordedInLoops(m, effects, pushes));
    if (both.isEmpty()) {
      return both;
    }
    Set<String> arrays = new HashSet<>();
    for (Var v : randomized.spilled()) {
      String key = effects.aliases().contentsKey(v.name());
      if (both.contains(key) && v.type() == Type.DOUBLE_ARRAY) {
        arrays.add(key);
      }
    }
    if (!arrays.isEmpty() && !callsReverseSweeps(reverse) && Soundness.checkWholeDraws(reverse,
        randomized.sampledKeys(), followedKeys(m, randomized, effects), arrays, effects) == null) {
      both.removeAll(arrays);
    }
    return both;
  }

  /**
   * Whether {@code reverse} calls a helper's reverse sweep: what such a call carries back through
   * adjoint arrays is known only once every method is built ({@link #checkCalls}), so a whole
   * draw is not taken to stay apart there.
   */
  private static boolean callsReverseSweeps(Stmt.Block reverse) {
    boolean[] found = {false};
    Statements.forEach(reverse, x -> Statements.ownExpressions(x, e -> found[0] |= org.rad.processor.ir.Exprs.any(e,
        y -> y instanceof Expr.StaticCall c && c.owner() == Expr.Owner.GENERATED
            && (Sweep.REVERSE.names(c.name()) || Sweep.REVERSE_KEPT.names(c.name())))));
    return found[0];
  }

  /** The keys whose overwrites inside a loop are recorded ({@code pushes}): a new draw at each iteration. */
  static Set<String> recordedInLoops(MethodIR m, Effects effects, Set<Stmt> pushes) {
    return writtenInLoops(m, effects, pushes::contains);
  }

  /** The keys written inside loops by the statements {@code counted} accepts. */
  private static Set<String> writtenInLoops(MethodIR m, Effects effects, java.util.function.Predicate<Stmt> counted) {
    Set<String> written = new HashSet<>();
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.For || s instanceof Stmt.While) {
        Statements.forEach(s, x -> {
          if (!(x instanceof Stmt.Block) && counted.test(x)) {
            written.addAll(effects.writes(x));
          }
        });
      }
    });
    return written;
  }

  /** The arrays recorded whole once per call, less {@code drawnAnew}, and the correlated keys. */
  private static Set<String> wholeKeysBut(RandomizedRecords randomized, Effects effects, Set<String> drawnAnew) {
    Set<String> whole = new HashSet<>(randomized.wholeKeys(effects.aliases()));
    whole.removeAll(drawnAnew);
    whole.addAll(randomized.correlatedKeys());
    return whole;
  }

  /** The first violation of sampling soundness in a method's own reverse sweep, or null. */
  static Soundness.Violation violation(Stmt.Block reverse, RandomizedRecords randomized, Effects effects, MethodIR m) {
    return Soundness.analyze(reverse, randomized.sampledKeys(), followedKeys(m, randomized, effects), Map.of(),
        effects).violation();
  }

  /**
   * Throws {@code [RadBiased]} where sampling makes the method's own reverse sweep biased, and
   * keeps what {@link #checkCalls} follows for it ({@code pushes}: its records).
   */
  void checkMethod(String key, MethodIR m, Stmt.Block reverse, RandomizedRecords randomized, Effects effects,
      Set<Stmt> pushes) {
    Set<String> own = followedKeys(m, randomized, effects);
    followingOf.put(key, new Soundness.Following(own, oneDrawKeys(m, randomized, effects, pushes), Set.of(), true));
    Soundness.Violation v = Soundness.analyze(reverse, randomized.sampledKeys(), own, Map.of(), effects).violation();
    if (v != null) {
      throw biased(v, randomized);
    }
  }

  private static CompileError biased(Soundness.Violation v, RandomizedRecords randomized) {
    RandomizeSpec spec = randomized.blamed(v.sampledKey());
    String why = switch (v.rule()) {
      case 'a' -> "a sampled value would enter a derivative term non-affinely, in " + v.place()
          + "; a sample s with E[s] = v has E[g(s)] != g(v) for a non-linear g (exp(v), v*v, 1/v need v itself)."
          + " Randomize a value that enters derivatives linearly (the input of a product with weights), or drop @Randomize";
      case 'b' -> "a sampled value would decide control flow or an array index in the reverse sweep, in " + v.place()
          + "; decisions must be exact. Compute the decision from a value that is not randomized";
      default -> "the same sampled value would appear twice along one chain of the reverse sweep, in a partial"
          + " derivative and in the adjoint it multiplies, in " + v.place() + " (two elements of one sampled array"
          + " count as one sample here: the check does not tell elements apart); E[s * s] = v * v / f, not v * v,"
          + " so E[P A P] != A. Randomize only one of the two uses: let the other read an exact copy, made without"
          + " @Randomize (of an array, double[] exact = a.clone(); of a double, a second variable computed the same"
          + " way); a scalar copy of a sampled element is the same sample";
    };
    return new CompileError(spec.origin(), "[RadBiased] @Randomize on " + spec.var() + " would bias the gradient: " + why);
  }

  /**
   * Checks that the sampled values the method {@code key} passes to its callees' reverse sweeps
   * enter the callees' derivative terms affinely, as {@link #checkMethod} checks its own: each
   * callee's planned reverse sweep is checked with the parameters that receive samples marked
   * sampled (its result's adjoint and adjoint arrays too, where the caller's carry a sample), and
   * so on down; and that what the callees add into the adjoint arrays passed to them meets no
   * sample again in the caller.
   */
  void checkCalls(String key, Map<String, DifferentiatedMethod> out) {
    RandomizedRecords randomized = randomizedOf.get(key);
    Callees callees = new Callees(out);
    Effects effects = effectsOf.get(key);
    Soundness.Result r = Soundness.analyze(plannedReverses.get(key), randomized.sampledKeys(), followingOf.get(key),
        Map.of(), Map.of(), Map.of(), callees, effects);
    if (r.violation() != null) {
      throw biased(r.violation(), randomized);
    }
    for (Soundness.SampledCall call : r.calls()) {
      String where = callees.biasedIn(call, 0);
      if (where != null) {
        String sampled = call.keysPerArgument().stream().filter(k -> !k.isEmpty()).findFirst().orElseThrow()
            .iterator().next();
        RandomizeSpec spec = randomized.blamed(sampled);
        String site = call.origin() == null ? null : call.origin().sourceText();
        throw new CompileError(spec.origin(), "[RadBiased] @Randomize on " + spec.var() + " would bias the gradient:"
            + (site == null ? "" : " in the call `" + site + "`,") + " a sampled value passed to " + where
            + "; a sample s with E[s] = v keeps a derivative unbiased only"
            + " where it enters it affinely and once along a chain (E[g(s)] != g(v) for a non-linear g, E[s * s] != v * v)."
            + " Randomize a value that enters derivatives linearly, or pass the helper an exact copy, or drop @Randomize");
      }
    }
    checkReturnedArrays(key, out, callees);
  }

  /** A sampled array that a helper returned: the helper's reverse sweep reads it as its result. */
  private void checkReturnedArrays(String key, Map<String, DifferentiatedMethod> out, Callees callees) {
    RandomizedRecords randomized = randomizedOf.get(key);
    AliasClasses classes = effectsOf.get(key).aliases();
    Statements.forEach(methods.get(key).body(), st -> {
      Var target = st instanceof Stmt.Declare d ? d.var()
          : st instanceof Stmt.Assign a && a.target() instanceof Expr.Ref ref ? ref.var() : null;
      if (target == null || !target.type().isArray() || !(Statements.directCall(st) instanceof Expr.MethodCall c)
          || !out.containsKey(c.key()) || !randomized.sampledKeys().contains(classes.contentsKey(target.name()))) {
        return;
      }
      Var result = normalized.get(c.key()).result();
      Effects calleeEffects = effectsOf.get(c.key());
      if (result == null || !result.type().isArray() || calleeEffects == null) {
        return;
      }
      String resultKey = calleeEffects.aliases().contentsKey(result.name());
      String where = callees.biasedInCallee(c.key(), new Entry(Set.of(resultKey), Map.of(), Map.of(), Map.of()), 1);
      if (where != null) {
        RandomizeSpec spec = randomized.blamed(classes.contentsKey(target.name()));
        String helper = methods.get(c.key()).name(); // the user's name, also for a copy (fConstX)
        String copy = target.type() == Type.DOUBLE_ARRAY ? target.name() + " = " + helper + "(...).clone()"
            : "a new array of the same shape, filled element by element from what " + helper + " returns";
        throw new CompileError(spec.origin(), "[RadBiased] @Randomize on " + spec.var() + " would bias the gradient:"
            + " it holds the array " + helper + " returns, and the helper " + where
            + ". Randomize a copy of the array instead (" + copy + "), or drop @Randomize");
      }
    });
  }

  /**
   * What a callee's reverse sweep starts with: its sampled keys (array contents keys and number
   * parameters of the callee, and its result's adjoint), the adjoint variables and adjoint arrays
   * that carry a sample from the caller, and for each callee key the caller's keys it stands for.
   */
  private record Entry(Set<String> sampled, Map<String, String> sampledAdjoints, Map<String, String> sampledAdjointArrays,
      Map<String, Set<String>> standsFor) {}

  /** The callees' reverse sweeps, analysed with what a call passes them (memoized per call shape). */
  private final class Callees implements Soundness.Callees {
    private final Map<String, DifferentiatedMethod> out;
    private final Map<String, String> keyOfReverse = new HashMap<>();
    private final Map<String, Soundness.Result> analysed = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private int depth;

    Callees(Map<String, DifferentiatedMethod> out) {
      this.out = out;
      out.forEach((k, d) -> {
        keyOfReverse.put(Sweep.REVERSE.of(d.callee().name()), k);
        keyOfReverse.put(Sweep.REVERSE_KEPT.of(d.callee().name()), k);
      });
    }

    /**
     * The callee's view of a call: its keys that carry samples, and per such key the caller's
     * keys; null when the callee is not a differentiated method (custom rules are checked apart).
     */
    private Map<String, Set<String>> callerKeys(Soundness.SampledCall call, Map<String, String> sampledAdjoints,
        Map<String, String> sampledArrays) {
      String calleeKey = keyOfReverse.get(call.call().name());
      if (calleeKey == null) {
        return null;
      }
      DifferentiatedMethod d = out.get(calleeKey);
      MethodIR callee = d.method();
      Effects effects = effectsOf.get(calleeKey);
      int first = callee.isStatic() ? 0 : 1;
      Map<String, Set<String>> back = new HashMap<>();
      for (int k = 0; k < callee.params().size(); k++) {
        Set<String> keys = call.keysPerArgument().get(first + k);
        if (!keys.isEmpty()) {
          Var p = callee.params().get(k);
          back.computeIfAbsent(p.type().isArray() ? effects.aliases().contentsKey(p.name()) : p.name(),
              x -> new TreeSet<>()).addAll(keys);
        }
      }
      // the adjoint arrays after the primal parameters, then the result's adjoint
      for (int s = 0; s < d.shadowParams().size(); s++) {
        Set<String> keys = call.keysPerArgument().get(first + callee.params().size() + s);
        if (!keys.isEmpty()) {
          String name = d.shadowParams().get(s).name();
          String entryKey = "entry:" + name;
          sampledArrays.put(effects.adjointContentsKey(name), entryKey);
          back.put(entryKey, new TreeSet<>(keys));
        }
      }
      int resultBar = call.call().args().size() - 2; // (fReverse(..., resultBar, ctx))
      if (d.resultAdjoint() != null && !call.keysPerArgument().get(resultBar).isEmpty()) {
        String name = d.resultAdjoint().name();
        if (d.resultAdjoint().type().isArray()) {
          sampledArrays.put(effects.adjointContentsKey(name), name);
          if (d.resultAliasAdjoint() != null) {
            // (the adjoint of the local the callee returns: the result's adjoint under its name)
            sampledArrays.put(effects.adjointContentsKey(d.resultAliasAdjoint().name()), name);
          }
        } else {
          sampledAdjoints.put(name, name);
        }
        back.put(name, new TreeSet<>(call.keysPerArgument().get(resultBar)));
      }
      return back;
    }

    /** The callee's reverse sweep analysed with {@code entry}; null past the depth bound. */
    private Soundness.Result analyse(String calleeKey, Entry entry) {
      String memo = calleeKey + entry;
      Soundness.Result r = analysed.get(memo);
      if (r != null || depth > 16 || !inProgress.add(memo)) {
        return r;
      }
      depth++;
      try {
        // within one call, every sample the callee gets is one draw per element: what its callees
        // add into adjoint arrays is followed, and all it adds into the adjoint arrays of its
        // parameters is handed back to its caller (its own element updates are checked statement
        // by statement, as its caller's element records are)
        DifferentiatedMethod d = out.get(calleeKey);
        Effects effects = effectsOf.get(calleeKey);
        Set<String> exported = new HashSet<>();
        d.shadowParams().forEach(v -> exported.add(effects.adjointContentsKey(v.name())));
        r = Soundness.analyze(plannedReverses.get(calleeKey), entry.sampled(),
            new Soundness.Following(Set.of(), entry.sampled(), exported), entry.sampledAdjoints(),
            entry.sampledAdjointArrays(), entry.standsFor(), this, effects);
        analysed.put(memo, r);
        return r;
      } finally {
        depth--;
        inProgress.remove(memo);
      }
    }

    @Override
    public Map<Integer, Set<String>> adjointsWritten(Soundness.SampledCall call) {
      Map<String, String> sampledAdjoints = new HashMap<>();
      Map<String, String> sampledArrays = new HashMap<>();
      Map<String, Set<String>> back = callerKeys(call, sampledAdjoints, sampledArrays);
      if (back == null) {
        return Map.of();
      }
      String calleeKey = keyOfReverse.get(call.call().name());
      DifferentiatedMethod d = out.get(calleeKey);
      Soundness.Result r = analyse(calleeKey, new Entry(Set.copyOf(back.keySet()), sampledAdjoints, sampledArrays, back));
      int first = d.method().isStatic() ? 0 : 1;
      Map<Integer, Set<String>> written = new HashMap<>();
      for (int s = 0; s < d.shadowParams().size(); s++) {
        int position = first + d.method().params().size() + s;
        Set<String> callerKeys = new TreeSet<>();
        if (r == null) {
          // a recursive call, or past the depth bound: any sample it gets may come back
          back.values().forEach(callerKeys::addAll);
        } else {
          // (in the caller's keys already: see Soundness.analyze)
          String array = effectsOf.get(calleeKey).adjointContentsKey(d.shadowParams().get(s).name());
          callerKeys.addAll(r.adjointArrays().getOrDefault(array, Set.of()));
        }
        if (!callerKeys.isEmpty()) {
          written.put(position, callerKeys);
        }
      }
      return written;
    }

    /**
     * Where a reverse call that receives sampled arguments lets a sample enter a derivative term
     * non-affinely ("helper, whose reverse sweep ... `code`"), following its own calls; null when
     * it does not, or when the callee is not a differentiated method.
     */
    String biasedIn(Soundness.SampledCall call, int level) {
      Map<String, String> sampledAdjoints = new HashMap<>();
      Map<String, String> sampledArrays = new HashMap<>();
      Map<String, Set<String>> back = callerKeys(call, sampledAdjoints, sampledArrays);
      if (back == null || level > 16) {
        return null;
      }
      return biasedInCallee(keyOfReverse.get(call.call().name()),
          new Entry(Set.copyOf(back.keySet()), sampledAdjoints, sampledArrays, back), level);
    }

    private final Set<String> seen = new HashSet<>();

    /**
     * Where the planned reverse sweep of {@code calleeKey}, started from {@code entry}, lets a
     * sample enter a derivative term non-affinely, following its own calls; null when it does
     * not, or when this callee was checked with this entry already.
     */
    String biasedInCallee(String calleeKey, Entry entry, int level) {
      if (entry.sampled().isEmpty() || !seen.add(calleeKey + entry)) {
        return null;
      }
      String name = methods.get(calleeKey).name(); // the user's name, also for a copy (fConstX)
      Soundness.Result r = analyse(calleeKey, entry);
      if (r == null) {
        return null;
      }
      if (r.violation() != null) {
        return name + ", whose reverse sweep would " + (r.violation().rule() == 'c'
            ? "meet the same sample twice along one chain (a partial and the adjoint it multiplies)"
            : r.violation().rule() == 'b' ? "let it decide control flow or an index"
            : "let it enter a derivative term non-affinely") + ", in " + r.violation().place();
      }
      for (Soundness.SampledCall inner : r.calls()) {
        String where = biasedIn(inner, level + 1);
        if (where != null) {
          return name + ", which passes it on to " + where;
        }
      }
      return null;
    }
  }
}
