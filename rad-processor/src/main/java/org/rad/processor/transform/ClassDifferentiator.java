package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.analysis.Activity;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.analysis.CallGraph;
import org.rad.processor.analysis.DistinctRows;
import org.rad.processor.analysis.Effects;
import org.rad.processor.analysis.ElementDependences;
import org.rad.processor.analysis.MethodSummary;
import org.rad.processor.analysis.Plan;
import org.rad.processor.analysis.Statements;
import org.rad.processor.analysis.WriteChecks;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.CompileErrors;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Sweep;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Differentiates the methods of one class together: orders them by the call graph (rejecting
 * recursion), summarizes callees bottom-up, propagates activity top-down from the
 * {@code @Differentiable} entries, and builds each method's sweeps.
 */
public final class ClassDifferentiator {
  private final Map<String, MethodIR> methods = new LinkedHashMap<>();
  private final Map<String, ExitNormalizer.Normalized> normalized = new LinkedHashMap<>();
  private final Map<String, MethodSummary> summaries = new HashMap<>();
  private final Map<String, AliasClasses> aliases = new HashMap<>();
  private final Map<String, Set<String>> activeParams = new HashMap<>();
  /** The base name of each method's generated helpers, by key. */
  private Map<String, String> baseNames = new HashMap<>();
  /** Whether the sweeps must keep the shapes the CUDA planner reads (see {@link #differentiate}). */
  private boolean forDevice;
  /** See {@link #differentiate(Map, Map, boolean, boolean)}. */
  private boolean returnAdjoints;
  /** Record sites of sampled records, numbered across the class so every site hashes apart. */
  private int nextSite = 1;

  /** The helper base names of the custom-adjoint methods, by key. */
  private final Map<String, String> customBaseNames = new HashMap<>();

  /** Methods with a user-declared adjoint that the differentiated methods call, by key. */
  private final Map<String, org.rad.processor.ir.CustomAdjointMethod> custom = new HashMap<>();

  /** Differentiates {@code translated} (keyed by method key), entries first. */
  public static Map<String, DifferentiatedMethod> differentiate(Map<String, MethodIR> translated) {
    return differentiate(translated, Map.of());
  }

  /**
   * Differentiates {@code translated}, whose calls of the methods in {@code custom} use their
   * user-declared adjoints.
   */
  public static Map<String, DifferentiatedMethod> differentiate(Map<String, MethodIR> translated,
      Map<String, org.rad.processor.ir.CustomAdjointMethod> custom) {
    return differentiate(translated, custom, false);
  }

  /**
   * Like {@link #differentiate(Map, Map)}; {@code forDevice} keeps the sweeps in the shapes the
   * CUDA kernel planner reads (element records in loops of their own, one adjoint update per
   * statement): the CPU-only speed-ups that change those shapes (bulk row records and restores,
   * merged increments, hoisted loop invariants, kept intermediates of recomputed calls) are left
   * out for the class.
   */
  public static Map<String, DifferentiatedMethod> differentiate(Map<String, MethodIR> translated,
      Map<String, org.rad.processor.ir.CustomAdjointMethod> custom, boolean forDevice) {
    return differentiate(translated, custom, forDevice, !forDevice);
  }

  /**
   * Like {@link #differentiate(Map, Map, boolean)}; {@code returnAdjoints} lets the reverse sweep
   * of a method with one double parameter that carries derivatives return its adjoint instead of
   * handing it back through the context (a store to the context's adjoint tape and a load from it
   * per call, which a stencil helper called per cell pays in its loop). The CPU code of a class
   * with CUDA entries keeps the context hand-off, the convention its kernels' host code expects.
   */
  public static Map<String, DifferentiatedMethod> differentiate(Map<String, MethodIR> translated,
      Map<String, org.rad.processor.ir.CustomAdjointMethod> custom, boolean forDevice, boolean returnAdjoints) {
    ClassDifferentiator d = new ClassDifferentiator();
    d.forDevice = forDevice;
    d.returnAdjoints = returnAdjoints;
    d.custom.putAll(custom);
    return d.run(translated);
  }

  /**
   * The wrappers the generated class needs for custom adjoints: helper base name to the method,
   * for those that {@code differentiate} saw called.
   */
  public static Map<String, org.rad.processor.ir.CustomAdjointMethod> customHelpers(
      Map<String, MethodIR> translated, Map<String, org.rad.processor.ir.CustomAdjointMethod> custom) {
    Set<String> names = new HashSet<>();
    translated.values().forEach(m -> names.add(m.name()));
    Map<String, org.rad.processor.ir.CustomAdjointMethod> out = new LinkedHashMap<>();
    for (var c : custom.values()) {
      out.put(customBaseName(names, c), c);
    }
    return out;
  }

  /** A custom-adjoint method's helpers are named after it, unless a differentiated overload took the name. */
  private static String customBaseName(Set<String> translatedNames, org.rad.processor.ir.CustomAdjointMethod c) {
    return translatedNames.contains(c.helperName()) ? c.helperName() + "Custom" : c.helperName();
  }

  private Map<String, DifferentiatedMethod> run(Map<String, MethodIR> translated) {
    for (var e : custom.entrySet()) {
      // the method runs as it is: it writes only the arguments it declares (EJML outputs), and
      // returns no argument
      BitSet writes = new BitSet();
      e.getValue().written().forEach(writes::set);
      summaries.put(e.getKey(), new MethodSummary(writes, new BitSet()));
    }
    translated = IndexFormulas.inline(translated);
    for (var e : translated.entrySet()) {
      ExitNormalizer.Normalized n =
          ScalarVersions.of(RowCaptures.capture(ExitNormalizer.normalize(CountedWhileLoops.rewrite(
              CallLifter.lift(e.getValue())))));
      normalized.put(e.getKey(), n);
      methods.put(e.getKey(), n.method());
    }
    List<String> order = topologicalOrder(); // callers before callees
    Map<String, String> baseNames = new HashMap<>(GeneratedNames.of(methods));
    Set<String> translatedNames = new HashSet<>();
    methods.values().forEach(m -> translatedNames.add(m.name()));
    for (var e : custom.entrySet()) {
      baseNames.put(e.getKey(), customBaseName(translatedNames, e.getValue()));
    }
    customBaseNames.clear();
    custom.keySet().forEach(k -> customBaseNames.put(k, baseNames.get(k)));
    for (var e : normalized.entrySet()) {
      MethodIR m = e.getValue().method();
      MethodIR renamed = m.withBody(GeneratedNames.renameCalls(m.body(), baseNames), m.locals());
      e.setValue(new ExitNormalizer.Normalized(renamed, e.getValue().result()));
      methods.put(e.getKey(), renamed);
    }
    rejectRandomizeInCallees();
    unversioned.putAll(methods);
    this.baseNames = baseNames;
    for (int k = order.size() - 1; k >= 0; k--) {
      summarize(order.get(k), writeErrors);
    }
    writeErrors.throwIfAny();
    order = topologicalOrder(); // with the variants for arrays passed twice
    for (String key : order) {
      // arguments that read what their call writes, now that the callees' writes are known
      MethodIR m = methods.get(key);
      Effects effects = new Effects(aliases.get(key), summaries, Map.of());
      // and indices of element writes that read the array written
      MethodIR lifted = WrittenIndices.lift(CallLifter.liftArgumentsTheCallWrites(m, effects), effects);
      if (lifted != m) {
        methods.put(key, lifted);
        normalized.put(key, new ExitNormalizer.Normalized(lifted, normalized.get(key).result()));
        // the new locals may hold arrays (a call's result): their alias classes are the method's
        aliases.put(key, AliasClasses.of(lifted, summaries, sameParams.getOrDefault(key, List.of())));
      }
    }
    for (String key : order) {
      MethodIR m = methods.get(key);
      Set<String> active = activeParams.computeIfAbsent(key, k -> new LinkedHashSet<>());
      m.wrt().forEach(v -> active.add(v.name()));
    }
    Map<String, Activity> activities = new HashMap<>();
    order = new ArrayList<>(order);
    for (int idx = 0; idx < order.size(); idx++) {
      String key = order.get(idx);
      order.addAll(idx + 1, specialize(key, baseNames));
      MethodIR m = methods.get(key);
      Var result = resultUnused.contains(key) ? null : normalized.get(key).result();
      Activity a = Activity.of(m, result, activeParams.get(key), aliases.get(key), summaries, writtenParams(key));
      activities.put(key, a);
      // An array parameter can become active inside (written from active values): its adjoint
      // must then come from the caller too, since the caller's array holds what was written.
      for (Var p : m.params()) {
        if (p.type().isArray() && a.isActive(p)) {
          activeParams.get(key).add(p.name());
        }
      }
      propagateToCallees(key, m, a);
      propagateSampledArguments(key, m);
    }
    Map<String, CalleeInfo> callees = new HashMap<>();
    for (var e : custom.entrySet()) {
      org.rad.processor.ir.CustomAdjointMethod c = e.getValue();
      Set<String> activeNames = new LinkedHashSet<>();
      c.params().stream().filter(p -> p.type().isDifferentiable()).forEach(p -> activeNames.add(p.name()));
      callees.put(e.getKey(), new CalleeInfo(customBaseNames.get(e.getKey()), true, c.params(), activeNames,
          c.returnType(), summaries.get(e.getKey()), c.isRule(), reads(c), List.of(), true, false));
    }
    for (String key : order) {
      MethodIR m = methods.get(key);
      long scalarAdjoints = m.params().stream()
          .filter(p -> p.type() == Type.DOUBLE && activeParams.get(key).contains(p.name())).count();
      callees.put(key, new CalleeInfo(baseNames.get(key), m.isStatic(), m.params(), activeParams.get(key), m.returnType(),
          summaries.get(key), false, null, keptIntermediates(key), !resultUnused.contains(key),
          returnAdjoints && scalarAdjoints == 1));
    }
    Map<String, DifferentiatedMethod> out = new LinkedHashMap<>();
    List<String> built = new ArrayList<>(translated.keySet());
    built.addAll(aliasVariants);
    // each method is built on its own, so that one method's error does not hide another's
    CompileErrors.Collector errors = new CompileErrors.Collector();
    for (String key : built) {
      errors.attempt(() -> out.put(key, build(key, activities.get(key), callees)));
      for (String v : variants.getOrDefault(key, List.of())) {
        errors.attempt(() -> out.put(v, build(v, activities.get(v), callees)));
      }
    }
    if (!errors.isEmpty()) {
      // a sampled value that a built method passes to a built helper is checked in this compile
      // too, not only after the other errors are mended
      for (String key : out.keySet()) {
        if (randomizedOf.containsKey(key) && calleesBuilt(key, out, new HashSet<>())) {
          errors.attempt(() -> samplingChecks.checkCalls(key, out));
        }
      }
    }
    errors.throwIfAny();
    if (!forDevice && learnContentsReads(out)) {
      // the callers plan their records again, knowing which contents their callees' reverse
      // sweeps read
      rebuildCallers(out, activities, callees, errors);
    }
    refineRestoresAndBulkRecords(out, activities, callees, errors);
    // a callee rebuilt above may read less than its callers were told (step(y, k) no longer reads
    // k once f(y, k), which it calls, was found to restore nothing of k): the callers plan again
    // with that, until no method reads less (each round only shrinks what is read)
    for (int round = 0; !forDevice && round <= out.size() && learnFewerContentsReads(out); round++) {
      rebuildCallers(out, activities, callees, errors);
      refineRestoresAndBulkRecords(out, activities, callees, errors);
    }
    if (!forDevice && !contentsReadsHold(out)) {
      // a callee rebuilt in the rounds reads contents its callers were told it does not: plan
      // again as if nothing had been learned
      learnedContentsReads.clear();
      learnedUnreadArguments.clear();
      restoredParams.clear();
      silentForwards = Set.of();
      rebuildCallers(out, activities, callees, errors);
      refineRestoresAndBulkRecords(out, activities, callees, errors);
    }
    for (String key : out.keySet()) {
      if (randomizedOf.containsKey(key)) {
        errors.attempt(() -> samplingChecks.checkCalls(key, out));
      }
    }
    errors.throwIfAny();
    return out;
  }

