package org.rad.processor.frontend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The variables visible at a point of a method body, with Java's block scoping, and the unique
 * names the IR gives them: the generated code hoists every local to the top of its method, so two
 * declarations of {@code i} in sibling loops become {@code i} and {@code i2}.
 */
final class MethodScope {
  private final Deque<Map<String, Var>> blocks = new ArrayDeque<>();
  private final Set<String> usedNames = new HashSet<>();
  private final List<Var> locals = new ArrayList<>();
  /** Kept locals ({@link #declareKept}): never in the IR. */
  private final Set<Var> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Stands for a local whose declaration was rejected (never in the IR). */
  private static final Var BROKEN = new Var("<rejected>", Type.VOID, Var.Kind.LOCAL);

  MethodScope(Set<String> reserved) {
    usedNames.addAll(reserved);
    blocks.push(new HashMap<>());
  }

  void enter() {
    blocks.push(new HashMap<>());
  }

  void exit() {
    blocks.pop();
  }

  Var lookup(String sourceName) {
    for (Map<String, Var> block : blocks) {
      Var v = block.get(sourceName);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /**
   * Declares a parameter. It keeps its name unless that is one the generated methods use for
   * their own parameters ({@code ctx}, {@code self}) or a class they name ({@code Derivatives}):
   * then it is renamed like a local.
   */
  Var declareParameter(String name, Type type) {
    Var v = new Var(FrontEnd.PARAMETER_RESERVED.contains(name) ? unique(name) : name, type, Var.Kind.PARAMETER);
    usedNames.add(v.name());
    blocks.peek().put(name, v);
    return v;
  }

  /** Declares a source local under a unique name derived from its source name. */
  Var declareLocal(String sourceName, Type type) {
    Var v = new Var(unique(sourceName), type, Var.Kind.LOCAL);
    blocks.peek().put(sourceName, v);
    locals.add(v);
    return v;
  }

  /**
   * Declares a source local whose declaration was rejected: later uses of the name are follow-on
   * errors ({@link #isBroken}), not reported again.
   */
  void declareBroken(String sourceName) {
    blocks.peek().put(sourceName, BROKEN);
  }

  /** Whether {@code v}, found by {@link #lookup}, is a local whose declaration was rejected. */
  static boolean isBroken(Var v) {
    return v == BROKEN;
  }

  /**
   * Declares a kept local (an object a statement kept as it is declares: {@code String s}) under a
   * unique name; only kept statements may use it (by name, in their text).
   */
  String declareKept(String sourceName) {
    Var v = new Var(unique(sourceName), Type.VOID, Var.Kind.LOCAL);
    kept.add(v);
    // listed with the locals (type void: never hoisted, never differentiated), so that the names
    // the transforms give their own variables (result, returned, ...) avoid it
    locals.add(v);
    blocks.peek().put(sourceName, v);
    return v.name();
  }

  /** Whether {@code v}, found by {@link #lookup}, is a kept local. */
  boolean isKept(Var v) {
    return v != null && kept.contains(v);
  }

  /** A fresh variable the compiler introduces (not visible to source names). */
  Var fresh(String base, Type type) {
    Var v = new Var(unique(base), type, Var.Kind.SYNTHETIC);
    locals.add(v);
    return v;
  }

  String unique(String base) {
    String name = base;
    for (int n = 2; !usedNames.add(name); n++) {
      name = base + n;
    }
    return name;
  }

  List<Var> locals() {
    return locals;
  }

  Set<String> usedNames() {
    return usedNames;
  }
}
