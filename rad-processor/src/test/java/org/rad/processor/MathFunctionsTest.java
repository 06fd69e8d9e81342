package org.rad.processor;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported {@code Math} function on its own, one {@code @Differentiable} method each
 * ({@code static double sin(double x) { return Math.sin(x); }}), checked against central
 * differences and against its derivative in closed form.
 */
class MathFunctionsTest {
  /** A function of one argument: its name, where to draw x, and its derivative. */
  record Unary(String name, double lo, double hi, DoubleUnaryOperator derivative) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A function of two arguments with its two partial derivatives. */
  record Binary(String name, double lo0, double hi0, double lo1, double hi1, DoubleBinaryOperator dx, DoubleBinaryOperator dy) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Unary> UNARY = List.of(
      new Unary("sin", -3, 3, Math::cos),
      new Unary("cos", -3, 3, x -> -Math.sin(x)),
      new Unary("tan", -1.2, 1.2, x -> 1 / (Math.cos(x) * Math.cos(x))),
      new Unary("asin", -0.9, 0.9, x -> 1 / Math.sqrt(1 - x * x)),
      new Unary("acos", -0.9, 0.9, x -> -1 / Math.sqrt(1 - x * x)),
      new Unary("atan", -3, 3, x -> 1 / (1 + x * x)),
      new Unary("sinh", -2, 2, Math::cosh),
      new Unary("cosh", -2, 2, Math::sinh),
      new Unary("tanh", -2, 2, x -> 1 / (Math.cosh(x) * Math.cosh(x))),
      new Unary("exp", -2, 2, Math::exp),
      new Unary("expm1", -2, 2, Math::exp),
      new Unary("log", 0.1, 5, x -> 1 / x),
      new Unary("log10", 0.1, 5, x -> 1 / (x * Math.log(10))),
      new Unary("log1p", -0.9, 3, x -> 1 / (1 + x)),
      new Unary("sqrt", 0.1, 4, x -> 0.5 / Math.sqrt(x)),
      new Unary("cbrt", -3, 3, x -> 1 / (3 * Math.cbrt(x) * Math.cbrt(x))),
      new Unary("abs", -2, 2, Math::signum),
      new Unary("floor", -3, 3, x -> 0),
      new Unary("ceil", -3, 3, x -> 0),
      new Unary("rint", -3, 3, x -> 0),
      new Unary("signum", -3, 3, x -> 0),
      new Unary("toRadians", -180, 180, x -> Math.PI / 180),
      new Unary("toDegrees", -3, 3, x -> 180 / Math.PI));

  static final List<Binary> BINARY = List.of(
      new Binary("atan2", -2, 2, -2, 2, (y, x) -> x / (x * x + y * y), (y, x) -> -y / (x * x + y * y)),
      new Binary("pow", 0.1, 3, -2, 2, (x, y) -> y * Math.pow(x, y - 1), (x, y) -> Math.pow(x, y) * Math.log(x)),
      new Binary("hypot", -2, 2, -2, 2, (x, y) -> x / Math.hypot(x, y), (x, y) -> y / Math.hypot(x, y)),
      new Binary("max", -2, 2, -2, 2, (x, y) -> x >= y ? 1 : 0, (x, y) -> x >= y ? 0 : 1),
      new Binary("min", -2, 2, -2, 2, (x, y) -> x <= y ? 1 : 0, (x, y) -> x <= y ? 0 : 1));

  static Class<?> user;
  static Class<?> grad;

  /** The source: {@code @Differentiable static double f(double x) { return Math.f(x); }} for each f. */
  static String source() {
    String unary = UNARY.stream().map(f -> String.format(
        "  @Differentiable static double %s(double x) { return Math.%s(x); }%n", f.name(), f.name()))
        .collect(Collectors.joining());
    String binary = BINARY.stream().map(f -> String.format(
        "  @Differentiable static double %s(double x, double y) { return Math.%s(x, y); }%n", f.name(), f.name()))
        .collect(Collectors.joining());
    return "package demo;\nimport org.rad.annotations.Differentiable;\npublic class MathFunctions {\n" + unary + binary + "}\n";
  }

  @BeforeAll
  static void compile() {
    Compiled compiled = Compiled.compile("demo.MathFunctions", source());
    user = compiled.load("demo.MathFunctions");
    grad = compiled.load("demo.MathFunctionsGrad");
  }

  static Stream<Unary> unary() {
    return UNARY.stream();
  }

  static Stream<Binary> binary() {
    return BINARY.stream();
  }

  @ParameterizedTest(name = "Math.{0}")
  @MethodSource("unary")
  void unaryFunction(Unary f) {
    GradientCase c = GradientCase.of(f.name(), r -> new Object[] {r.nextDouble(f.lo(), f.hi())}, 0);
    c.check(user, grad);
    GradientHarness h = c.harness(user, grad);
    SplittableRandom r = new SplittableRandom(7);
    for (int k = 0; k < 5; k++) {
      double x = r.nextDouble(f.lo(), f.hi());
      h.checkClosedForm(new Object[] {x}, new double[] {f.derivative().applyAsDouble(x)}, 1e-14);
    }
  }

  @ParameterizedTest(name = "Math.{0}")
  @MethodSource("binary")
  void binaryFunction(Binary f) {
    GradientCase c = GradientCase.of(f.name(),
        r -> new Object[] {r.nextDouble(f.lo0(), f.hi0()), r.nextDouble(f.lo1(), f.hi1())}, 0, 1);
    c.check(user, grad);
    GradientHarness h = c.harness(user, grad);
    SplittableRandom r = new SplittableRandom(7);
    for (int k = 0; k < 5; k++) {
      double x = r.nextDouble(f.lo0(), f.hi0());
      double y = r.nextDouble(f.lo1(), f.hi1());
      h.checkClosedForm(new Object[] {x, y}, new double[] {f.dx().applyAsDouble(x, y), f.dy().applyAsDouble(x, y)}, 1e-14);
    }
  }
}
