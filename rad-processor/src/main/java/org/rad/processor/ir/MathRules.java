package org.rad.processor.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The elementary functions of {@code java.lang.Math} that rad differentiates, one {@link Rule} each:
 * everything a stage needs to know about a function is here and nowhere else. The frontend accepts
 * exactly these names ({@link #names(int)}), the reverse sweep builds its partials from
 * {@link Rule#partials()}, the record plan asks {@link Rule#resultPartial()} whether a derivative
 * can come from the result, the CUDA planner and writer take {@link Rule#cName()}, and the tests
 * iterate {@link #all()}. Adding a function is one entry here, plus a method of
 * {@code org.rad.runtime.Derivatives} and its C twin in {@code CudaPrelude} when its partial needs a
 * helper.
 *
 * <p>The table lives in the IR layer, the lowest, so that every stage may read it; its partials
 * are IR builders, so it holds no knowledge of how a stage prints or schedules them.
 *
 * <p>Not here: the functions with integer results ({@code Math.round}, {@code floorMod},
 * {@code floorDiv}, and the int/long overloads of {@code abs}, {@code max}, {@code min}, see
 * {@link Rule#integralOverload()}). They are index arithmetic, which the frontend types and no
 * derivative flows through; none but abs, max and min has a GPU version.
 */
public final class MathRules {
  private MathRules() {}

  /** How the chain rule goes through a function. */
  public enum Kind {
    /** The adjoint is scaled by one partial per argument. */
    DIFFERENTIABLE,
    /** Derivative 0 wherever it exists (floor, ceil, rint, signum): no adjoint flows. */
    PIECEWISE_CONSTANT,
    /**
     * The result is one of the arguments (max, min): the adjoint goes whole to the argument a
     * comparison picks, ties to the first ({@link Rule#firstWins()}).
     */
    SELECTION
  }

  /**
   * How a partial multiplies the adjoint it scales. {@code Derivatives.times(seed, p)} is 0 when
   * the seed is 0 even if {@code p} is infinite or NaN, so a value that does not reach the result
   * leaks no NaN into the gradient; it costs a branch, so it is used only where a partial can be
   * infinite.
   */
  public enum Guard {
    /** The partial is bounded everywhere ({@code abs}, {@code toRadians}): a plain product. */
    NONE,
    /**
     * The partial is finite at every finite argument but may overflow ({@code exp} of a large
     * value): {@code Derivatives.times}, unless the seed or the partial is a constant.
     */
    UNLESS_CONSTANT,
    /** The partial is infinite at a finite argument (a pole at a double): always {@code Derivatives.times}. */
    ALWAYS
  }

  /** Where a function is not smooth; the gradient there follows the conventions of {@code Derivatives}. */
  public enum Singularity {
    /** The derivative is unbounded near a finite argument. */
    POLE,
    /** The function is continuous but its derivative jumps (abs at 0, max at a tie). */
    KINK,
    /** The function itself jumps (floor at an integer, atan2 across the negative x axis). */
    JUMP
  }

  /** Builds an IR expression from the arguments of a call (or from its result, for a {@link Rule#resultPartial()}). */
  @FunctionalInterface
  public interface Builder {
    Expr at(List<Expr> args);
  }

  /** One partial derivative: how to build it from the call's arguments, and how to scale a seed by it. */
  public record Partial(Builder builder, Guard guard) {
    /** The partial at the call's arguments. A partial built as a negation ({@code -sin(x)}) is a subtraction of the adjoint. */
    public Expr at(List<Expr> args) {
      return builder.at(args);
    }
  }

  /**
   * One elementary function.
   *
   * @param name the {@code java.lang.Math} method name
   * @param arity the number of double arguments
   * @param kind how the chain rule goes through it
   * @param partials one per argument for {@link Kind#DIFFERENTIABLE}, else empty
   * @param resultPartial for a unary function whose derivative is a cheap function of its result
   *     {@code y} ({@code tanh' = 1 - y * y}): builds it from {@code List.of(y)}, with the guard of
   *     the partial from the argument; null when there is none
   * @param firstWins for {@link Kind#SELECTION}: the comparison of the first argument with the
   *     second under which the first is the result ({@code >=} for max); else null
   * @param singularities where it is not smooth, and {@code where} says at which arguments
   * @param where the singular arguments in words ("x = 0"), empty for none
   * @param cName the CUDA C function a kernel calls, or null where the GPU has none
   * @param noGpu why there is no CUDA C function (null where there is one)
   * @param integralOverload whether Java also has it for int and long arguments (abs, max, min),
   *     which the frontend types as integer arithmetic, not as a double function
   * @param samplePoints arguments away from every singularity, where the tests compare the gradient
   *     with finite differences (each of length {@code arity})
   */
  public record Rule(String name, int arity, Kind kind, List<Partial> partials, Partial resultPartial,
      Expr.BinaryOp firstWins, Set<Singularity> singularities, String where, String cName, String noGpu,
      boolean integralOverload, List<double[]> samplePoints) {
    /** {@code Math.name}: how tests and messages name the entry. */
    @Override
    public String toString() {
      return "Math." + name;
    }

    /** Whether kernels may call it. */
    public boolean onGpu() {
      return cName != null;
    }

    /** The partial with respect to argument {@code i} at the call's arguments {@code args}. */
    public Expr partial(int i, List<Expr> args) {
      return partials.get(i).at(args);
    }

    /** The derivative as a function of the result {@code y}, or null where the table has none. */
    public Expr fromResult(Expr y) {
      return resultPartial == null ? null : resultPartial.at(List.of(y));
    }

    /**
     * For an entry with a partial from the result whose partial from the argument is one
     * {@code Derivatives} call of x: that helper's name, else null. Such a helper must compute
     * exactly, to the bit, what {@link #fromResult} computes from {@code Math.name(x)}
     * ({@code Derivatives.tanh(x)} is {@code 1 - t * t} of {@code t = Math.tanh(x)}; MathRulesTest
     * checks it), because CommonPartials then writes it from a shared {@code Math.name(x)}.
     */
    public String helperFromResult() {
      if (resultPartial == null || arity != 1) {
        return null;
      }
      Expr p = partial(0, List.of(PLACEHOLDERS.get(0)));
      return p instanceof Expr.StaticCall c && c.owner() == Expr.Owner.DERIVATIVES && c.args().equals(List.of(PLACEHOLDERS.get(0)))
          ? c.name() : null;
    }

    /** The {@code org.rad.runtime.Derivatives} methods its partials call, in order of first use. */
    public Set<String> helpers() {
      Set<String> names = new LinkedHashSet<>();
      List<Expr> args = PLACEHOLDERS.subList(0, arity);
      List<Expr> built = new ArrayList<>();
      partials.forEach(p -> built.add(p.at(args)));
      if (resultPartial != null) {
        built.add(resultPartial.at(List.of(PLACEHOLDERS.get(0))));
      }
      for (Expr e : built) {
        Exprs.walk(e, x -> {
          if (x instanceof Expr.StaticCall c && c.owner() == Expr.Owner.DERIVATIVES) {
            names.add(c.name());
          }
        });
      }
      return names;
    }
  }

  /** Stand-ins for the arguments, to inspect what a builder builds. */
  private static final List<Expr> PLACEHOLDERS = List.of(
      new Expr.Ref(new Var("x", Type.DOUBLE, Var.Kind.LOCAL)), new Expr.Ref(new Var("y", Type.DOUBLE, Var.Kind.LOCAL)));

  /**
   * The runtime helpers that the chain rule of operators calls, beside those of the table:
   * {@code times} and {@code scaled} (the guarded product of {@link Guard}, testing the adjoint or
   * the partial) and {@code remainderDivisor} ({@code d (a % b) / db}).
   */
  public static final Set<String> OPERATOR_HELPERS = Set.of("times", "scaled", "remainderDivisor");

  /**
   * Whether {@code e} is a guarded product {@code Derivatives.times(adjoint, partial)} or {@code
   * Derivatives.scaled(adjoint, partial)}: {@code adjoint * partial}, 0 where the adjoint is 0.
   */
  public static boolean isGuardedProduct(Expr e) {
    return e instanceof Expr.StaticCall c && c.owner() == Expr.Owner.DERIVATIVES
        && (c.name().equals("times") || c.name().equals("scaled"));
  }

  private static final Map<String, Rule> RULES = new LinkedHashMap<>();
  private static final Set<String> GPU_HELPERS;

  static {
    Set<Singularity> smooth = EnumSet.noneOf(Singularity.class);
    Set<Singularity> pole = EnumSet.of(Singularity.POLE);
    Set<Singularity> kink = EnumSet.of(Singularity.KINK);
    Set<Singularity> jump = EnumSet.of(Singularity.JUMP);
    Guard finite = Guard.UNLESS_CONSTANT;

    unary("sin", math("cos"), finite, null, smooth, "", "sin", -2.1, 0.4, 2.9);
    unary("cos", a -> neg(math("sin").at(a)), finite, null, smooth, "", "cos", -2.1, 0.4, 2.9);
    // tan' = 1 + tan^2 has poles at pi/2 + k pi, but no double is one: the partial stays finite (< 1e33)
    unary("tan", helper("tan"), finite, null, pole, "x = pi/2 + k pi", "tan", -1.2, 0.3, 1.1);
    unary("asin", helper("asin"), Guard.ALWAYS, null, pole, "x = -1, 1", "asin", -0.7, 0.2, 0.85);
    unary("acos", helper("acos"), Guard.ALWAYS, null, pole, "x = -1, 1", "acos", -0.7, 0.2, 0.85);
    unary("atan", helper("atan"), finite, null, smooth, "", "atan", -2.5, 0.3, 1.9);
    unary("sinh", math("cosh"), finite, null, smooth, "", "sinh", -1.7, 0.2, 1.4);
    unary("cosh", math("sinh"), finite, null, smooth, "", "cosh", -1.7, 0.2, 1.4);
    unary("tanh", helper("tanh"), finite, y -> sub(one(), mul(y, y)), smooth, "", "tanh", -1.7, 0.2, 1.4);
    unary("exp", math("exp"), finite, y -> y, smooth, "", "exp", -1.7, 0.2, 1.4);
    unary("expm1", math("exp"), finite, null, smooth, "", "expm1", -1.7, 0.2, 1.4);
    unary("log", a -> div(one(), a.get(0)), Guard.ALWAYS, null, pole, "x = 0", "log", 0.15, 1.3, 4.2);
    unary("log10", helper("log10"), Guard.ALWAYS, null, pole, "x = 0", "log10", 0.15, 1.3, 4.2);
    unary("log1p", a -> div(one(), add(one(), a.get(0))), Guard.ALWAYS, null, pole, "x = -1", "log1p", -0.85, 0.4, 2.7);
    // sqrt' = 0.5 / y: a pole at y = 0, as from x
    unary("sqrt", helper("sqrt"), Guard.ALWAYS, y -> div(new Expr.Literal("0.5", Type.DOUBLE), y), pole, "x = 0", "sqrt",
        0.15, 1.3, 3.6);
    unary("cbrt", helper("cbrt"), Guard.ALWAYS, null, pole, "x = 0", "cbrt", -2.6, 0.3, 1.8);
    // Java's Math.abs(-0.0) is 0.0 and abs'(0) = 0 (Derivatives.abs): C's fabs through rad_abs
    unary("abs", helper("abs"), Guard.NONE, null, kink, "x = 0", "rad_abs", -1.6, 0.45, 1.9);
    // Math.toRadians is x * (PI / 180) since Java 9; the same constant on both sides
    unary("toRadians", a -> div(new Expr.Literal("Math.PI", Type.DOUBLE), Expr.Literal.ofInt(180)), Guard.NONE, null, smooth, "",
        "rad_toRadians", -170, 12.5, 95);
    unary("toDegrees", a -> div(Expr.Literal.ofInt(180), new Expr.Literal("Math.PI", Type.DOUBLE)), Guard.NONE, null, smooth, "",
        "rad_toDegrees", -2.9, 0.35, 1.7);
    constant("floor", "x an integer", "floor", -2.5, 0.3, 1.7);
    constant("ceil", "x an integer", "ceil", -2.5, 0.3, 1.7);
    constant("rint", "x an integer + 0.5", "rint", -2.2, 0.3, 1.7);
    // Java's signum keeps the sign of zero and NaN: rad_signum
    constant("signum", "x = 0", "rad_signum", -2.5, 0.3, 1.7);
    binary("atan2", Guard.UNLESS_CONSTANT, helper("atan2Y"), helper("atan2X"), EnumSet.of(Singularity.KINK, Singularity.JUMP),
        "the origin; a jump across y = 0 for x < 0", "atan2", new double[] {0.7, 1.3}, new double[] {-1.1, 0.4},
        new double[] {1.6, -0.8});
    binary("pow", Guard.ALWAYS, helper("powBase"), helper("powExponent"), pole, "x = 0 with y < 1 (base), x = 0 (exponent)",
        "pow", new double[] {0.4, 1.7}, new double[] {1.9, -0.6}, new double[] {2.6, 0.5});
    binary("hypot", Guard.UNLESS_CONSTANT, helper("hypot"), a -> helper("hypot").at(List.of(a.get(1), a.get(0))), kink,
        "the origin", "hypot", new double[] {0.7, 1.3}, new double[] {-1.1, 0.4}, new double[] {1.6, -0.8});
    selection("max", Expr.BinaryOp.GE, "rad_max");
    selection("min", Expr.BinaryOp.LE, "rad_min");
    Set<String> helpers = new TreeSet<>(OPERATOR_HELPERS);
    RULES.values().stream().filter(Rule::onGpu).forEach(r -> helpers.addAll(r.helpers()));
    GPU_HELPERS = Collections.unmodifiableSet(helpers);
  }

  private static void unary(String name, Builder partial, Guard guard, java.util.function.UnaryOperator<Expr> fromResult,
      Set<Singularity> singularities, String where, String cName, double... points) {
    List<double[]> at = new ArrayList<>();
    for (double p : points) {
      at.add(new double[] {p});
    }
    Partial result = fromResult == null ? null : new Partial(a -> fromResult.apply(a.get(0)), guard);
    add(new Rule(name, 1, Kind.DIFFERENTIABLE, List.of(new Partial(partial, guard)), result, null, singularities, where,
        cName, null, name.equals("abs"), at));
  }

  private static void constant(String name, String where, String cName, double... points) {
    List<double[]> at = new ArrayList<>();
    for (double p : points) {
      at.add(new double[] {p});
    }
    add(new Rule(name, 1, Kind.PIECEWISE_CONSTANT, List.of(), null, null, EnumSet.of(Singularity.JUMP), where, cName,
        null, false, at));
  }

  private static void binary(String name, Guard guard, Builder first, Builder second, Set<Singularity> singularities,
      String where, String cName, double[]... points) {
    add(new Rule(name, 2, Kind.DIFFERENTIABLE, List.of(new Partial(first, guard), new Partial(second, guard)), null, null,
        singularities, where, cName, null, false, List.of(points)));
  }

  private static void selection(String name, Expr.BinaryOp firstWins, String cName) {
    // both orders, so that each argument receives the adjoint once
    add(new Rule(name, 2, Kind.SELECTION, List.of(), null, firstWins, EnumSet.of(Singularity.KINK), "x = y", cName, null,
        true, List.of(new double[] {0.8, -0.3}, new double[] {-1.2, 0.6})));
  }

  private static void add(Rule r) {
    if (RULES.put(r.name(), r) != null) {
      throw new IllegalStateException("two rules for Math." + r.name());
    }
  }

  /** Every rule, in the order of the table. */
  public static List<Rule> all() {
    return List.copyOf(RULES.values());
  }

  /** The rule of {@code Math.name}, if the table has one. */
  public static Optional<Rule> find(String name) {
    return Optional.ofNullable(RULES.get(name));
  }

  /** The rule of {@code Math.name}; an {@link IllegalStateException} where there is none (a caller checked the name). */
  public static Rule of(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException("no derivative rule for Math." + name));
  }

  /** The names of the functions of {@code arity} double arguments, sorted. */
  public static Set<String> names(int arity) {
    Set<String> names = new TreeSet<>();
    RULES.values().stream().filter(r -> r.arity() == arity).forEach(r -> names.add(r.name()));
    return Collections.unmodifiableSet(names);
  }

  /** Whether {@code Math.name} has a derivative from its result ({@link Rule#resultPartial()}). */
  public static boolean hasResultRule(String name) {
    return find(name).map(r -> r.resultPartial() != null).orElse(false);
  }

  /** Whether kernels may call {@code Math.name}. */
  public static boolean onGpu(String name) {
    return find(name).map(Rule::onGpu).orElse(false);
  }

  /**
   * The {@code Derivatives} methods kernels may call: those of the functions with a GPU version,
   * and the {@link #OPERATOR_HELPERS}, each with a {@code rad_d_} twin in the CUDA prelude.
   */
  public static Set<String> gpuHelpers() {
    return GPU_HELPERS;
  }

  /** The C functions kernels call for the table's functions (their names must not be shadowed). */
  public static Set<String> cNames() {
    Set<String> names = new TreeSet<>();
    RULES.values().stream().filter(Rule::onGpu).forEach(r -> names.add(r.cName()));
    return Collections.unmodifiableSet(names);
  }

  // ---- builders of partials ---------------------------------------------------------------------

  /** {@code Math.name(x)}. */
  private static Builder math(String name) {
    return a -> new Expr.StaticCall(Expr.Owner.MATH, name, List.of(a.get(0)), Type.DOUBLE);
  }

  /** {@code Derivatives.name(args)}. */
  private static Builder helper(String name) {
    return a -> new Expr.StaticCall(Expr.Owner.DERIVATIVES, name, List.copyOf(a), Type.DOUBLE);
  }

  private static Expr one() {
    return new Expr.Literal("1.0", Type.DOUBLE);
  }

  private static Expr neg(Expr e) {
    return new Expr.Unary(Expr.UnaryOp.NEG, e);
  }

  private static Expr add(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.ADD, a, b, Type.DOUBLE);
  }

  private static Expr sub(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.SUB, a, b, Type.DOUBLE);
  }

  private static Expr mul(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.MUL, a, b, Type.DOUBLE);
  }

  private static Expr div(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.DIV, a, b, Type.DOUBLE);
  }
}
