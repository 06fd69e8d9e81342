package org.rad.processor.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Checks, on a reverse sweep, that sampling the records of {@code @Randomize} values keeps the
 * gradient unbiased. A sampled value s (kept with probability f and stored as v/f, else 0) has
 * E[s] = v, so every derivative term that is affine in s stays unbiased; the check rejects
 *
 * <ul>
 *   <li>(a) a sampled value entering a derivative term non-affinely (inside exp, 1/s, s*s, ...),
 *   <li>(b) a sampled value deciding control flow or an index in the reverse sweep (branch
 *       decisions are recorded exactly by the forward sweep, so this is only reached through
 *       integer conversions and indices), and
 *   <li>(c) a sampled value appearing twice along one chain: in a partial derivative and in the
 *       adjoint it multiplies, since E[s * g(s)] is not v * g(v).
 * </ul>
 *
 * <p>Values are tracked as polynomials in the sampled variables (degree per variable, or
 * non-linear), through the reverse sweep's scalar variables (recomputed primal values and
 * adjoints), flow-insensitively, except for temporaries: an adjoint variable only ever set
 * ({@code adj = xBar;}, never {@code +=}) holds that set's value alone until the next (after an
 * {@code if}, either branch's; in a loop, also the previous iteration's), so a temporary reused by the reverse of another statement does
 * not carry the other's samples into this one's terms. Adjoint arrays are followed for arrays
 * recorded whole (one sample per element for the whole record: a parameter, a buffer never
 * overwritten), per array and in program order: an element read carries whatever such samples
 * were added before it (in a loop, also in earlier iterations) into any element of that array
 * (so {@code v0Bar[k] += v1[k]}, then {@code v1Bar[1] += v0Bar[k] * v1[k]} is a sample twice along
 * one chain), also by a callee's reverse sweep that got the adjoint array ({@link Callees}). The
 * samples of element records (a new draw per overwrite: per time step) are not followed through
 * adjoint arrays, where this would confuse the draws of different steps; a chain of those
 * through an adjoint array is checked statement by statement only.
 */
public final class Soundness {
  /**
   * A violation: which rule, which sampled key, the offending reverse-sweep code, and the origin
   * of that code's statement (the user's statement it is the reverse of, where known).
   */
  public record Violation(char rule, String sampledKey, String where, org.rad.processor.ir.Origin origin) {
    /**
     * Where, for a message: the user's statement whose derivative it is, then the generated code
     * (names such as {@code tBar} and {@code part} are the reverse sweep's); the code alone where
     * the statement is not known.
     */
    public String place() {
      String source = origin == null ? null : origin.sourceText();
      return source == null ? "the reverse-sweep code `" + where + "`"
          : "the derivative of `" + source + "` (reverse-sweep code `" + where + "`)";
    }
  }

  /**
   * A call of a callee's reverse sweep ({@code fReverse(...)}) and, per argument, the sampled keys
   * its value carries: the callee's reverse reads those arguments, and whether it does so
   * affinely is the callee's to check ({@link #analyze} on its reverse sweep with its parameters
   * marked). {@code origin}: that of the reverse statement holding the call (the user's statement
   * with the call, where known), for messages.
   */
  public record SampledCall(Expr.StaticCall call, List<Set<String>> keysPerArgument, org.rad.processor.ir.Origin origin) {}

  /**
   * The first violation, or null; the reverse calls that pass sampled values; and, per adjoint
   * array key ({@link Effects#adjointContentsKey}), the sampled keys its elements may carry.
   */
  public record Result(Violation violation, List<SampledCall> calls, Map<String, Set<String>> adjointArrays) {}

  /**
   * What callees' reverse sweeps add into the adjoint arrays passed to them: per argument position
   * of a {@link SampledCall}, the sampled keys (of the caller) that the callee may add into the
   * adjoint array at that position ({@code dot(c, h)} with {@code h} sampled adds {@code h}'s
   * samples into {@code cBar}), given what each argument carries (also the adjoint arrays).
   */
  public interface Callees {
    Map<Integer, Set<String>> adjointsWritten(SampledCall call);

    /** Callees taken to add no samples into adjoint arrays. */
    Callees NONE = call -> Map.of();
  }

  /** Degrees of a value in the sampled keys; {@code nonlinear} when not a polynomial of them. */
  private record Poly(Map<String, Integer> degrees, boolean nonlinear) {
    static final Poly ZERO = new Poly(Map.of(), false);

    boolean isZero() {
      return degrees.isEmpty() && !nonlinear;
    }

    Poly plus(Poly o) {
      Map<String, Integer> d = new HashMap<>(degrees);
      o.degrees.forEach((k, v) -> d.merge(k, v, Math::max));
      return new Poly(d, nonlinear || o.nonlinear);
    }

    Poly times(Poly o) {
      Map<String, Integer> d = new HashMap<>(degrees);
      o.degrees.forEach((k, v) -> d.merge(k, v, Integer::sum));
      return new Poly(d, nonlinear || o.nonlinear);
    }

    Poly asNonlinear() {
      return isZero() ? this : new Poly(degrees, true);
    }