  /**
   * Restores only what callers need ({@link #restoreOnlyWhatCallersNeed}), then builds the callers
   * of methods whose forward sweep records nothing again: a loop that calls one can still take its
   * element records in bulk.
   */
  private void refineRestoresAndBulkRecords(Map<String, DifferentiatedMethod> out, Map<String, Activity> activities,
      Map<String, CalleeInfo> callees, CompileErrors.Collector errors) {
    restoreOnlyWhatCallersNeed(out, activities, callees, errors);
    silentForwards = silentForwards(out);
    if (!silentForwards.isEmpty()) {
      for (String key : new ArrayList<>(out.keySet())) {
        if (callsAnyOf(methods.get(key), silentForwards)) {
          errors.attempt(() -> out.put(key, build(key, activities.get(key), callees)));
        }
      }
      errors.throwIfAny();
    }
  }

  /**
   * Builds again the methods that plan with learned contents reads (see {@link #plainContract})
   * and call a method of the class: those whose records the learned reads can change. (The others
   * are left as built, which also keeps the sites of their sampled records.)
   */
  private void rebuildCallers(Map<String, DifferentiatedMethod> out, Map<String, Activity> activities,
      Map<String, CalleeInfo> callees, CompileErrors.Collector errors) {
    for (String key : new ArrayList<>(out.keySet())) {
      if (!plainContract(key) && callsAnyOf(methods.get(key), out.keySet())) {
        errors.attempt(() -> out.put(key, build(key, activities.get(key), callees)));
      }
    }
    errors.throwIfAny();
  }

  /**
   * Whether a method plans with what every call may read: one with sampled records (its samples
   * are then the same as in the GPU's kernels, and its soundness check sees the plain contract).
   */
  private boolean plainContract(String key) {
    return !methods.get(key).randomized().isEmpty() || !sampledOf(key).isEmpty();
  }

  /**
   * The interprocedural half of "a value is recorded only if the reverse sweep reads it": which
   * array arguments' contents each method's reverse sweep reads. Without it a call's reverse is
   * taken to read the contents of every array passed, so an output the caller never reads back
   * ({@code forces(pos, mass, acc)} accumulating into {@code acc}) keeps every old value of its
   * elements on the tape, in the callee and before the call. Learned from each method's planned
   * reverse sweep (the keys {@code build} saw it read); returns whether anything was learned.
   */
  private boolean learnContentsReads(Map<String, DifferentiatedMethod> out) {
    Map<String, BitSet> learned = contentsReadsOf(out);
    learnedContentsReads.putAll(learned);
    learnedUnreadArguments.putAll(unreadArgumentsOf(out));
    return !learned.isEmpty();
  }

  /**
   * Learns where the methods as last built read fewer array contents, or reach fewer array
   * arguments, than their callers were told; returns whether any did. (A method that reads more
   * is left to {@link #contentsReadsHold}.)
   */
  private boolean learnFewerContentsReads(Map<String, DifferentiatedMethod> out) {
    boolean fewer = false;
    for (var e : contentsReadsOf(out).entrySet()) {
      BitSet told = learnedContentsReads.get(e.getKey());
      if (told != null && !told.equals(e.getValue()) && subset(e.getValue(), told)) {
        learnedContentsReads.put(e.getKey(), e.getValue());
        fewer = true;
      }
    }
    for (var e : unreadArgumentsOf(out).entrySet()) {
      BitSet told = learnedUnreadArguments.get(e.getKey());
      if (told != null && !told.equals(e.getValue()) && subset(told, e.getValue())) {
        learnedUnreadArguments.put(e.getKey(), e.getValue());
        fewer = true;
      }
    }
    return fewer;
  }

  private static boolean subset(BitSet a, BitSet b) {
    BitSet extra = (BitSet) a.clone();
    extra.andNot(b);
    return extra.isEmpty();
  }

