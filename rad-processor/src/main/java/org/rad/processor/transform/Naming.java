package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The variables the sweeps introduce, named after the source: {@code xBar} is the adjoint of
 * {@code x}, {@code adj}, {@code adj2} are temporaries of the reverse sweep, {@code iterations}
 * counts a loop's trips. Names are stable however often the sweeps are rebuilt.
 */
final class Naming {
  private final Names names;
  private final Map<String, Var> adjoints = new LinkedHashMap<>();
  private final List<Var> temps = new ArrayList<>();
  private final List<Var> partials = new ArrayList<>();
  private final List<Var> branches = new ArrayList<>();
  private final List<Var> invariants = new ArrayList<>();
  private final List<Var> carried = new ArrayList<>();
  private final Map<Stmt, Var> tripCounters = new IdentityHashMap<>();
  /** The trip counters in the order they were made (an identity map's order changes from run to run). */
  private final List<Var> tripCounterOrder = new ArrayList<>();
  private final Map<String, String> shadowToPrimal = new HashMap<>();
  /**
   * Arrays whose adjoint does not come from a lookup by the primal array: row references
   * ({@code rowBar = mBar[i]}) and the local a method returns ({@code outBar} is the caller's
   * adjoint of the result). Reads of their adjoints are tracked as {@code bar:name}, so they keep
   * no primal array alive.
   */
  private final java.util.Set<String> derivedAdjoints = new java.util.HashSet<>();
  private Var resultAlias;

  Naming(Names names) {
    this.names = names;
  }

  /** The adjoint of {@code v}: a double for a double, an array of the same shape for an array. */
  Var adjoint(Var v) {
    return adjoints.computeIfAbsent(v.name(), n -> {
      Var a = names.fresh(n + "Bar", v.type(), Var.Kind.ADJOINT);
      if (v.type().isArray()) {
        shadowToPrimal.put(a.name(), derivedAdjoints.contains(n) ? "bar:" + n
            : sizedAdjoints.contains(n) ? PushPlanner.lengthKey(n) : n);
      }
      return a;
    });
  }

  /**
   * Fresh locals (SweepBuilder#freshLocals), whose adjoint arrays are allocated from the size of
   * the array they hold: reads of their adjoints are tracked as the {@link PushPlanner#lengthKey},
   * so they keep only that size, not the array, for the reverse sweep.
   */
  private final java.util.Set<String> sizedAdjoints = new java.util.HashSet<>();

  /** Declares that {@code name}'s adjoint array is allocated from its array's size (call before {@link #adjoint}). */
  void sizeAdjoint(String name) {
    sizedAdjoints.add(name);
  }

  /** Declares that {@code name}'s adjoint array is derived, not looked up (call before {@link #adjoint}). */
  void deriveAdjoint(String name) {
    derivedAdjoints.add(name);
  }

  /** The local array a method returns, whose adjoint is the result's adjoint parameter; or null. */
  Var resultAlias() {
    return resultAlias;
  }

  void resultAlias(Var v) {
    this.resultAlias = v;
    deriveAdjoint(v.name());
  }

  /** The {@code k}-th temporary of a statement's reverse. */
  Var temp(int k) {
    while (temps.size() <= k) {
      temps.add(names.fresh("adj", Type.DOUBLE, Var.Kind.ADJOINT));
    }
    return temps.get(k);
  }

  /** The {@code k}-th shared partial of a statement's reverse ({@link CommonPartials}). */
  Var partial(int k) {
    while (partials.size() <= k) {
      partials.add(names.fresh("part", Type.DOUBLE, Var.Kind.ADJOINT));
    }
    return partials.get(k);
  }

  List<Var> partials() {
    return partials;
  }

  /** A fresh local for a value the reverse sweep hoists out of a loop. */
  Var invariant() {
    Var v = names.fresh("inv", Type.DOUBLE, Var.Kind.SYNTHETIC);
    invariants.add(v);
    return v;
  }

  List<Var> invariants() {
    return invariants;
  }

  /** A fresh local that carries an adjoint element across iterations of a reverse loop. */
  Var carriedElement() {
    Var v = names.fresh("acc", Type.DOUBLE, Var.Kind.SYNTHETIC);
    carried.add(v);
    return v;
  }

  /** A local holding a row that a reverse loop carries elements of ({@code row = phiBar[i]}). */
  Var carriedRow(Type type) {
    Var v = names.fresh("row", type, Var.Kind.SYNTHETIC);
    carried.add(v);
    return v;
  }

  List<Var> carriedElements() {
    return carried;
  }

  /** The {@code k}-th recorded branch decision of a statement's reverse. */
  Var branch(int k) {
    while (branches.size() <= k) {
      branches.add(names.fresh("taken", Type.BOOLEAN, Var.Kind.ADJOINT));
    }
    return branches.get(k);
  }

  List<Var> branches() {
    return branches;
  }

  Var tripCounter(Stmt loop) {
    return tripCounters.computeIfAbsent(loop, l -> {
      Var trips = names.fresh("iterations", Type.INT, Var.Kind.SYNTHETIC);
      tripCounterOrder.add(trips);
      return trips;
    });
  }

  /** Adjoint variables created so far, by primal name. */
  Map<String, Var> adjoints() {
    return adjoints;
  }

  List<Var> temps() {
    return temps;
  }

  /** The trip counters, in the order they were made: the generated code declares them in this order. */
  List<Var> tripCounters() {
    return Collections.unmodifiableList(tripCounterOrder);
  }

  /** Adjoint array name to the primal variable it mirrors (for the reads analysis). */
  Map<String, String> shadowToPrimal() {
    return shadowToPrimal;
  }
}