    /** The degrees in {@code keys} only (non-linear if it was and keeps any). */
    Poly restrictedTo(Set<String> keys) {
      Map<String, Integer> d = new HashMap<>(degrees);
      d.keySet().retainAll(keys);
      return new Poly(d, nonlinear && !d.isEmpty());
    }
  }

  private final Set<String> sampledKeys;
  private final Effects effects;
  private final Map<String, Poly> primal = new HashMap<>();
  private final Map<String, Poly> adjoint = new HashMap<>();
  /** What the elements of each adjoint array may carry: everything ever added into any of them. */
  private final Map<String, Poly> adjointArrays = new HashMap<>();
  private Violation violation;

  /** Keys followed through adjoint arrays (see {@link #analyze}). */
  private Set<String> wholeKeys = Set.of();
  /** What callees add into the adjoint arrays passed to them. */
  private Callees callees = Callees.NONE;
  /** Keys whose samples a callee's reverse sweep carries into an adjoint array are followed (see {@link Following}). */
  private Set<String> calleeKeys = Set.of();
  /** See {@link Following#exported}. */
  private Set<String> exportedArrays = Set.of();
  /** What the exported adjoint arrays may carry, every sample. */
  private final Map<String, Poly> exported = new HashMap<>();

  /**
   * What adjoint arrays carry into the callees they are passed to: as {@link #adjointArrays}, and
   * also the samples of the keys with one draw per call that the reverse sweep's own updates add
   * ({@code sBar[i] += tBar * h[i]} before {@code squares} gets {@code sBar}).
   */
  private final Map<String, Poly> passedArrays = new HashMap<>();

  /**
   * Into an adjoint array (its contents key): the samples of {@code followed} for later reads,
   * those of one draw per call for the callees it is passed to, and every sample if it is
   * exported.
   */
  private void addInto(String array, Poly value, Set<String> followed) {
    Poly carried = value.restrictedTo(followed);
    if (!carried.isZero()) {
      adjointArrays.merge(array, carried, Poly::plus);
    }
    Poly passed = value.restrictedTo(calleeKeys).plus(carried);
    if (!passed.isZero()) {
      passedArrays.merge(array, passed, Poly::plus);
    }
    if (exportedArrays.contains(array) && !value.restrictedTo(canonicalKeys).isZero()) {
      exported.merge(array, value.restrictedTo(canonicalKeys), Poly::plus);
    }
  }

  /** The caller's keys a sampled key stands for (see {@link #analyze}); absent: itself. */
  private Map<String, Set<String>> standsFor = Map.of();
  /** The keys the polynomials are in: the sampled keys, each as what it stands for. */
  private Set<String> canonicalKeys = Set.of();

  private Set<String> canonical(Set<String> keys) {
    Set<String> out = new java.util.TreeSet<>();
    keys.forEach(k -> out.addAll(standsFor.getOrDefault(k, Set.of(k))));
    return out;
  }

  /**
   * The suffix of a fresh sample's key: a value read through the variable a sampled pop restored
   * into ({@code a = ctx.popSampledAt(...)}, {@code ctx.popSampledRange(site, f, out, ...)}),
   * before the next pop of that key. Two such reads are the same draw where they are of one
   * element, so a fresh sample that an adjoint array carries (followed like a whole record's) and
   * that meets a fresh read again is a sample twice along one chain: {@code a = pop; cBar[0] +=
   * sBar * a; wBar[0] += cBar[0] * a;} (a tester's program: E[a_s * a_s] = a * a / f), also where
   * the pop ends one iteration of the reverse and the reads are in the next ({@code for (t) { a =
   * x[t]; c[t] = a * w[t]; s += c[t] * a; }}). A read through another variable stays its key alone
   * (the reactor's restored rows are read as the next step's field, through other row variables,
   * and its chains meet draws of different steps): a chain whose two reads of one draw go through
   * two variables of one alias class is not seen.
   */
  static final String FRESH = "#fresh";

  /**
   * Primal variables sampled pops restored into, each with the draws it holds: {@code key#fresh}
   * and the pop's site ({@code v#fresh1} for the element records of one overwrite of {@code v},
   * {@code v#fresh2} for those of another): a variable may hold the draws of several sites, and a
   * pop makes only its own site's earlier draw stale.
   */
  private final Map<String, Set<String>> fresh = new HashMap<>();

  /** The value of a read of a variable holding the fresh draws {@code draws}. */
  private Poly freshSampleOf(Set<String> draws) {
    Map<String, Integer> degrees = new HashMap<>();
    for (String draw : draws) {
      String suffix = draw.substring(draw.indexOf(FRESH));
      standsFor.getOrDefault(base(draw), Set.of(base(draw))).forEach(k -> degrees.put(k + suffix, 1));
    }
    return new Poly(degrees, false);
  }

  /** The key without its fresh suffix. */
  private static String base(String key) {
    int at = key.indexOf(FRESH);
    return at < 0 ? key : key.substring(0, at);
  }

  /** {@code followed} and the fresh draws {@code value} carries: fresh draws are followed. */
  private static Set<String> withFresh(Set<String> followed, Poly value) {
    Set<String> keys = new java.util.HashSet<>(followed);
    value.degrees.keySet().stream().filter(k -> k.contains(FRESH)).forEach(keys::add);
    return keys;
  }