  /**
   * Whether each method's reverse sweep, as last built, reads no contents its callers were told it
   * does not, and reaches no array argument they were told it leaves alone.
   */
  private boolean contentsReadsHold(Map<String, DifferentiatedMethod> out) {
    for (var e : contentsReadsOf(out).entrySet()) {
      BitSet told = learnedContentsReads.get(e.getKey());
      if (told != null) {
        BitSet extra = (BitSet) e.getValue().clone();
        extra.andNot(told);
        if (!extra.isEmpty()) {
          return false;
        }
      }
    }
    for (var e : unreadArgumentsOf(out).entrySet()) {
      BitSet told = learnedUnreadArguments.get(e.getKey());
      if (told != null) {
        BitSet reached = (BitSet) told.clone();
        reached.andNot(e.getValue());
        if (!reached.isEmpty()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Per reverse helper name, the positions of the array parameters its reverse sweep never
   * reaches: it reads neither the parameter (its elements, length or identity) nor the contents
   * of its class, and nothing else in the method can reach that array (the parameter is alone in
   * its alias class and never assigned), so no adjoint is looked up by that array's identity
   * either. A caller passes null there (the stages {@code k} of {@code axpy(y, h, k)}, whose
   * reverse adds into {@code kBar} without reading {@code k}): the caller then need not keep the
   * array for that call. Also the positions of the double parameters whose value as passed its
   * reverse sweep never reads ({@code u} of {@code sat(u, m)}, whose reverse reads only its
   * branches' bits; {@code x} of a helper that reassigns it in a loop and restores it from its own
   * records before each read): a caller passes 0.0 there, and need not restore the value for the
   * call.
   */
  private Map<String, BitSet> unreadArgumentsOf(Map<String, DifferentiatedMethod> out) {
    Map<String, BitSet> unread = new HashMap<>();
    for (var e : out.entrySet()) {
      Set<String> read = reverseReadsOf.get(e.getKey());
      MethodIR m = methods.get(e.getKey());
      Effects effects = effectsOf.get(e.getKey());
      if (read == null || m == null || effects == null) {
        continue;
      }
      AliasClasses classes = aliases.get(e.getKey());
      Set<String> assigned = effects.writes(m.body());
      // (a double's value as passed is read only from the state the forward sweep ended in: a
      // reverse that first restores it from its own records, x = ctx.popDouble(), does not read it)
      Set<String> fromEnd = finalStateReadsOf.getOrDefault(e.getKey(), read);
      int offset = m.isStatic() ? 0 : 1;
      BitSet bits = new BitSet();
      for (int i = 0; i < m.params().size(); i++) {
        String p = m.params().get(i).name();
        Type type = m.params().get(i).type();
        if (type.isArray() && !read.contains(p) && !read.contains(classes.contentsKey(p))
            && classes.isAlone(p) && !assigned.contains(p) || type == Type.DOUBLE && !fromEnd.contains(p)) {
          bits.set(offset + i);
        }
      }
      unread.put(Sweep.REVERSE.of(e.getValue().callee().name()), bits);
      unread.put(Sweep.REVERSE_KEPT.of(e.getValue().callee().name()), bits);
    }
    return unread;
  }

  /**
   * Per reverse helper name (plain and kept), the positions among the helper's arguments of the
   * array parameters whose contents the method's reverse sweep reads as the call left them (after
   * the receiver, for an instance method): the keys it reads from the final state. Contents it
   * reads only after restoring them from its own records ({@code a[i] = a[i] * a[i]}) are not
   * asked of the caller.
   */
  private Map<String, BitSet> contentsReadsOf(Map<String, DifferentiatedMethod> out) {
    Map<String, BitSet> reads = new HashMap<>();
    for (var e : out.entrySet()) {
      Set<String> read = finalStateReadsOf.get(e.getKey());
      MethodIR m = methods.get(e.getKey());
      if (read == null || m == null) {
        continue;
      }
      AliasClasses classes = aliases.get(e.getKey());
      int offset = m.isStatic() ? 0 : 1;
      BitSet bits = new BitSet();
      for (int i = 0; i < m.params().size(); i++) {
        Var p = m.params().get(i);
        if (!p.type().isArray() || read.contains(classes.contentsKey(p.name()))) {
          bits.set(offset + i); // (a non-array argument has no contents: the bit changes nothing)
        }
      }
      if (readsReturnedContents(m, normalized.get(e.getKey()), read, classes)) {
        bits.set(offset + m.params().size()); // see SweepBuilder#readsResultContents
      }
      reads.put(Sweep.REVERSE.of(e.getValue().callee().name()), bits);
      reads.put(Sweep.REVERSE_KEPT.of(e.getValue().callee().name()), bits);
    }
    return reads;
  }

  /**
   * Whether a method's reverse sweep reads, from the state the forward sweep ended in, the contents
   * of an array it returns (a helper whose reverse takes {@code tanh'} from its returned
   * activations does; one whose reverse reads only its arguments, {@code out[i] = sin(w[i])}, does
   * not, and its caller may then overwrite the result without restoring it). True for a method
   * that returns anything but a variable.
   */
  private static boolean readsReturnedContents(MethodIR m, ExitNormalizer.Normalized normalized, Set<String> read,
      AliasClasses classes) {
    if (!m.returnType().isArray()) {
      return false;
    }
    if (normalized == null || normalized.result() == null) {
      return true;
    }
    // the returns that became assignments of the result: its class holds what they returned
    boolean[] reads = {read.contains(classes.contentsKey(normalized.result().name()))};
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Return r && r.value() != null) {
        reads[0] |= !(r.value() instanceof Expr.Ref ref) || read.contains(classes.contentsKey(ref.var().name()));
      }
    });
    return reads[0];
  }

  /**
   * Per reverse helper name, the argument positions whose contents it reads, as learned; absent:
   * all. The position one past the parameters stands for the array the method returns (see
   * {@link #readsReturnedContents}).
   */
  private final Map<String, BitSet> learnedContentsReads = new HashMap<>();
  /**
   * Per reverse helper name, the array arguments it never reaches and the double arguments whose
   * passed value it never reads ({@link #unreadArgumentsOf}), as learned; absent: none.
   */
  private final Map<String, BitSet> learnedUnreadArguments = new HashMap<>();
  /** Per method key, the keys its planned reverse sweep reads, from its last build. */
  private final Map<String, Set<String>> reverseReadsOf = new HashMap<>();
  /** Per method key, the keys its reverse sweep reads from the state the forward sweep ended in. */
  private final Map<String, Set<String>> finalStateReadsOf = new HashMap<>();

  /** Per method key, its reverse sweep as planned (before the simplifications), for the checks of sampled calls. */
  private final Map<String, Stmt.Block> plannedReverses = new HashMap<>();
  private final Map<String, Effects> effectsOf = new HashMap<>();
  private final Map<String, RandomizedRecords> randomizedOf = new HashMap<>();
  private final SamplingChecks samplingChecks = new SamplingChecks(methods, normalized, plannedReverses, effectsOf,
      randomizedOf);

  /**
   * Rebuilds the methods whose callers need fewer of their array parameters restored than every
   * one ({@link RestoredParameters}), until no method's set changes: a method that restores less
   * may have fewer keys pending at its own calls. Each round only removes restores, and every
   * set it settles on holds each call's need, so the rounds end sound. Not for the GPU, whose
   * kernels keep the plain contract.
   */
  private void restoreOnlyWhatCallersNeed(Map<String, DifferentiatedMethod> out, Map<String, Activity> activities,
      Map<String, CalleeInfo> callees, CompileErrors.Collector errors) {
    if (forDevice) {
      return;
    }
    Map<String, MethodIR> built = new LinkedHashMap<>();
    Set<String> fixed = new HashSet<>();
    for (String key : out.keySet()) {
      built.put(key, methods.get(key));
      if (!methods.get(key).randomized().isEmpty() || !sampledOf(key).isEmpty()) {
        fixed.add(key);
      }
    }
    for (int round = 0; round < built.size() + 1; round++) {
      Map<String, Set<String>> next = RestoredParameters.of(built, aliases, pendingAtCalls, fixed);
      List<String> changed = new ArrayList<>();
      for (String key : built.keySet()) {
        if (!next.get(key).equals(restoredParams(key))) {
          changed.add(key);
        }
      }
      if (changed.isEmpty()) {
        return;
      }
      restoredParams.putAll(next);
      for (String key : changed) {
        errors.attempt(() -> out.put(key, build(key, activities.get(key), callees)));
      }
      errors.throwIfAny();
    }
  }

  /** The array parameters of the method {@code key} whose contents its reverse sweep restores. */
  private Set<String> restoredParams(String key) {
    Set<String> restored = restoredParams.get(key);
    if (restored != null) {
      return restored;
    }
    Set<String> all = new LinkedHashSet<>();
    methods.get(key).params().stream().filter(p -> p.type().isArray()).forEach(p -> all.add(p.name()));
    return all;
  }

  /** Per method key, what {@link #restoredParams} says once the callers were asked; absent: all. */
  private final Map<String, Set<String>> restoredParams = new HashMap<>();
  /** Per method key, the keys pending before each of its calls, from its last build. */
  private final Map<String, Map<Stmt, Set<String>>> pendingAtCalls = new HashMap<>();

  /**
   * The {@code double[][]} and {@code double[][][]} parameters whose contents {@code m} writes (or a
   * callee writes) and which it never assigns: their rows are taken as distinct objects, as
   * allocated matrices' are, so that element records can tell rows apart (an in-place Cholesky of
   * a caller's matrix records none of its below-diagonal elements). The public gradient methods
   * check that they are (GradClassWriter): within the subset no code makes two rows one array (row
   * stores and shallow clones are rejected), so rows shared by a caller outside are the one way,
   * and are an IllegalArgumentException there, not a wrong gradient. (Checking in every method's
   * forward sweep instead made a helper called once per row quadratic.)
   */
  private static Set<String> writtenMatrixParams(MethodIR m, Effects effects) {
    Set<String> written = effects.writes(m.body());
    Set<String> out = new HashSet<>();
    for (Var p : m.params()) {
      if (p.type().isNested() && !written.contains(p.name())
          && written.contains(effects.aliases().contentsKey(p.name()))) {
        out.add(p.name());
      }
    }
    return out;
  }

  /** Keys of the methods whose forward sweep records nothing and hands nothing over, transitively. */
  private static Set<String> silentForwards(Map<String, DifferentiatedMethod> built) {
    Map<String, String> keyOfForward = new HashMap<>();
    built.forEach((key, d) -> keyOfForward.put(Sweep.FORWARD.of(d.callee().name()), key));
    Set<String> silent = new HashSet<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (var e : built.entrySet()) {
        if (!silent.contains(e.getKey()) && e.getValue().handoff().isEmpty()
            && recordsNothing(e.getValue().forward(), keyOfForward, silent)) {
          silent.add(e.getKey());
          changed = true;
        }
      }
    }
    return silent;
  }

  private static boolean recordsNothing(Stmt.Block forward, Map<String, String> keyOfForward, Set<String> silent) {
    boolean[] records = {false};
    Statements.forEach(forward, s -> Statements.ownExpressions(s, e -> records[0] |= Exprs.any(e,
        x -> x instanceof Expr.ContextCall
            || x instanceof Expr.StaticCall c && c.owner() == Expr.Owner.GENERATED && Sweep.FORWARD.names(c.name())
                && !silent.contains(keyOfForward.get(c.name())))));
    return !records[0];
  }

  private static boolean callsAnyOf(MethodIR m, Set<String> keys) {
    boolean[] calls = {false};
    Statements.forEach(m.body(), s -> Statements.ownExpressions(s, e -> calls[0] |= Exprs.any(e,
        x -> x instanceof Expr.MethodCall c && keys.contains(c.key()))));
    return calls[0];
  }