  /**
   * The variables the element records' pops in {@code s} restore into, each with the draw it now
   * holds (its key, {@link #FRESH} and the site): the target of {@code x = ctx.popSampledAt(...)}
   * (a scalar or an element's array), the array of {@code ctx.popSampledRange(...)}. A whole
   * record's restore ({@code v = ctx.restoreArray(...)}) is one only for {@link #checkWholeDraws}
   * (its draw keyed {@code #freshw} and the site): its elements are independent draws, which
   * adjoint arrays, followed per array and not per element, would confuse ({@code p[i] *= h[i]}
   * over the steps of a loop was rejected), so the check that rejects programs does not follow it.
   */
  private static final Set<org.rad.processor.ir.RuntimeOp> ELEMENT_POPS = Set.of(
      org.rad.processor.ir.RuntimeOp.POP_SAMPLED_AT, org.rad.processor.ir.RuntimeOp.POP_SAMPLED_RANGE,
      org.rad.processor.ir.RuntimeOp.POP_SAMPLED_RANGE_SHIFTED);

  private Map<String, String> poppedIn(Stmt s) {
    Map<String, String> popped = new HashMap<>();
    Statements.forEach(s, x -> Statements.ownExpressions(x, e -> org.rad.processor.ir.Exprs.walk(e, y -> {
      if (y instanceof Expr.ContextCall c && c.op() == org.rad.processor.ir.RuntimeOp.RESTORE_ARRAY
          && x instanceof Stmt.Assign a && a.value() == y && a.target() instanceof Expr.Ref r) {
        String key = sampledContents(r.var().name());
        if (key != null && freshWholes.contains(key)) { // v = ctx.restoreArray(...), followed as fresh
          popped.put(r.var().name(), key + FRESH + "w" + site(c));
        }
      }
      if (y instanceof Expr.ContextCall c && ELEMENT_POPS.contains(c.op())) {
        String site = FRESH + site(c);
        for (Expr arg : c.args()) {
          String root = arg.type().isArray() ? Statements.rootVar(arg) : null;
          String key = root == null || isAdjoint(arg) ? null : sampledContents(root);
          if (key != null) {
            popped.put(root, key + site);
          }
        }
        if (x instanceof Stmt.Assign a && a.value() == y) { // x = ctx.popSampledAt(...)
          String root = Statements.rootVar(a.target());
          String key = root == null || isAdjoint(a.target()) ? null
              : a.target() instanceof Expr.Ref && !a.target().type().isArray() ? (sampledKeys.contains(root) ? root : null)
              : sampledContents(root);
          if (key != null) {
            popped.put(root, key + site);
          }
        }
      }
    })));
    return popped;
  }

  /** The record site of a sampled pop or restore (its first argument), or "" where it has none. */
  private static String site(Expr.ContextCall c) {
    return !c.args().isEmpty() && c.args().get(0) instanceof Expr.Literal l ? l.text() : "";
  }

  /** A sampled key's own value: degree 1 in each key it stands for. */
  private Poly sampleOf(String key) {
    Map<String, Integer> degrees = new HashMap<>();
    standsFor.getOrDefault(key, Set.of(key)).forEach(k -> degrees.put(k, 1));
    return new Poly(degrees, false);
  }

  private Soundness(Set<String> sampledKeys, Effects effects) {
    this.sampledKeys = sampledKeys;
    this.effects = effects;
  }

  /**
   * The first violation in {@code reverse}, or null when sampling {@code sampledKeys} (variable
   * names of sampled doubles, {@code #class} keys of sampled arrays) is sound.
   */
  public static Violation check(Stmt.Block reverse, Set<String> sampledKeys, Effects effects) {
    return analyze(reverse, sampledKeys, Map.of(), effects).violation();
  }

  /**
   * Like {@link #check}, and also the calls of reverse sweeps whose arguments carry sampled values.
   * {@code sampledAdjoints} names adjoint variables that start out carrying a sampled key (a
   * callee's result adjoint, when its caller's is affine in a sample).
   */
  public static Result analyze(Stmt.Block reverse, Set<String> sampledKeys, Map<String, String> sampledAdjoints,
      Effects effects) {
    return analyze(reverse, sampledKeys, Set.of(), sampledAdjoints, effects);
  }

  /**
   * Like {@link #analyze(Stmt.Block, Set, Map, Effects)}, following the samples of {@code wholeKeys}
   * (arrays recorded whole: one sample per element for the record) through adjoint arrays.
   */
  public static Result analyze(Stmt.Block reverse, Set<String> sampledKeys, Set<String> wholeKeys,
      Map<String, String> sampledAdjoints, Effects effects) {
    return analyze(reverse, sampledKeys, wholeKeys, sampledAdjoints, Map.of(), Callees.NONE, effects);
  }