  /**
   * See {@link SweepBuilder#freshLocals}: the {@code double[]} locals every assignment of which
   * is a new array ({@code new double[n]}, an array literal, {@code clone()}, or the result of a
   * method of the class that returns none of its parameters), alone in their alias class, so
   * that each value such a local loses to an overwrite is an array nothing else reaches.
   */
  private Set<String> freshLocals(MethodIR m, AliasClasses classes, Effects effects) {
    Set<String> fresh = new HashSet<>();
    Set<String> other = new HashSet<>();
    Statements.forEach(m.body(), s -> {
      Var v = null;
      Expr value = null;
      if (s instanceof Stmt.Declare d && d.init() != null) {
        v = d.var();
        value = d.init();
      } else if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r) {
        v = r.var();
        value = a.value();
      }
      if (v == null || v.type() != Type.DOUBLE_ARRAY) {
        return;
      }
      (effects.isNewArray(value) ? fresh : other).add(v.name());
    });
    fresh.removeAll(other);
    m.params().forEach(p -> fresh.remove(p.name()));
    fresh.removeIf(name -> !classes.isAlone(name));
    return fresh;
  }

  /** See {@link SweepBuilder#silentForwards}; empty in the first round of building. */
  private Set<String> silentForwards = Set.of();

  /** The outcome of record planning: the sweeps' builder, the reverse sweep, and what it plans. */
  private record Records(SweepBuilder builder, Stmt.Block reverse, Set<Stmt> pushes, Set<Stmt> recordedCalls,
      Set<String> needed, Set<String> pendingAtEnd, Map<Stmt, Set<String>> pendingAtCalls,
      ElementDependences dependences) {}

  /**
   * Builds the reverse sweep and plans its records, alternating until they agree: which primal
   * values the reverse sweep reads ({@code needed}) decides which overwrites push, and the pushes
   * decide where restores happen, which changes what is read.
   */
  private Records planRecords(MethodIR m, Activity activity, Plan plan, Effects effects,
      Map<String, CalleeInfo> callees, Naming naming, RandomizedRecords randomized, Set<String> readAtEntry,
      boolean elementLevel, Set<String> freshLocals, Set<String> checkedRows) {
    AliasClasses classes = effects.aliases();
    Set<Stmt> pushes = Plan.identitySetOf();
    Set<Stmt> recordedCalls = Plan.identitySetOf();
    Set<Stmt> lengthOnly = Plan.identitySetOf();
    Map<Stmt, PushPlanner.OneIteration> oneIterationOnly = new java.util.IdentityHashMap<>();
    Set<String> needed = new HashSet<>();
    DistinctRows distinctRows = DistinctRows.of(m, classes, checkedRows);
    // element-level record tests: not for the GPU, and not with sampled records (see plainContract)
    ElementDependences dependences = !forDevice && elementLevel ? ElementDependences.of(m, plan, distinctRows) : null;
    for (int round = 0; ; round++) {
      SweepBuilder builder = new SweepBuilder(activity, plan, effects, callees, naming, pushes, needed, randomized,
          freshLocals);
      builder.bulkSlices = !forDevice;
      builder.silentForwards = forDevice ? Set.of() : silentForwards;
      builder.recordedCalls = recordedCalls;
      builder.lengthOnly = lengthOnly;
      builder.oneIterationOnly = oneIterationOnly;
      builder.unreadArguments = elementLevel && !forDevice ? learnedUnreadArguments : Map.of();
      builder.learnedContentsReads = elementLevel && !forDevice ? learnedContentsReads : Map.of();
      builder.distinctRows = distinctRows;
      Stmt.Block reverse = builder.reverse(m.body());
      builder.throwAdjointErrors();
      Set<String> newNeeded = new HashSet<>();
      builder.collectReads(reverse, newNeeded);
      PushPlanner.Result planned = PushPlanner.plan(m.body(), builder.reads, builder.headerReads, effects, plan,
          readAtEntry, randomized == null ? Map.of() : randomized.spills(needed, classes), builder.primalWriters,
          dependences, builder.elementReads);
      if (newNeeded.equals(needed) && planned.pushes().equals(pushes) && planned.recordedCalls().equals(recordedCalls)
          && planned.lengthOnly().equals(lengthOnly) && sameIterations(planned.oneIterationOnly(), oneIterationOnly)) {
        return new Records(builder, reverse, pushes, recordedCalls, needed, planned.pendingAtEnd(),
            planned.pendingAtCalls(), dependences);
      }
      if (round > 50) {
        throw new IllegalStateException("record planning did not converge");
      }
      needed = newNeeded;
      pushes = planned.pushes();
      recordedCalls = planned.recordedCalls();
      lengthOnly = planned.lengthOnly();
      oneIterationOnly = planned.oneIterationOnly();
    }
  }

  /** Whether two plans record the same statements in the same one iteration (identical statements, equal iterations). */
  private static boolean sameIterations(Map<Stmt, PushPlanner.OneIteration> a, Map<Stmt, PushPlanner.OneIteration> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (var e : a.entrySet()) {
      if (!e.getValue().equals(b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The candidates of {@link Plan#lateCandidates} worth recomputing in the reverse of their last
   * reader: the declaration is recorded now (one push per run of its block), and every overwrite
   * that may follow its reader of an array it reads is recorded already, so reading that array
   * in the reverse sweep adds no record (a restore of the element re-establishes it). The scalars
   * it reads must be re-derived for free: counted loop indices, declarations the reverse recomputes,
   * parameters never assigned, scalars whose later overwrites are recorded. No {@code @Randomize}
   * spill may come between the declaration and the reader. Where the overwrites not recorded yet
   * are element writes of the declaration's own block, a group of declarations that need them is
   * recomputed when it saves more records than those writes then take (all run as often): {@code
   * double a = d[j - 1]; double b = d[j]; d[j] = f(a, b);} records the old d[j] instead of a and b.
   * Element writes elsewhere count by the loops they run in of their own (below the loops around
   * both): in fewer than the declaration, they run once where it runs a loop's iterations, and
   * are recorded for the group without counting against it (the boundary copies after a stencil's
   * cell loop, {@code w[0] = u[0];} or a loop over a boundary row after a loop nest over the
   * cells, that {@code double p = u[j]; double lap = ...} need recorded); in as many, they count
   * as writes of its block; in more, the declaration stays recorded.
   */
  private Set<Stmt.Declare> lateRecomputations(MethodIR m, Plan plan, Records records, Effects effects,
      RandomizedRecords randomized, AliasClasses classes) {
    Set<Stmt.Declare> late = Plan.identitySetOf();
    if (plan.lateCandidates().isEmpty()) {
      return late;
    }
    Set<String> free = new HashSet<>();
    Set<String> assigned = effects.writes(m.body());
    for (Var p : m.params()) {
      if (!assigned.contains(p.name())) {
        free.add(p.name());
      }
    }
    for (Stmt s : m.body().stmts()) {
      // an array local declared once, outside every loop, and never assigned again: the same
      // array from its declaration to the end of the reverse sweep (a table filled cell by cell)
      if (s instanceof Stmt.Declare d && d.var().type().isArray() && !plan.isReassigned(d.var())) {
        free.add(d.var().name());
      }
    }
    // an integer counter whose every update the reverse sweep can undo (j++ in a while loop, k +=
    // d): undone wherever a recomputation reads it (the planner then marks its updates)
    Set<String> undoneCounters = new HashSet<>();
    Set<String> keptCounters = new HashSet<>();
    Statements.forEach(m.body(), s -> {
      Var counter = s instanceof Stmt.Step st ? st.var()
          : s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r ? r.var() : null;
      if (counter != null && counter.type().isIntegral()) {
        (org.rad.processor.analysis.Inversions.inverse(s) != null ? undoneCounters : keptCounters).add(counter.name());
      }
    });
    undoneCounters.removeAll(keptCounters);
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.For f && plan.countedLoop(f) != null) {
        free.add(plan.countedLoop(f).index().name());
      }
      if (s instanceof Stmt.Declare d && plan.isRecomputable(d)) {
        free.add(d.var().name());
      }
    });
    Set<Stmt> spillPoints = Plan.identitySetOf();
    if (randomized != null) {
      spillPoints.addAll(randomized.spills(records.needed(), classes).keySet());
    }
    List<Stmt> order = new ArrayList<>();
    Map<Stmt, List<Stmt>> loops = new java.util.IdentityHashMap<>();
    enclosingLoops(m.body(), new ArrayList<>(), order, loops);
    // the element writes each candidate would need recorded that run as often as it (in as many
    // loops of their own: its block's, or a sibling loop's)
    Map<Stmt.Declare, Set<Stmt>> needs = new java.util.IdentityHashMap<>();
    // and those in fewer loops of their own, that run once for all the runs of such a loop
    Map<Stmt.Declare, Set<Stmt>> outerNeeds = new java.util.IdentityHashMap<>();
    plan.lateCandidates().forEach((d, reader) -> {
      if (!records.pushes().contains(d) || spillsBetween(m.body(), d, reader, spillPoints)) {
        return;
      }
      Set<Stmt> unrecorded = Plan.identitySetOf();
      Set<Stmt> outer = Plan.identitySetOf();
      // (a counter is back only where the planner sees the recomputation read it: at a reader
      // that is a statement of its own, not a loop or a branch, whose reads stand for its body's)
      boolean simpleReader = !(reader instanceof Stmt.For || reader instanceof Stmt.While || reader instanceof Stmt.If
          || reader instanceof Stmt.Block);
      for (String key : effects.reads(d.init())) {
        boolean contents = key.startsWith("#");
        if (!contents && restoresFirst(reader, key, records)) {
          // (the reader overwrites the scalar and restores it before its partials read: whatever
          // comes after, the scalar is back as d read it, xi of a Newton loop reset per element)
          continue;
        }
        if (contents || !free.contains(key) && !(simpleReader && undoneCounters.contains(key))) {
          // contents, or a scalar assigned (Newton's x, read by f = x * x * x + p * x - q): the
          // reverse sweep finds what d read where every overwrite that may follow the reader is
          // undone already (the reader's own included: its reverse restores before it reads)
          ReaderPlace place = ReaderPlace.of(reader, order, loops);
          for (Stmt w : order) {
            // (a scalar's overwrite is undone only by its own record: a call restores arrays)
            boolean undone = contents ? recorded(w, records) : records.pushes().contains(w);
            if (place.mayBeFollowedBy(w, order, loops) && effects.writes(w).contains(key) && !undone
                && !missesWhatItReads(w, d, key, effects, records.dependences())) {
              if (!contents || !(w instanceof Stmt.Assign a && a.target() instanceof Expr.Index)) {
                return;
              }
              // (a write of d's own block runs in d's loops: as many of its own, none)
              int depth = loopsBelowCommon(w, d, loops);
              int own = loopsBelowCommon(d, w, loops);
              if (depth < own) {
                outer.add(w); // (in fewer loops of their own: once where d runs a loop's iterations)
              } else if (depth == own) {
                unrecorded.add(w); // (as often as d, if the loops run alike: counted as a write of its block)
              } else {
                return;
              }
            }
          }
        }
      }
      if (unrecorded.isEmpty() && outer.isEmpty()) {
        late.add(d);
      } else {
        needs.put(d, unrecorded);
        outerNeeds.put(d, outer);
      }
    });
    // groups of candidates that need writes in common: worth it where they outnumber the writes
    List<Stmt.Declare> pending = new ArrayList<>(needs.keySet());
    while (!pending.isEmpty()) {
      Set<Stmt.Declare> group = Plan.identitySetOf();
      Set<Stmt> writes = Plan.identitySetOf();
      Set<Stmt> outerWrites = Plan.identitySetOf();
      Stmt.Declare first = pending.remove(0);
      group.add(first);
      writes.addAll(needs.get(first));
      outerWrites.addAll(outerNeeds.get(first));
      for (boolean grew = true; grew; ) {
        grew = false;
        for (java.util.Iterator<Stmt.Declare> it = pending.iterator(); it.hasNext(); ) {
          Stmt.Declare d = it.next();
          if (!java.util.Collections.disjoint(needs.get(d), writes)
              || !java.util.Collections.disjoint(outerNeeds.get(d), outerWrites)) {
            group.add(d);
            writes.addAll(needs.get(d));
            outerWrites.addAll(outerNeeds.get(d));
            it.remove();
            grew = true;
          }
        }
      }
      // (the writes in fewer loops are not counted: they run once where the group runs a loop's
      // iterations, so a loop of two iterations or more pays for them)
      if (group.size() > writes.size()) {
        late.addAll(group);
      }
    }
    return late;
  }

  /**
   * How many loops around {@code s} do not also enclose {@code other}: the loops {@code s} runs in
   * of its own, below the loops around both.
   */
  private static int loopsBelowCommon(Stmt s, Stmt other, Map<Stmt, List<Stmt>> loops) {
    List<Stmt> aroundS = loops.getOrDefault(s, List.of());
    List<Stmt> aroundOther = loops.getOrDefault(other, List.of());
    int common = 0;
    while (common < aroundS.size() && common < aroundOther.size() && aroundS.get(common) == aroundOther.get(common)) {
      common++;
    }
    return aroundS.size() - common;
  }

  /** Whether {@code reader} assigns the scalar {@code key} and records it, so that its reverse restores it first. */
  private static boolean restoresFirst(Stmt reader, String key, Records records) {
    return reader instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.var().name().equals(key)
        && records.pushes().contains(reader);
  }

  /**
   * Whether a {@code @Randomize} spill (an array recorded whole after a statement, restored
   * before that statement's reverse) happens from {@code d} up to its last reader: its restore
   * would come after the reader's reverse, which recomputes {@code d} from the array.
   */
  private static boolean spillsBetween(Stmt.Block body, Stmt.Declare d, Stmt reader, Set<Stmt> spillPoints) {
    if (spillPoints.isEmpty()) {
      return false;
    }
    boolean[] found = {false};
    Statements.forEach(body, s -> {
      if (s instanceof Stmt.Block b) {
        int from = -1;
        for (int k = 0; k < b.stmts().size(); k++) {
          if (b.stmts().get(k) == d) {
            from = k;
          }
          if (from >= 0 && b.stmts().get(k) == reader) {
            for (Stmt between : b.stmts().subList(from, k)) {
              Statements.forEach(between, x -> found[0] |= spillPoints.contains(x));
            }
          }
        }
      }
    });
    return found[0];
  }

  /**
   * Whether the element write {@code w} provably never overwrites, in any execution after one of
   * {@code d}, an element of {@code key} that {@code d}'s initializer read there: a table filled
   * cell by cell ({@code double a = r[i - 1][j] + x; r[i][j] = a * a;}) writes cells the
   * declaration read only before it (ElementDependences#noEarlierRead), so the reverse sweep finds
   * them as the declaration read them and recomputes it.
   */
  private static boolean missesWhatItReads(Stmt w, Stmt.Declare d, String key, Effects effects, ElementDependences deps) {
    if (deps == null || !(w instanceof Stmt.Assign a) || !(a.target() instanceof Expr.Index target)) {
      return false;
    }
    ElementDependences.Reads reads = new ElementDependences.Reads(new HashMap<>(), new HashSet<>());
    effects.reads(d.init(), new HashSet<>(), reads);
    List<Expr.Index> elements = reads.elements().get(key);
    if (reads.whole().contains(key) || elements == null) {
      return false;
    }
    ElementDependences.Access write = ElementDependences.Access.of(target);
    for (Expr.Index ix : elements) {
      if (!deps.noEarlierRead(w, write, d, ElementDependences.Access.of(ix))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the overwrites {@code w} makes are undone in the reverse sweep. */
  private static boolean recorded(Stmt w, Records records) {
    if (records.pushes().contains(w) || records.recordedCalls().contains(w)) {
      return true;
    }
    // a differentiated call's reverse restores what its callee overwrote
    return !records.builder().primalWriters.contains(w) && (w instanceof Stmt.Call
        || w instanceof Stmt.Declare d && d.init() instanceof Expr.MethodCall
        || w instanceof Stmt.Assign a && a.value() instanceof Expr.MethodCall);
  }

  /** Simple statements in program order, each with the loops that enclose it (outermost first). */
  private static void enclosingLoops(Stmt s, List<Stmt> enclosing, List<Stmt> order, Map<Stmt, List<Stmt>> loops) {
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(x -> enclosingLoops(x, enclosing, order, loops));
    } else if (s instanceof Stmt.If i) {
      enclosingLoops(i.whenTrue(), enclosing, order, loops);
      if (i.whenFalse() != null) {
        enclosingLoops(i.whenFalse(), enclosing, order, loops);
      }
    } else if (s instanceof Stmt.For || s instanceof Stmt.While) {
      List<Stmt> inner = new ArrayList<>(enclosing);
      inner.add(s);
      if (s instanceof Stmt.For f) {
        f.init().forEach(x -> enclosingLoops(x, enclosing, order, loops));
        enclosingLoops(f.body(), inner, order, loops);
        f.update().forEach(x -> enclosingLoops(x, inner, order, loops));
      } else {
        enclosingLoops(((Stmt.While) s).body(), inner, order, loops);
      }
    } else {
      order.add(s);
      loops.put(s, enclosing);
    }
  }

  /**
   * Where a reader stands among the simple statements in program order: the position of its last
   * simple statement, and the loops around it.
   */
  private record ReaderPlace(int last, List<Stmt> around) {
    static ReaderPlace of(Stmt reader, List<Stmt> order, Map<Stmt, List<Stmt>> loops) {
      List<Stmt> inReader = new ArrayList<>();
      enclosingLoops(reader, List.of(), inReader, new java.util.IdentityHashMap<>());
      int last = -1;
      for (Stmt r : inReader) {
        last = Math.max(last, indexOf(order, r));
      }
      List<Stmt> around = loops.get(inReader.isEmpty() ? reader : inReader.get(0));
      return new ReaderPlace(last, around == null ? List.of() : around);
    }

    /** Whether simple statement {@code w} may run after the reader: later in the program, or in a loop around both. */
    boolean mayBeFollowedBy(Stmt w, List<Stmt> order, Map<Stmt, List<Stmt>> loops) {
      if (indexOf(order, w) > last) {
        return true;
      }
      for (Stmt loop : loops.getOrDefault(w, List.of())) {
        if (around.stream().anyMatch(l -> l == loop)) {
          return true;
        }
      }
      return false;
    }
  }

  private static int indexOf(List<Stmt> order, Stmt s) {
    for (int k = 0; k < order.size(); k++) {
      if (order.get(k) == s) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The intermediates a loop-free method without calls keeps when a caller's reverse sweep
   * recomputes its result: its top-level double declarations that its own reverse recomputes (a
   * source term's sin and cos factors), each computed exactly once per call.
   */
  private List<Var> keptIntermediates(String key) {
    MethodIR m = methods.get(key);
    MethodSummary s = summaries.get(key);
    boolean[] calls = {false};
    Statements.forEach(m.body(), st -> Statements.ownExpressions(st,
        e -> calls[0] |= Exprs.any(e, x -> x instanceof Expr.MethodCall)));
    if (forDevice || s == null || !s.loopFree() || calls[0] || !m.randomized().isEmpty()) {
      return List.of();
    }
    Plan plan = Plan.of(m, new Effects(aliases.get(key), summaries, Map.of()), summaries);
    List<Var> kept = new ArrayList<>();
    for (Stmt st : m.body().stmts()) {
      if (st instanceof Stmt.Declare d && d.var().type() == Type.DOUBLE && plan.isRecomputable(d)) {
        kept.add(d.var());
      }
    }
    return kept;
  }

  private Set<String> writtenParams(String key) {
    Set<String> written = new HashSet<>();
    MethodIR m = methods.get(key);
    MethodSummary s = summaries.get(key);
    for (int i = 0; i < m.params().size(); i++) {
      if (s.writesParam(i)) {
        written.add(m.params().get(i).name());
      }
    }
    return written;
  }

  /** Whether {@code key} and every method it calls, transitively, were built. */
  private boolean calleesBuilt(String key, Map<String, DifferentiatedMethod> out, Set<String> seen) {
    if (!seen.add(key)) {
      return true;
    }
    if (!out.containsKey(key) && !custom.containsKey(key)) {
      return false;
    }
    MethodIR m = methods.get(key);
    return m == null || calls(m).stream().allMatch(c -> calleesBuilt(c.key(), out, seen));
  }

  private List<String> topologicalOrder() {
    return CallGraph.topologicalOrder(methods, custom.keySet());
  }

  private static List<Expr.MethodCall> calls(MethodIR m) {
    return CallGraph.calls(m);
  }

  /**
   * Sample decisions are keyed by record site and loop indices, so two calls of one method would
   * draw the same sample for their records, and a product of the two would be biased: @Randomize
   * is accepted only in methods no other differentiated method calls.
   */
  private void rejectRandomizeInCallees() {
    List<CompileError> errors = CallGraph.randomizedCallees(methods);
    if (!errors.isEmpty()) {
      throw new CompileErrors(errors);
    }
  }

  /** Summarizes the method {@code key}; the checks of its writes report into {@code errors}. */
  private void summarize(String key, CompileErrors.Collector errors) {
    MethodIR m = methods.get(key);
    List<List<String>> same = sameParams.getOrDefault(key, List.of());
    AliasClasses classes = AliasClasses.of(m, summaries, same);
    MethodIR checked = m;
    AliasClasses checkedClasses = classes;
    errors.attempt(() -> WriteChecks.check(checked, checkedClasses, summaries));
    MethodIR versioned = AliasedCalls.version(m, classes, summaries, unversioned::get, this::sameArrays);
    if (versioned != m) {
      m = versioned;
      methods.put(key, m);
      normalized.put(key, new ExitNormalizer.Normalized(m, normalized.get(key).result()));
      classes = AliasClasses.of(m, summaries, same);
    }
    aliases.put(key, classes);
    Effects effects = new Effects(classes, summaries, Map.of());
    Set<String> writes = effects.writes(m.body());
    BitSet writesParam = new BitSet();
    BitSet returnsParam = new BitSet();
    Var result = normalized.get(key).result();
    for (int i = 0; i < m.params().size(); i++) {
      Var p = m.params().get(i);
      if (p.type().isArray()) {
        if (writes.contains(classes.contentsKey(p.name()))) {
          writesParam.set(i);
        }
        if (result != null && result.type().isArray() && classes.sameClass(result.name(), p.name())) {
          returnsParam.set(i);
        }
      }
    }
    boolean[] loopFree = {true};
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.For || s instanceof Stmt.While) {
        loopFree[0] = false;
      }
    });
    for (Expr.MethodCall call : calls(m)) {
      MethodSummary callee = summaries.get(call.key());
      loopFree[0] &= callee != null && callee.loopFree();
    }
    java.util.Set<String> returnsFields = result != null && result.type().isArray() ? classes.fields(result.name())
        : java.util.Set.of();
    summaries.put(key, new MethodSummary(writesParam, returnsParam, loopFree[0], returnsFields,
        overwrittenParams(m, effects, classes)));
  }

  /**
   * The array parameters {@code m} overwrites whole on every path: by a statement of its own block
   * that is a loop overwriting the parameter's every element ({@link Plan#overwritesWhole}), or a
   * call of a method that overwrites the argument so; the parameter never assigned.
   */
  private BitSet overwrittenParams(MethodIR m, Effects effects, AliasClasses classes) {
    BitSet out = new BitSet();
    Set<String> written = effects.writes(m.body());
    Plan plan = null;
    for (int i = 0; i < m.params().size(); i++) {
      Var p = m.params().get(i);
      if (!p.type().isArray() || written.contains(p.name()) || !classes.isAlone(p.name())) {
        continue;
      }
      String contents = classes.contentsKey(p.name());
      for (Stmt s : m.body().stmts()) {
        if (s instanceof Stmt.For f) {
          plan = plan != null ? plan : Plan.of(m, effects, summaries);
          // (up to the parameter's length: a bound every write of the method stays below is not
          // the array's end, as its caller sees it)
          Plan.CountedLoop counted = plan.countedLoop(f);
          if (plan.overwritesWhole(f).contains(contents) && counted != null && plan.isLengthOf(counted.bound(), p)) {
            out.set(i);
          }
        } else if (Statements.directCall(s) instanceof Expr.MethodCall c && summaries.get(c.key()) != null) {
          MethodSummary callee = summaries.get(c.key());
          for (int k = 0; k < c.args().size(); k++) {
            if (c.args().get(k) instanceof Expr.Ref r && r.var().equals(p) && callee.overwritesParam(k)) {
              out.set(i);
            }
          }
        }
      }
    }
    return out;
  }

  /** For the variants made by {@link #sameArrays}: the groups of parameters that may be one array. */
  private final Map<String, List<List<String>>> sameParams = new HashMap<>();
  /** The bodies of the methods as the user wrote them, before their calls were versioned. */
  private final Map<String, MethodIR> unversioned = new HashMap<>();
  /** The variants made by {@link #sameArrays}, in the order they were made. */
  private final List<String> aliasVariants = new ArrayList<>();

  /**
   * The call of the variant of {@code call}'s callee whose parameters at the argument indices of
   * each group may be one array (made and summarized on first use; callees are summarized before
   * their callers, so the variant's own calls are versioned in turn).
   */
  private Expr.MethodCall sameArrays(Expr.MethodCall call, List<List<Integer>> groups) {
    MethodIR callee = unversioned.get(call.key());
    StringBuilder suffix = new StringBuilder();
    List<List<String>> names = new ArrayList<>();
    for (List<Integer> g : groups) {
      List<String> group = new ArrayList<>();
      suffix.append("Same");
      for (int i : g) {
        String p = callee.params().get(i).name();
        group.add(p);
        suffix.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1));
      }
      names.add(group);
    }
    String variant = call.key() + "#" + suffix;
    if (!methods.containsKey(variant)) {
      Set<String> used = new HashSet<>(baseNames.values());
      methods.values().forEach(m -> used.add(m.name()));
      String base = baseNames.get(call.key()) + suffix;
      for (int n = 2; used.contains(base); n++) {
        base = baseNames.get(call.key()) + suffix + n;
      }
      MethodIR m = new MethodIR(callee.name(), callee.isStatic(), callee.params(), callee.returnType(), callee.body(),
          callee.locals(), List.of(), false, callee.origin(), callee.randomized());
      methods.put(variant, m);
      unversioned.put(variant, m);
      normalized.put(variant, new ExitNormalizer.Normalized(m, normalized.get(call.key()).result()));
      baseNames.put(variant, base);
      sameParams.put(variant, names);
      aliasVariants.add(variant);
      summarize(variant, writeErrors);
    }
    return new Expr.MethodCall(baseNames.get(variant), variant, call.receiver(), call.args(), call.type(), call.origin());
  }

  /** The errors of the write checks, collected over all methods (and the variants made on the way). */
  private final CompileErrors.Collector writeErrors = new CompileErrors.Collector();

  /**
   * The contents keys, by method, of the arrays whose values its reverse sweep may see as a sample
   * restored by a caller: a {@code @Randomize} array of the method itself, or an array parameter
   * that receives one at some call.
   */
  private final Map<String, Set<String>> sampledContents = new HashMap<>();

  /**
   * A callee's reverse sweep runs after the caller restored its sampled arrays, so an array it
   * gets from one holds a sample there: its plan must then not re-derive branch decisions or
   * loop bounds from it (they stay exact, recorded in the forward sweep). Called callers first.
   */
  private void propagateSampledArguments(String key, MethodIR m) {
    AliasClasses classes = aliases.get(key);
    Set<String> mine = new HashSet<>(sampledOf(key));
    for (String name : m.randomized().keySet()) {
      mine.add(classes.contentsKey(name));
    }
    if (mine.isEmpty()) {
      return;
    }
    for (Expr.MethodCall call : calls(m)) {
      MethodIR callee = methods.get(call.key());
      if (callee == null) {
        continue;
      }
      for (int i = 0; i < call.args().size(); i++) {
        Expr arg = call.args().get(i);
        String root = Statements.rootVar(arg);
        if (arg.type().isArray() && root != null && mine.contains(classes.contentsKey(root))) {
          AliasClasses calleeClasses = aliases.get(call.key());
          sampledContents.computeIfAbsent(call.key(), k -> new HashSet<>())
              .add(calleeClasses.contentsKey(callee.params().get(i).name()));
        } else if (!arg.type().isArray() && Exprs.any(arg, x -> x instanceof Expr.Ref r
            && (mine.contains(r.var().name()) || r.type().isArray() && mine.contains(classes.contentsKey(r.var().name()))))) {
          // a number read from a sample in the caller's reverse, when it re-evaluates the argument
          sampledContents.computeIfAbsent(call.key(), k -> new HashSet<>()).add(callee.params().get(i).name());
        }
      }
    }
  }

  /**
   * Contents keys of the arrays of {@code m} that a differentiated helper it calls writes into
   * (its reverse restores their elements in place) or refers to from another of its variables
   * (its tape keeps the reference, and its reverse reads that object): a whole-array record,
   * whose restore is a new array, would hide the object from the helper. An EJML operation only
   * fills its output, which its rule does not restore.
   */
  private Set<String> heldByHelpers(MethodIR m, AliasClasses classes, Effects effects) {
    Set<String> held = new HashSet<>();
    Statements.forEach(m.body(), st -> {
      if (!(Statements.directCall(st) instanceof Expr.MethodCall call) || custom.containsKey(call.key())) {
        return;
      }
      held.addAll(effects.writes(st));
      // an array the call returns and the caller then writes into: the callee's reverse sweep
      // reads it through the reference its own tape keeps (res = ctx.popRef()), so a whole record
      // of the caller's, restored as a new array, would leave the callee reading the caller's
      // later values (found by the fuzzer, seed 2028, program 3347: a wrong gradient). (One the
      // caller only reads, an MLP's activations, the callee reads as it left it.)
      Var target = st instanceof Stmt.Declare d ? d.var()
          : st instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r ? r.var() : null;
      if (target != null && target.type().isArray() && call.type().isArray()
          && writtenBesides(m, st, classes.contentsKey(target.name()), effects)) {
        held.add(classes.contentsKey(target.name()));
      }
      AliasClasses calleeClasses = aliases.get(call.key());
      MethodIR callee = methods.get(call.key());
      for (int i = 0; i < call.args().size() && callee != null && calleeClasses != null; i++) {
        String root = Statements.rootVar(call.args().get(i));
        if (call.args().get(i).type().isArray() && root != null
            && keepsReference(callee, calleeClasses, callee.params().get(i).name())) {
          held.add(classes.contentsKey(root));
        }
      }
    });
    return held;
  }

  /** Whether a statement of {@code m} other than {@code call} (and the blocks around it) writes {@code contents}. */
  private static boolean writtenBesides(MethodIR m, Stmt call, String contents, Effects effects) {
    boolean[] written = {false};
    Statements.forEach(m.body(), s -> {
      boolean compound = s instanceof Stmt.Block || s instanceof Stmt.If || s instanceof Stmt.For || s instanceof Stmt.While;
      written[0] |= s != call && !compound && effects.writes(s).contains(contents);
    });
    return written[0];
  }

  /**
   * Whether {@code m} may refer to its parameter {@code param}'s array from another variable whose
   * value its tape keeps: a reference assignment into the parameter's alias class, or a local
   * declared from it that is not a row reference (row references are re-derived from the
   * parameter in the reverse sweep, never taped).
   */
  private static boolean keepsReference(MethodIR m, AliasClasses classes, String param) {
    boolean[] keeps = {false};
    Statements.forEach(m.body(), s -> {
      Var v = s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r ? r.var()
          : s instanceof Stmt.Declare d && !Plan.isRowReference(d) ? d.var() : null;
      keeps[0] |= v != null && v.type().isArray() && classes.sameClass(v.name(), param);
    });
    return keeps[0];
  }

  /**
   * {@link #sampledContents} of {@code key}, and of the method it is a copy of ({@code f#fConstX}):
   * callers are marked before their calls are redirected to copies.
   */
  private Set<String> sampledOf(String key) {
    Set<String> out = new HashSet<>(sampledContents.getOrDefault(key, Set.of()));
    int copy = key.indexOf('#');
    if (copy >= 0) {
      out.addAll(sampledContents.getOrDefault(key.substring(0, copy), Set.of()));
    }
    return out;
  }

  /** An active call site of a method: the caller, the call, and which parameters get varied arguments. */
  private record Site(String caller, Expr.MethodCall call) {}

  /**
   * What an active call site needs of its callee: which parameters get varied arguments, and
   * whether the result reaches anything active (a call may carry derivatives only through the
   * arrays it writes, its result unused).
   */
  private record Use(Set<String> active, boolean resultUsed) {}

  /** Active call sites of each method that is not an entry, by what they need of it. */
  private final Map<String, Map<Use, List<Site>>> sites = new LinkedHashMap<>();
  /**
   * Methods (or specialized copies) whose result reaches nothing active at any of their call
   * sites: their result seeds no adjoint, so a value that overflows to Infinity there, multiplied
   * by the zero adjoint its caller would pass, cannot turn the gradient into NaN.
   */
  private final Set<String> resultUnused = new HashSet<>();
  /** The specialized copies made of each method, by the original's key. */
  private final Map<String, List<String>> variants = new LinkedHashMap<>();

  /**
   * Parameters of callees that receive varied arguments at an active call site become active. For
   * an entry the union over its call sites is taken; other callees are specialized per set of
   * active parameters when they are reached (see {@link #specialize}).
   */
  private void propagateToCallees(String callerKey, MethodIR m, Activity a) {
    // calls in statements of their own, with the variable their result goes to (null: dropped)
    Map<Expr.MethodCall, Var> ownStatement = new java.util.IdentityHashMap<>();
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Declare d && d.init() instanceof Expr.MethodCall c) {
        ownStatement.put(c, d.var());
      } else if (s instanceof Stmt.Call c) {
        ownStatement.put((Expr.MethodCall) c.call(), null);
      }
    });
    for (Expr.MethodCall call : calls(m)) {
      boolean carries = ownStatement.containsKey(call) ? a.isActiveCall(call, ownStatement.get(call)) : a.isActiveCall(call);
      if (!carries) {
        continue;
      }
      if (custom.containsKey(call.key())) {
        continue; // every differentiable parameter of a custom adjoint is active
      }
      MethodIR callee = methods.get(call.key());
      Set<String> active = new LinkedHashSet<>();
      for (int i = 0; i < call.args().size(); i++) {
        Var p = callee.params().get(i);
        if (p.type().isDifferentiable() && variedArgument(a, call.args().get(i))) {
          active.add(p.name());
        }
      }
      if (callee.entry()) {
        activeParams.computeIfAbsent(call.key(), k -> new LinkedHashSet<>()).addAll(active);
      } else {
        Var result = ownStatement.get(call);
        boolean resultUsed = !ownStatement.containsKey(call) || !call.type().isDifferentiable()
            || result != null && a.isActive(result);
        sites.computeIfAbsent(call.key(), k -> new LinkedHashMap<>())
            .computeIfAbsent(new Use(Set.copyOf(active), resultUsed), k -> new ArrayList<>()).add(new Site(callerKey, call));
      }
    }
  }

  /**
   * Called when {@code key} is reached in callers-first order, so all its call sites are known.
   * If they differ in which parameters carry derivatives (a layer called on the data and on
   * hidden activations), or in whether they use its result, the sites with the most active
   * parameters (and a used result) keep the method, and every other use gets a copy of it
   * differentiated for that use alone, so that no site pays for adjoints it does not need. Returns
   * the keys of the copies, to be processed right after {@code key}.
   */
  private List<String> specialize(String key, Map<String, String> baseNames) {
    Map<Use, List<Site>> bySet = sites.getOrDefault(key, Map.of());
    if (bySet.isEmpty()) {
      return List.of();
    }
    Use main = null;
    for (Use use : bySet.keySet()) {
      if (main == null || use.active().size() > main.active().size()
          || use.active().size() == main.active().size() && use.resultUsed() && !main.resultUsed()) {
        main = use;
      }
    }
    activeParams.computeIfAbsent(key, k -> new LinkedHashSet<>()).addAll(main.active());
    if (!main.resultUsed()) {
      resultUnused.add(key);
    }
    List<String> made = new ArrayList<>();
    Set<String> usedNames = new HashSet<>(baseNames.values());
    methods.values().forEach(m -> usedNames.add(m.name()));
    for (var e : bySet.entrySet()) {
      if (e.getKey().equals(main)) {
        continue;
      }
      MethodIR m = methods.get(key);
      StringBuilder name = new StringBuilder(baseNames.get(key));
      for (Var p : m.params()) {
        if (p.type().isDifferentiable() && !e.getKey().active().contains(p.name())) {
          name.append("Const").append(Character.toUpperCase(p.name().charAt(0))).append(p.name().substring(1));
        }
      }
      if (!e.getKey().resultUsed()) {
        name.append("ResultUnused");
      }
      String base = name.toString();
      for (int n = 2; usedNames.contains(base); n++) {
        base = name.toString() + n;
      }
      usedNames.add(base);
      String variant = key + "#" + base;
      methods.put(variant, m);
      normalized.put(variant, normalized.get(key));
      summaries.put(variant, summaries.get(key));
      aliases.put(variant, aliases.get(key));
      baseNames.put(variant, base);
      activeParams.put(variant, new LinkedHashSet<>(e.getKey().active()));
      if (!e.getKey().resultUsed()) {
        resultUnused.add(variant);
      }
      // its callees are specialized for its own call sites
      for (Site s : e.getValue()) {
        redirect(s, variant, base);
      }
      made.add(variant);
    }
    if (!made.isEmpty()) {
      variants.put(key, made);
    }
    return made;
  }

  /** Makes the call of {@code site} call the specialized copy {@code variant}. */
  private void redirect(Site site, String variant, String base) {
    Expr.MethodCall old = site.call();
    Expr.MethodCall now = new Expr.MethodCall(base, variant, old.receiver(), old.args(), old.type(), old.origin());
    MethodIR caller = methods.get(site.caller());
    MethodIR redirected = caller.withBody(Statements.mapExpressions(caller.body(), e -> e.equals(old) ? now : e), caller.locals());
    methods.put(site.caller(), redirected);
    ExitNormalizer.Normalized n = normalized.get(site.caller());
    normalized.put(site.caller(), new ExitNormalizer.Normalized(redirected, n.result()));
  }

  private static boolean variedArgument(Activity a, Expr arg) {
    return Exprs.any(arg, x -> x instanceof Expr.Ref r && a.isVaried(r.var())
        || x instanceof Expr.Index ix && ix.type().isDifferentiable() && rootVaried(a, ix));
  }

  private static boolean rootVaried(Activity a, Expr.Index ix) {
    Expr e = ix;
    while (e instanceof Expr.Index i) {
      e = i.array();
    }
    return e instanceof Expr.Ref r && a.isVaried(r.var());
  }

  private static BitSet reads(org.rad.processor.ir.CustomAdjointMethod c) {
    BitSet reads = new BitSet();
    c.reads().forEach(reads::set);
    return reads;
  }

  /**
   * The reverse helpers of the EJML rules, with the arguments whose contents their adjoints read,
   * and, when {@code learned}, those of the differentiated methods ({@link #learnContentsReads}).
   */
  private Map<String, BitSet> reverseContentsReads(boolean learned) {
    Map<String, BitSet> out = new HashMap<>();
    for (var e : custom.entrySet()) {
      if (e.getValue().isRule()) {
        out.put(Sweep.REVERSE.of(customBaseNames.get(e.getKey())), reads(e.getValue()));
      }
    }
    if (learned) {
      out.putAll(learnedContentsReads);
    }
    return out;
  }

  private DifferentiatedMethod build(String key, Activity activity, Map<String, CalleeInfo> callees) {
    MethodIR m = methods.get(key);
    Var result = normalized.get(key).result();
    AliasClasses classes = aliases.get(key);
    List<Var> all = new ArrayList<>(m.params());
    all.addAll(m.locals());
    Naming naming = new Naming(new Names(all));
    boolean learned = !plainContract(key); // learned contents reads and element-level records
    Effects effects = new Effects(classes, summaries, naming.shadowToPrimal(), reverseContentsReads(learned));
    RandomizedRecords randomized = m.randomized().isEmpty() ? null : new RandomizedRecords(m, classes, () -> nextSite++);
    if (randomized != null) {
      randomized.planSpills(m, classes, heldByHelpers(m, classes, effects));
    }
    Set<String> sampled = new HashSet<>(randomized == null ? Set.of() : randomized.sampledKeys());
    sampled.addAll(sampledOf(key));
    Plan firstPlan = Plan.of(m, effects, summaries, sampled);
    Plan plan = firstPlan;
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Declare d && Plan.isRowReference(d) && !firstPlan.isReassigned(d.var())) {
        naming.deriveAdjoint(d.var().name());
      }
    });
    // a copy whose result no caller uses gets no adjoint for it (callers pass null): the array it
    // returns then keeps an adjoint of its own, of zeros, instead of aliasing the caller's
    Var alias = resultUnused.contains(key) ? null : resultAlias(m, result, classes);
    if (alias != null && activity.isActive(alias)) {
      naming.resultAlias(alias);
    }
    Set<String> freshLocals = forDevice || randomized != null ? Set.of() : freshLocals(m, classes, effects);
    freshLocals.forEach(naming::sizeAdjoint);
    if (learned && !forDevice) {
      // an array parameter never assigned has the caller's adjoint, never one looked up by its
      // array: reading the adjoint reads nothing of the parameter (see unreadArgumentsOf)
      Set<String> assignedHere = effects.writes(m.body());
      for (Var p : m.params()) {
        if (p.type().isArray() && !assignedHere.contains(p.name())) {
          naming.deriveAdjoint(p.name());
        }
      }
    }
    // adjoints of every active variable, created up front so their names are stable
    for (Var v : all) {
      if (activity.isActive(v)) {
        naming.adjoint(v);
      }
    }
    Var resultAdjoint = result != null && result.type().isDifferentiable() ? naming.adjoint(result) : null;
    // the contents of the array parameters that callers read after the call's reverse sweep
    Set<String> readAtEntry = new HashSet<>();
    for (String p : restoredParams(key)) {
      readAtEntry.add(classes.contentsKey(p));
    }
    // element-level records also with @Randomize (a record they drop leaves the reverse sweep an
    // exact value, which is unbiased), but not in a class with a GPU path, whose CPU code takes
    // the records its kernels take (the CPU code of such a class hands adjoints back through the
    // context: !returnAdjoints)
    boolean elementLevel = learned || returnAdjoints;
    Set<String> checkedRows = !forDevice && elementLevel ? writtenMatrixParams(m, effects) : Set.of();
    Records records = planRecords(m, activity, plan, effects, callees, naming, randomized, readAtEntry,
        elementLevel, freshLocals, checkedRows);
    if (randomized != null && randomized.dropSpills(SamplingChecks.wholeRecordsToDrop(m, records.reverse(), randomized,
        effects, records.pushes()), classes)) {
      // no whole record of an array also recorded element by element in a loop, where its draw
      // could meet itself (see dropSpills)
      records = planRecords(m, activity, plan, effects, callees, naming, randomized, readAtEntry, elementLevel,
          freshLocals, checkedRows);
    }
    Set<Stmt.Declare> late = lateRecomputations(m, plan, records, effects, randomized, classes);
    // a value recomputed from a sampled record where it was recorded exactly may make the reverse
    // sweep biased (the same sample twice along one chain): then only the others are recomputed
    // late, and none if that is still unsound where the plan without them was sound
    Records without = records;
    for (int attempt = 0; attempt < 2 && !late.isEmpty(); attempt++) {
      Plan latePlan = Plan.of(m, effects, summaries, sampled, late);
      Records lateRecords = planRecords(m, activity, latePlan, effects, callees, naming, randomized,
          readAtEntry, elementLevel, freshLocals, checkedRows);
      // (a whole record kept because its draw stays apart must stay apart with the
      // recomputations too: they may read the array after its restore)
      if (randomized == null || SamplingChecks.violation(lateRecords.reverse(), randomized, effects, m) == null
          && SamplingChecks.wholeRecordsToDrop(m, lateRecords.reverse(), randomized, effects, lateRecords.pushes())
              .isEmpty()
          || SamplingChecks.violation(without.reverse(), randomized, effects, m) != null) {
        plan = latePlan;
        records = lateRecords;
        break;
      }
      late.removeIf(d -> !java.util.Collections.disjoint(effects.reads(d.init()), randomized.sampledKeys()));
    }
    final Plan finalPlan = plan;
    pendingAtCalls.put(key, records.pendingAtCalls());
    reverseReadsOf.put(key, records.needed());
    // (a key pending at the end only as the duty to give a parameter back is read by no one)
    Set<String> finalStateReads = new HashSet<>(records.pendingAtEnd());
    finalStateReads.retainAll(records.needed());
    finalStateReadsOf.put(key, finalStateReads);
    SweepBuilder builder = records.builder();
    Stmt.Block reverse = records.reverse();
    Set<String> pendingAtEnd = records.pendingAtEnd();
    Stmt.Block forward = builder.forward(m.body());
    List<DifferentiatedMethod.Note> notes = new ArrayList<>();
    if (randomized != null) {
      samplingChecks.checkMethod(key, m, reverse, randomized, effects, records.pushes());
      checkRuleReads(reverse, randomized, effects);
      randomizedOf.put(key, randomized);
    }
    plannedReverses.put(key, reverse);
    effectsOf.put(key, effects);

    Set<String> assigned = effects.writes(m.body());
    Set<String> countedIndices = new HashSet<>();
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.For f && finalPlan.countedLoop(f) != null) {
        countedIndices.add(finalPlan.countedLoop(f).index().name());
      }
    });
    Set<String> recomputedNames = new HashSet<>();
    builder.recomputed.forEach(v -> recomputedNames.add(v.name()));
    List<Var> handoff = new ArrayList<>();
    for (Var v : all) {
      boolean isParam = m.params().contains(v);
      // (an array result that carries no derivative, as in a copy made for calls that do not use
      // it, is handed over only if the reverse sweep reads it)
      boolean arrayResult = v.equals(result) && v.type().isArray() && resultAdjoint != null
          && naming.resultAlias() == null && activity.isActive(v);
      // (a fresh local whose final array the reverse sweep sizes an adjoint for is handed over too)
      boolean pending = pendingAtEnd.contains(v.name()) || pendingAtEnd.contains(PushPlanner.lengthKey(v.name()));
      if ((pending || arrayResult) && (!isParam || assigned.contains(v.name()))
          && !recomputedNames.contains(v.name()) && !countedIndices.contains(v.name())) {
        handoff.add(v);
      }
    }
    Map<String, Stmt[]> sampledHandoff = new HashMap<>();
    if (randomized != null) {
      for (Var v : handoff) {
        if (v.type() == Type.DOUBLE && randomized.sampledKeys().contains(v.name())) {
          sampledHandoff.put(v.name(), SampledRecords.handoff(v, randomized));
        }
      }
      for (String unrecorded : randomized.unrecorded()) {
        org.rad.processor.ir.RandomizeSpec spec = randomized.spec(unrecorded);
        notes.add(new DifferentiatedMethod.Note(spec.origin(), "[RadSavesNothing] @Randomize on " + spec.var()
            + " is sound but saves nothing: this method's reverse sweep records none of its values (they enter"
            + " derivatives only as constants, are kept alive anyway by another variable that refers to the same"
            + " array, or are overwritten inside a helper, whose records are exact: @Randomize samples the records"
            + " of the method it is in, so write the overwrite in this method)"));
      }
    }
    List<Var[]> arrayLocalShadows = new ArrayList<>();
    for (Var v : handoff) {
      // (a parameter is handed off only when reassigned: its adjoint then follows the new array)
      if (v.type().isArray() && activity.isActive(v) && !(result != null && v.equals(result))
          && !v.equals(naming.resultAlias())) {
        arrayLocalShadows.add(new Var[] {v, naming.adjoint(v)});
      }
    }
    Set<String> directShadows = directShadows(m, arrayLocalShadows, finalPlan, classes, randomized);
    // a fresh local whose final array the reverse sweep reads nothing of but its size
    Set<String> sizedHandoff = new HashSet<>();
    for (Var v : handoff) {
      if (freshLocals.contains(v.name()) && !pendingAtEnd.contains(v.name()) && activity.isActive(v)
          && !v.equals(result) && !v.equals(naming.resultAlias())) {
        sizedHandoff.add(v.name());
      }
    }
    Set<String> active = activeParams.get(key);
    List<Var> shadowParams = new ArrayList<>();
    List<Var> scalarParamAdjoints = new ArrayList<>();
    for (Var p : m.params()) {
      if (active.contains(p.name()) && p.type().isArray()) {
        shadowParams.add(naming.adjoint(p));
      }
      if (active.contains(p.name()) && p.type() == Type.DOUBLE) {
        scalarParamAdjoints.add(naming.adjoint(p));
      }
    }
    Set<String> pushedAtEnd = new HashSet<>();
    scalarParamAdjoints.forEach(v -> pushedAtEnd.add(v.name()));
    // scalar adjoints the reverse sweep declares start at 0; the result's comes in as a parameter
    Set<String> zeroAtStart = new HashSet<>();
    naming.adjoints().values().forEach(v -> zeroAtStart.add(v.name()));
    naming.temps().forEach(v -> zeroAtStart.add(v.name()));
    if (resultAdjoint != null) {
      zeroAtStart.remove(resultAdjoint.name());
    }
    reverse = ZeroAdjoints.simplify(reverse, zeroAtStart);
    reverse = DeadAdjointStores.prune(reverse, pushedAtEnd);
    if (!forDevice) {
      reverse = MergedIncrements.merge(reverse);
      reverse = LoopInvariants.hoist(reverse, classes, naming::invariant);
      reverse = GuardFreeLoops.version(reverse);
      reverse = RotatedAdjoints.rotate(reverse, naming::carriedElement, naming::carriedRow);
    }
    reverse = GuardOperands.choose(reverse, m.entry() ? null : resultAdjoint);
    List<Var> forwardLocals = new ArrayList<>(m.locals());
    forwardLocals.addAll(naming.tripCounters());
    List<Var> reverseLocals = new ArrayList<>(m.locals());
    reverseLocals.addAll(naming.tripCounters());
    for (Var adj : naming.adjoints().values()) {
      boolean isParamAdjoint = shadowParams.contains(adj) || adj.equals(resultAdjoint);
      if (!isParamAdjoint) {
        reverseLocals.add(adj);
      }
    }
    reverseLocals.addAll(naming.temps());
    reverseLocals.addAll(naming.partials());
    reverseLocals.addAll(naming.branches());
    reverseLocals.addAll(naming.invariants());
    reverseLocals.addAll(naming.carriedElements());
    return new DifferentiatedMethod(m, result, callees.get(key), forward, reverse, handoff, forwardLocals,
        reverseLocals, shadowParams, resultAdjoint, arrayLocalShadows, scalarParamAdjoints, writtenParams(key),
        sampledHandoff, notes, naming.resultAlias() == null ? null : naming.adjoint(naming.resultAlias()),
        directShadows, sizedHandoff);
  }

  /**
   * The handed-off array locals whose adjoint the reverse sweep can allocate itself: a
   * {@code double[]} declared once with {@code new double[...]}, never assigned again, alone in its
   * alias class. Nothing but that variable reaches the array, callees receive its adjoint as an
   * argument (and bind it themselves where they look adjoints up), so no lookup by identity can
   * miss it. Not for methods with {@code @Randomize} (spills restore copies) or on the device.
   */
  private Set<String> directShadows(MethodIR m, List<Var[]> arrayLocalShadows, Plan plan, AliasClasses classes,
      RandomizedRecords randomized) {
    Set<String> direct = new HashSet<>();
    if (forDevice || randomized != null) {
      return direct;
    }
    Set<String> allocated = new HashSet<>();
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Declare d && d.var().type() == Type.DOUBLE_ARRAY && d.init() instanceof Expr.NewArray) {
        allocated.add(d.var().name());
      }
    });
    for (Var[] pair : arrayLocalShadows) {
      Var v = pair[0];
      if (v.type() == Type.DOUBLE_ARRAY && allocated.contains(v.name()) && !plan.isReassigned(v)
          && !m.params().contains(v) && classes.isAlone(v.name())) {
        direct.add(v.name());
      }
    }
    return direct;
  }

  /**
   * The local a method returns when its adjoint is simply the result's: the result is assigned
   * once, from a local array allocated once at the top of the body and never reassigned, that
   * shares storage with nothing else. Its adjoint is then the caller's, and the reverse sweep
   * needs neither the array nor a lookup to find it.
   */
  private static Var resultAlias(MethodIR m, Var result, AliasClasses classes) {
    if (result == null || !result.type().isArray()) {
      return null;
    }
    List<Stmt> assignsToResult = new ArrayList<>();
    Map<String, Integer> writes = new HashMap<>();
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r) {
        writes.merge(r.var().name(), 1, Integer::sum);
        if (r.var().equals(result)) {
          assignsToResult.add(a);
        }
      } else if (s instanceof Stmt.Declare d) {
        writes.merge(d.var().name(), 1, Integer::sum);
      }
    });
    if (assignsToResult.size() != 1 || !m.body().stmts().contains(assignsToResult.get(0))
        || !(((Stmt.Assign) assignsToResult.get(0)).value() instanceof Expr.Ref source)) {
      return null;
    }
    Var v = source.var();
    boolean allocatedOnce = writes.getOrDefault(v.name(), 0) == 1 && m.body().stmts().stream()
        .anyMatch(s -> s instanceof Stmt.Declare d && d.var().equals(v)
            && (d.init() instanceof Expr.NewArray || d.init() instanceof Expr.ArrayLiteral));
    if (!allocatedOnce || m.params().contains(v)) {
      return null;
    }
    for (Var o : m.locals()) {
      if (!o.equals(v) && !o.equals(result) && o.type().isArray() && classes.sameClass(o.name(), v.name())
          && !isRowReference(m, o)) {
        return null;
      }
    }
    return v;
  }

  private static boolean isRowReference(MethodIR m, Var o) {
    boolean[] row = {false};
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.Declare d && d.var().equals(o) && Plan.isRowReference(d)) {
        row[0] = true;
      }
    });
    return row[0];
  }

  /**
   * Rejects a sampled record reaching an EJML adjoint that uses it non-affinely (the divisor of
   * {@code elementDiv}, the argument of {@code elementLog}): the adjoint is a call the scalar
   * soundness check does not look into, so the rule table says which arguments these are.
   */
  private void checkRuleReads(Stmt.Block reverse, RandomizedRecords randomized, Effects effects) {
    Map<String, org.rad.processor.ir.CustomAdjointMethod> byHelper = new HashMap<>();
    custom.forEach((key, c) -> byHelper.put(Sweep.REVERSE.of(customBaseNames.get(key)), c));
    Statements.forEach(reverse, s -> Statements.ownExpressions(s, e -> Exprs.walk(e, x -> {
      if (x instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED && byHelper.containsKey(call.name())) {
        org.rad.processor.ir.CustomAdjointMethod rule = byHelper.get(call.name());
        for (int i : rule.nonlinearReads()) {
          String root = Statements.rootVar(call.args().get(i));
          String key = root == null ? null : effects.aliases().contentsKey(root);
          if (key != null && randomized.sampledKeys().contains(key)) {
            org.rad.processor.ir.RandomizeSpec spec = randomized.spec(key);
            throw new CompileError(spec.origin(), "[RadBiased] @Randomize on " + spec.var() + " would bias the gradient:"
                + " its sampled record reaches the adjoint of CommonOps_DDRM." + rule.name() + " as "
                + rule.params().get(i).name() + ", which that adjoint uses non-linearly (E[g(s)] != g(v));"
                + " randomize a value that enters derivatives linearly (the input of a product), or drop @Randomize");
          }
        }
      }
    })));
  }

}