  /**
   * Like {@link #analyze(Stmt.Block, Set, Set, Map, Effects)}, with adjoint arrays that carry
   * samples from the start ({@code sampledAdjointArrays}: adjoint contents key to sampled key, a
   * callee's adjoint-array parameters into which its caller added samples) and what the callees'
   * reverse sweeps add into the adjoint arrays passed to them.
   */
  public static Result analyze(Stmt.Block reverse, Set<String> sampledKeys, Set<String> wholeKeys,
      Map<String, String> sampledAdjoints, Map<String, String> sampledAdjointArrays, Callees callees,
      Effects effects) {
    return analyze(reverse, sampledKeys, new Following(wholeKeys, wholeKeys, Set.of(), true), sampledAdjoints,
        sampledAdjointArrays, Map.of(), callees, effects);
  }

  /**
   * Which samples are followed through adjoint arrays.
   *
   * @param ownWrites the keys whose samples the reverse sweep's own element updates carry into an
   *     adjoint array (arrays recorded whole: one sample per element for the record)
   * @param calleeWrites the keys whose samples a callee's reverse sweep carries into the adjoint
   *     arrays passed to it (one draw per element for the call: the arrays recorded once)
   * @param exported adjoint arrays (contents keys) whose every sample is reported in {@link
   *     Result#adjointArrays} (a callee's adjoint-array parameters), but followed as the others
   * @param fromForwardEnd whether the sweep is the method's own reverse sweep, which starts where
   *     its forward sweep ended: until its first sampled restore, its arrays hold their last forward
   *     values, exact (a callee's sweep checked for what its caller passes it starts from samples)
   */
  public record Following(Set<String> ownWrites, Set<String> calleeWrites, Set<String> exported,
      boolean fromForwardEnd, Set<String> freshWholes) {
    /** A callee's: its arrays may hold samples from the start. */
    public Following(Set<String> ownWrites, Set<String> calleeWrites, Set<String> exported) {
      this(ownWrites, calleeWrites, exported, false);
    }

    /** With no whole record followed as fresh draws. */
    public Following(Set<String> ownWrites, Set<String> calleeWrites, Set<String> exported, boolean fromForwardEnd) {
      this(ownWrites, calleeWrites, exported, fromForwardEnd, Set.of());
    }
  }

  /**
   * The first violation in {@code reverse} where the draws of the whole records of {@code
   * wholes} (array contents keys) are also followed as fresh ones ({@link #FRESH}): a value read
   * through the array after its restore ({@code v = ctx.restoreArray(...)}) is that record's draw,
   * carried through adjoint arrays and callees, until the next restore of the record. Element pops
   * of the array do not make it stale, since they replace one element of it. This is stricter than
   * needed where a loop's element records replace the elements read (a stencil reads both), so a
   * violation here is not reported: it only decides that such an array is not recorded whole (see
   * {@code RandomizedRecords#dropSpills}).
   */
  public static Violation checkWholeDraws(Stmt.Block reverse, Set<String> sampledKeys, Set<String> followed,
      Set<String> wholes, Effects effects) {
    return analyze(reverse, sampledKeys, new Following(followed, followed, Set.of(), true, wholes), Map.of(), Map.of(),
        Map.of(), Callees.NONE, effects).violation();
  }

  /**
   * Like {@link #analyze(Stmt.Block, Set, Set, Map, Map, Callees, Effects)}, following samples as
   * {@code following} says, for a callee whose sampled keys stand for its caller's ({@code
   * standsFor}: a key to the caller's keys it carries; absent, itself): two parameters that
   * receive one sample ({@code a1(h)} whose reverse reads {@code h} and the adjoint of its result,
   * into which the caller added {@code h}) are the same sample, and the polynomials, the calls and
   * the adjoint arrays of the result are in the caller's keys.
   */
  public static Result analyze(Stmt.Block reverse, Set<String> sampledKeys, Following following,
      Map<String, String> sampledAdjoints, Map<String, String> sampledAdjointArrays,
      Map<String, Set<String>> standsFor, Callees callees, Effects effects) {
    Soundness s = new Soundness(sampledKeys, effects);
    s.standsFor = standsFor;
    s.canonicalKeys = s.canonical(sampledKeys);
    s.wholeKeys = s.canonical(following.ownWrites());
    s.calleeKeys = s.canonical(following.calleeWrites());
    s.exportedArrays = following.exported();
    s.fromForwardEnd = following.fromForwardEnd();
    s.freshWholes = following.freshWholes();
    s.callees = callees;
    sampledAdjoints.forEach((v, key) -> s.adjoint.put(v, s.sampleOf(key)));
    s.findTemporaries(reverse);
    s.findAdjointRows(reverse);
    for (int round = 0; round < 20; round++) {
      Map<String, Poly> before = new HashMap<>(s.primal);
      Map<String, Poly> adjBefore = new HashMap<>(s.adjoint);
      Map<String, Poly> arraysBefore = new HashMap<>(s.adjointArrays);
      Map<String, Poly> exportedBefore = new HashMap<>(s.exported);
      // adjoint arrays in program order: a read sees what was added before it (in a loop, also
      // in earlier iterations), not what a later statement or call adds
      s.adjointArrays.clear();
      s.passedArrays.clear();
      sampledAdjointArrays.forEach((array, key) -> s.adjointArrays.put(array, s.sampleOf(key)));
      s.passedArrays.putAll(s.adjointArrays);
      s.fresh.clear();
      s.walkSweep(reverse);
      if (s.violation != null || before.equals(s.primal) && adjBefore.equals(s.adjoint)
          && arraysBefore.equals(s.adjointArrays) && exportedBefore.equals(s.exported)) {
        break;
      }
    }
    Map<String, Set<String>> arrays = new HashMap<>();
    s.adjointArrays.forEach((array, p) -> arrays.put(array, new java.util.TreeSet<>(p.degrees.keySet())));
    s.exported.forEach((array, p) -> arrays.computeIfAbsent(array, k -> new java.util.TreeSet<>())
        .addAll(p.degrees.keySet()));
    return new Result(s.violation, List.copyOf(s.calls.values()), arrays);
  }

  /** The calls of reverse sweeps that pass sampled values, by call (the last round's). */
  private final Map<Expr.StaticCall, SampledCall> calls = new java.util.IdentityHashMap<>();
  /** What the last callee reverse analysed hands back (see {@link #poly}): its pops follow it. */
  private Poly lastHandedBack = Poly.ZERO;

  /** Adjoint variables the reverse sweep only ever sets (never adds into): its temporaries. */
  private final Set<String> temporaries = new java.util.HashSet<>();
  private void findTemporaries(Stmt.Block reverse) {
    Set<String> accumulated = new java.util.HashSet<>();
    Statements.forEach(reverse, x -> {
      if (x instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT
          && !r.var().type().isArray()) {
        (a.op() == Stmt.AssignOp.SET ? temporaries : accumulated).add(r.var().name());
      }
    });
    temporaries.removeAll(accumulated);
  }

  /** See {@link Following#fromForwardEnd}. */
  private boolean fromForwardEnd;
  /** See {@link #checkWholeDraws}. */
  private Set<String> freshWholes = Set.of();
  /** Whether the statement walked lies before the sweep's first sampled restore: arrays read are exact. */
  private boolean beforeRestores;

  /**
   * Walks the sweep's statements in order. While {@link #fromForwardEnd}, the statements before the
   * first one that may restore a sample (a sampled pop or restore) read the arrays' last forward
   * values: exact, no sample in them, also in the arrays they pass to helpers (a terminal cost
   * {@code w * phi[i] * phi[i]} after a time loop, or {@code cost(phi, w)}, whose reverse runs
   * first). A statement that restores ends this before it is walked, since a loop reads in one
   * iteration what it restored in the one before.
   */
  private void walkSweep(Stmt.Block reverse) {
    beforeRestores = fromForwardEnd;
    for (Stmt st : reverse.stmts()) {
      if (beforeRestores && mayRestore(st)) {
        beforeRestores = false;
      }
      walk(st);
    }
    beforeRestores = false;
  }

  /**
   * Whether {@code st} may restore a sample of this method's: a sampled pop or restore of the
   * context. A helper's reverse sweep restores none, since a helper's records are exact ({@code
   * @Randomize} samples the records of the method it is in).
   */
  private static boolean mayRestore(Stmt st) {
    boolean[] may = {false};
    Statements.forEach(st, x -> Statements.ownExpressions(x, e -> may[0] |= org.rad.processor.ir.Exprs.any(e,
        y -> y instanceof Expr.ContextCall c && c.op().sampled())));
    return may[0];
  }

  /**
   * Checks {@code s} and what it nests in program order. A temporary's value after an {@code if}
   * is either branch's: each branch starts from the value before, and the two are merged.
   */
  private void walk(Stmt s) {
    statement(s);
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(this::walk);
    } else if (s instanceof Stmt.If i) {
      Carried carried = carried();
      Map<String, Poly> before = temporaryValues();
      Map<String, Set<String>> freshBefore = copyOf(fresh);
      walk(i.whenTrue());
      Carried carriedAfterTrue = carried();
      Map<String, Poly> afterTrue = temporaryValues();
      Map<String, Set<String>> freshAfterTrue = copyOf(fresh);
      temporaries.forEach(t -> adjoint.remove(t));
      adjoint.putAll(before);
      fresh.clear();
      fresh.putAll(freshBefore);
      if (i.whenFalse() != null) {
        walk(i.whenFalse());
      }
      afterTrue.forEach((t, v) -> adjoint.merge(t, v, Poly::plus));
      // restored on either branch
      freshAfterTrue.forEach((v, draws) -> fresh.computeIfAbsent(v, k -> new java.util.HashSet<>()).addAll(draws));
      keep(carried); // a pop on one branch leaves the other's samples as they were
      keep(carriedAfterTrue);
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(this::walk);
      loop(f.body(), f.update());
    } else if (s instanceof Stmt.While w) {
      loop(w.body(), List.of());
    }
  }

  /**
   * A loop body, twice: a temporary read before it is set in an iteration holds the value from
   * before the loop in the first and the body's last value in the others; after the loop it
   * holds either (the loop may not run).
   */
  private void loop(Stmt.Block body, List<Stmt> update) {
    Carried carried = carried();
    Map<String, Poly> before = temporaryValues();
    for (int pass = 0; pass < 2; pass++) {
      walk(body);
      update.forEach(this::walk);
    }
    // (and again while what adjoint arrays carry grows: an iteration reads what earlier ones added)
    for (int pass = 0; pass < 8; pass++) {
      Map<String, Poly> arrays = new HashMap<>(adjointArrays);
      Map<String, Poly> passed = new HashMap<>(passedArrays);
      walk(body);
      update.forEach(this::walk);
      if (arrays.equals(adjointArrays) && passed.equals(passedArrays)) {
        break;
      }
    }
    before.forEach((t, v) -> adjoint.merge(t, v, Poly::plus));
    keep(carried); // the loop may not run: its pops may not have made anything stale
  }

  /** What the values and arrays carry at a point, for {@link #keep}. */
  private record Carried(Map<String, Poly> primal, Map<String, Poly> adjoint, Map<String, Poly> arrays,
      Map<String, Poly> passed) {}

  private Carried carried() {
    return new Carried(new HashMap<>(primal), new HashMap<>(adjoint), new HashMap<>(adjointArrays),
        new HashMap<>(passedArrays));
  }

  /**
   * Adds back what {@code c} carried: after a branch or a loop, the samples a pop inside it made
   * stale may still be current, where the pop did not run.
   */
  private void keep(Carried c) {
    c.primal().forEach((k, v) -> primal.merge(k, v, Poly::plus));
    c.adjoint().forEach((k, v) -> {
      if (!temporaries.contains(k)) {
        adjoint.merge(k, v, Poly::plus);
      }
    });
    c.arrays().forEach((k, v) -> adjointArrays.merge(k, v, Poly::plus));
    c.passed().forEach((k, v) -> passedArrays.merge(k, v, Poly::plus));
  }

  /**
   * A sampled pop of {@code popped}: it draws anew, so what was fresh of those keys (in variables,
   * adjoints and adjoint arrays) is now of another draw, and the variables it restores into hold
   * the new one.
   */
  private void popped(Map<String, String> popped) {
    if (popped.isEmpty()) {
      return;
    }
    Set<String> stale = new java.util.HashSet<>(freshSampleOf(new java.util.HashSet<>(popped.values())).degrees.keySet());
    fresh.values().forEach(draws -> draws.removeAll(popped.values()));
    adjointArrays.replaceAll((k, p) -> without(p, stale));
    passedArrays.replaceAll((k, p) -> without(p, stale));
    primal.replaceAll((k, p) -> without(p, stale));
    adjoint.replaceAll((k, p) -> without(p, stale));
    popped.forEach((v, draw) -> fresh.computeIfAbsent(v, k -> new java.util.HashSet<>()).add(draw));
  }

  private static Map<String, Set<String>> copyOf(Map<String, Set<String>> m) {
    Map<String, Set<String>> copy = new HashMap<>();
    m.forEach((k, v) -> copy.put(k, new java.util.HashSet<>(v)));
    return copy;
  }

  private static Poly without(Poly p, Set<String> keys) {
    Map<String, Integer> d = new HashMap<>(p.degrees);
    d.keySet().removeAll(keys);
    return new Poly(d, p.nonlinear && !d.isEmpty());
  }

  private Map<String, Poly> temporaryValues() {
    Map<String, Poly> values = new HashMap<>();
    for (String t : temporaries) {
      Poly v = adjoint.get(t);
      if (v != null) {
        values.put(t, v);
      }
    }
    return values;
  }

  private void report(char rule, Poly p, Object where) {
    if (violation == null) {
      String key = p.degrees.keySet().stream().map(Soundness::base).filter(canonicalKeys::contains).findFirst()
          .orElse("?");
      violation = new Violation(rule, key, where instanceof Stmt st ? org.rad.processor.ir.IrText.of(st)
          : org.rad.processor.ir.IrText.of((Expr) where), where instanceof Stmt st ? st.origin() : null);
    }
  }

  /** The statement being checked, for the origin of the calls in it. */
  private Stmt current;

  private void statement(Stmt s) {
    current = s;
    if (violation != null) {
      return;
    }
    if (s instanceof Stmt.Assign a) {
      if (a.target() instanceof Expr.Index ix) {
        control(ix, a);
      }
      Poly value = poly(a.value());
      Var target = a.target() instanceof Expr.Ref r ? r.var() : null;
      boolean toAdjoint = isAdjoint(a.target());
      if (toAdjoint) {
        if (a.op() == Stmt.AssignOp.ADD || a.op() == Stmt.AssignOp.SUB) {
          checkTerm(a.value(), value, a);
        }
        if (target != null && temporaries.contains(target.name())) {
          adjoint.put(target.name(), value); // a temporary set anew: its earlier values are gone
        } else if (target != null) {
          adjoint.merge(target.name(), value, Poly::plus);
        } else if (!a.target().type().isArray()) {
          // an element of an adjoint array: a later read of any element may carry what it gets
          addInto(adjointArrayKey(a.target()), value, withFresh(wholeKeys, value));
        }
      } else if (target != null && !target.type().isArray()) {
        primal.merge(target.name(), value, Poly::plus);
      }
      popped(poppedIn(s));
    } else if (s instanceof Stmt.Call c) {
      if (c.call() instanceof Expr.StaticCall add && add.owner() == Expr.Owner.SHADOWS && add.name().equals("addInto")
          && isAdjoint(add.args().get(0)) && isAdjoint(add.args().get(1))) {
        // the adjoint of a clone added into its source's (Shadows.addInto(cBar, dBar)): what the
        // clone's adjoint elements carry, the source's now may
        String source = adjointArrayKey(add.args().get(1));
        Poly carried = adjointArrays.getOrDefault(source, Poly.ZERO);
        if (!carried.isZero()) {
          addInto(adjointArrayKey(add.args().get(0)), carried, withFresh(wholeKeys, carried));
        }
      }
      poly(c.call()); // (records a reverse sweep's call)
      popped(poppedIn(s));
    } else if (s instanceof Stmt.If i) {
      condition(i.condition(), s);
    } else if (s instanceof Stmt.For f) {
      if (f.condition() != null) {
        condition(f.condition(), s);
      }
    } else if (s instanceof Stmt.While w) {
      condition(w.condition(), s);
    }
  }

  /** (a) and (c) for one derivative term {@code bar += term}. */
  private void checkTerm(Expr term, Poly p, Stmt where) {
    if (p.nonlinear) {
      report('a', p, where);
      return;
    }
    Poly fromAdjoints = adjointFactor(term);
    for (var e : p.degrees.entrySet()) {
      if (e.getValue() > 1) {
        report(fromAdjoints.degrees.containsKey(e.getKey()) ? 'c' : 'a', p, where);
        return;
      }
    }
  }

  /** The part of a term's polynomial that comes from the adjoints it reads. */
  private Poly adjointFactor(Expr e) {
    Poly[] acc = {Poly.ZERO};
    org.rad.processor.ir.Exprs.walk(e, x -> {
      if (x instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT) {
        acc[0] = acc[0].plus(adjoint.getOrDefault(r.var().name(), Poly.ZERO));
      }
    });
    return acc[0];
  }

  private void condition(Expr c, Stmt where) {
    if (!poly(c).isZero()) {
      report('b', poly(c), where);
    }
  }

  private void control(Expr.Index ix, Object where) {
    Expr e = ix;
    while (e instanceof Expr.Index i) {
      Poly p = poly(i.index());
      if (!p.isZero()) {
        report('b', p, where);
      }
      e = i.array();
    }
  }

  private boolean isAdjoint(Expr target) {
    Expr e = target;
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT;
  }

  private String adjointArrayKey(Expr element) {
    String root = Statements.rootVar(element);
    String matrix = rowsOfAdjoints.get(root);
    return matrix != null ? matrix : effects.adjointContentsKey(root);
  }

  /**
   * Adjoint row and slice variables ({@code rBar = mBar[1];}), each with the key of the adjoint
   * array it is a row of: a row's elements are the matrix's, so what one adds the other reads
   * (a tester's program wrote a fresh sample into {@code rBar[0]} and read {@code mBar[1][0]}).
   */
  private final Map<String, String> rowsOfAdjoints = new HashMap<>();

  private void findAdjointRows(Stmt.Block reverse) {
    for (int pass = 0; pass < 3; pass++) { // rows of rows (a slice's rows)
      Statements.forEach(reverse, x -> {
        if (x instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET && a.target() instanceof Expr.Ref r
            && r.var().kind() == Var.Kind.ADJOINT && r.var().type().isArray() && a.value() instanceof Expr.Index ix
            && isAdjoint(ix)) {
          rowsOfAdjoints.put(r.var().name(), adjointArrayKey(ix));
        }
      });
    }
  }

  /**
   * The sampled key of the contents of the array {@code root}, where what the statement walked reads
   * of them may be a sample (not before the sweep's first restore); else null.
   */
  private String sampledContents(String root) {
    String key = effects.aliases().contentsKey(root);
    return sampledKeys.contains(key) && !beforeRestores ? key : null;
  }

  /** The sampled key of a primal array argument's contents, where they may hold a sample; else null. */
  private String sampledArgument(Expr arg) {
    String root = Statements.rootVar(arg);
    return arg.type().isArray() && root != null && !isAdjoint(arg) ? sampledContents(root) : null;
  }

  private Poly poly(Expr e) {
    if (e instanceof Expr.Ref r) {
      Var v = r.var();
      if (v.type().isArray()) {
        return Poly.ZERO;
      }
      if (v.kind() == Var.Kind.ADJOINT) {
        return adjoint.getOrDefault(v.name(), Poly.ZERO);
      }
      Poly p = primal.getOrDefault(v.name(), Poly.ZERO);
      if (fresh.containsKey(v.name())) {
        p = p.plus(freshSampleOf(fresh.get(v.name())));
      }
      return sampledKeys.contains(v.name()) ? p.plus(sampleOf(v.name())) : p;
    }
    if (e instanceof Expr.Index ix) {
      control(ix, e);
      String root = Statements.rootVar(ix);
      if (root != null && !ix.type().isArray() && isAdjoint(ix)) {
        return adjointArrays.getOrDefault(adjointArrayKey(ix), Poly.ZERO);
      }
      if (root == null || ix.type().isArray() || isAdjoint(ix)) {
        return Poly.ZERO;
      }
      String key = sampledContents(root);
      Poly read = key != null ? sampleOf(key) : Poly.ZERO;
      return fresh.containsKey(root) ? read.plus(freshSampleOf(fresh.get(root))) : read;
    }
    if (e instanceof Expr.Binary b) {
      Poly l = poly(b.left());
      Poly r = poly(b.right());
      return switch (b.op()) {
        case ADD, SUB -> l.plus(r);
        case MUL -> l.times(r);
        case DIV -> r.isZero() ? l : l.plus(r).asNonlinear();
        default -> l.plus(r).asNonlinear(); // %, comparisons, && and || of sampled values
      };
    }
    if (e instanceof Expr.Unary u) {
      Poly p = poly(u.operand());
      return u.op() == Expr.UnaryOp.NEG ? p : p.asNonlinear();
    }
    if (e instanceof Expr.Cast c) {
      Poly p = poly(c.operand());
      return c.type() == org.rad.processor.ir.Type.DOUBLE ? p : p.asNonlinear();
    }
    if (e instanceof Expr.Conditional c) {
      Poly cond = poly(c.condition());
      if (!cond.isZero()) {
        report('b', cond, e);
      }
      return poly(c.whenTrue()).plus(poly(c.whenFalse()));
    }
    if (e instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED
        && !org.rad.processor.ir.Sweep.REVERSE.names(call.name())
        && !org.rad.processor.ir.Sweep.REVERSE_KEPT.names(call.name())) {
      // a primal copy recomputed in the reverse sweep (s0Primal(v0)): its value is some function
      // of its arguments, the contents of its array arguments among them, so it carries their
      // samples non-linearly (found by the fuzzer, seed 2030, P2401: 1 / (1 + s * s) of a
      // helper's value over a sampled array compiled, and its mean was 1.6 times the exact one)
      Poly all = Poly.ZERO;
      for (Expr arg : call.args()) {
        all = all.plus(poly(arg));
        String sampled = sampledArgument(arg);
        if (sampled != null) {
          all = all.plus(sampleOf(sampled));
        }
      }
      return all.asNonlinear();
    }
    if (e instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED) {
      // a callee's reverse sweep: the caller records which arguments carry samples, for the
      // callee's own check (which checks how the callee's partials use them). The adjoints it
      // hands back (returned, or through the context: ctx.popAdjoint()) are its seed times its
      // partials, so they carry the samples of its number arguments (the seed among them): a
      // caller that multiplies one by a sampled value again (act(u) * s, with s in u) would use
      // a sample twice along one chain. (Samples of array contents the callee reads are the
      // callee's to check.)
      Poly handedBack = Poly.ZERO;
      for (Expr arg : call.args()) {
        if (!arg.type().isArray()) {
          handedBack = handedBack.plus(poly(arg));
        }
      }
      lastHandedBack = handedBack;
      List<Set<String>> keys = new java.util.ArrayList<>();
      for (Expr arg : call.args()) {
        Set<String> k = new java.util.TreeSet<>(poly(arg).degrees.keySet());
        String root = Statements.rootVar(arg);
        String sampled = sampledArgument(arg);
        if (sampled != null) {
          k.addAll(sampleOf(sampled).degrees.keySet());
        } else if (arg.type().isArray() && root != null && isAdjoint(arg)) {
          // an adjoint array that carries samples: the callee's partials must not meet them again
          k.addAll(passedArrays.getOrDefault(adjointArrayKey(arg), Poly.ZERO).degrees.keySet());
        }
        // (a fresh key stays one: the callee sees which of its arguments carry one draw)
        k.removeIf(key -> !canonicalKeys.contains(base(key)));
        keys.add(k);
      }
      if (keys.stream().anyMatch(k -> !k.isEmpty())) {
        SampledCall sampledCall = new SampledCall(call, keys, current == null ? null : current.origin());
        calls.put(call, sampledCall);
        // the samples the callee adds into the adjoint arrays passed to it: a later read of an
        // element of those arrays may carry them (followed for whole records, as above)
        callees.adjointsWritten(sampledCall).forEach((position, added) -> {
          Map<String, Integer> degrees = new HashMap<>();
          added.forEach(key -> degrees.put(key, 1));
          Expr arg = call.args().get(position);
          if (isAdjoint(arg)) {
            Poly fromCallee = new Poly(degrees, false);
            addInto(adjointArrayKey(arg), fromCallee, withFresh(calleeKeys, fromCallee));
          }
        });
      }
      return handedBack;
    }
    if (e instanceof Expr.ContextCall c && c.op() == org.rad.processor.ir.RuntimeOp.POP_ADJOINT) {
      // an adjoint the reverse call just before handed back through the context
      return lastHandedBack;
    }
    if (e instanceof Expr.StaticCall call && org.rad.processor.ir.MathRules.isGuardedProduct(call)) {
      // Derivatives.times(adjoint, partial) is adjoint * partial (0 where the adjoint is 0)
      return poly(call.args().get(0)).times(poly(call.args().get(1)));
    }
    Poly all = Poly.ZERO;
    for (Expr c : org.rad.processor.ir.Exprs.children(e)) {
      all = all.plus(poly(c));
    }
    // Math functions, derivative helpers, calls: not affine in a sampled argument
    return all.asNonlinear();
  }
}
