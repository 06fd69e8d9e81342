package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.emit.CudaPrelude;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.MathRules.Kind;
import org.rad.processor.ir.MathRules.Rule;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;
import org.rad.runtime.Derivatives;

/**
 * The table {@link MathRules} itself, without compiling a differentiated program: each entry is
 * complete, its partials (evaluated as IR) are the derivatives of Java's function, its partial
 * from the result agrees with the one from the argument (bit for bit where CommonPartials swaps
 * one for the other), every helper it names exists in {@code Derivatives} and, for the GPU, in the
 * CUDA prelude, computing what Java computes, and the frontend accepts exactly the table's names.
 */
class MathRulesTest {
  static final Var X = new Var("x", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var Y = new Var("y", Type.DOUBLE, Var.Kind.PARAMETER);
  static final List<Expr> ARGS = List.of(new Expr.Ref(X), new Expr.Ref(Y));

  static Stream<Rule> rules() {
    return MathRules.all().stream();
  }

  static Stream<Rule> resultRules() {
    return MathRules.all().stream().filter(r -> r.resultPartial() != null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void theEntryIsComplete(Rule r) {
    assertThat(r.arity()).isIn(List.of(1, 2));
    assertThat(r.samplePoints()).isNotEmpty();
    r.samplePoints().forEach(p -> assertEquals(r.arity(), p.length, "a sample point of " + r));
    assertWithMessage("%s: a C name or the reason there is none", r).that(r.cName() == null).isEqualTo(r.noGpu() != null);
    switch (r.kind()) {
      case DIFFERENTIABLE -> assertEquals(r.arity(), r.partials().size(), "one partial per argument");
      case PIECEWISE_CONSTANT -> {
        assertThat(r.partials()).isEmpty();
        assertThat(r.singularities()).contains(MathRules.Singularity.JUMP);
      }
      case SELECTION -> {
        assertEquals(2, r.arity());
        assertThat(r.firstWins()).isNotNull();
        assertThat(r.partials()).isEmpty();
      }
    }
    if (r.kind() != Kind.SELECTION) {
      assertThat(r.firstWins()).isNull();
    }
    if (r.resultPartial() != null) {
      assertEquals(1, r.arity(), "a partial from the result needs one argument");
    }
    if (!r.singularities().isEmpty()) {
      assertWithMessage("%s says where it is singular", r).that(r.where()).isNotEmpty();
    }
  }

  /**
   * Each partial, evaluated at the sample points, is the central difference of Java's
   * {@code Math} function (step 1e-6, 1e-7 relative); a piecewise constant has difference 0 there,
   * and a selection's comparison picks the argument the difference says the result follows.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void thePartialsAreTheDerivativesOfJavasFunction(Rule r) throws Exception {
    Method f = Math.class.getMethod(r.name(), r.arity() == 1 ? new Class<?>[] {double.class}
        : new Class<?>[] {double.class, double.class});
    for (double[] p : r.samplePoints()) {
      for (int i = 0; i < r.arity(); i++) {
        double h = 1e-6;
        double[] plus = p.clone();
        double[] minus = p.clone();
        plus[i] += h;
        minus[i] -= h;
        double fd = ((double) f.invoke(null, box(plus)) - (double) f.invoke(null, box(minus))) / (plus[i] - minus[i]);
        double expected = switch (r.kind()) {
          case DIFFERENTIABLE -> eval(r.partial(i, ARGS.subList(0, r.arity())), p);
          case PIECEWISE_CONSTANT -> 0;
          case SELECTION -> {
            boolean first = eval(new Expr.Binary(r.firstWins(), ARGS.get(0), ARGS.get(1), Type.BOOLEAN), p) != 0;
            yield first == (i == 0) ? 1 : 0;
          }
        };
        assertEquals(fd, expected, 1e-7 * Math.max(1, Math.abs(fd)), r + " d/d argument " + i + " at " + List.of(box(p)));
      }
    }
  }

  /**
   * The partial from the result, at {@code y = f(x)}, is the partial from the argument (1e-14
   * relative); where CommonPartials writes a helper's value from a shared {@code Math.f(x)}
   * ({@link Rule#helperFromResult()}), the two are the same double.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("resultRules")
  void thePartialFromTheResultIsThePartialFromTheArgument(Rule r) throws Exception {
    Method f = Math.class.getMethod(r.name(), double.class);
    for (double[] p : r.samplePoints()) {
      double y = (double) f.invoke(null, p[0]);
      double fromResult = eval(r.fromResult(ARGS.get(0)), new double[] {y});
      double fromArgument = eval(r.partial(0, ARGS.subList(0, 1)), p);
      assertEquals(fromArgument, fromResult, 1e-14 * Math.abs(fromArgument), r + " at " + p[0]);
      if (r.helperFromResult() != null) {
        assertEquals(Double.doubleToRawLongBits(fromArgument), Double.doubleToRawLongBits(fromResult),
            r + ": Derivatives." + r.helperFromResult() + " must compute exactly the rule from the result");
      }
    }
  }

  @Test
  void everyHelperExistsInTheRuntimeAndForTheGpuInThePrelude() throws Exception {
    List<String> all = new ArrayList<>(MathRules.OPERATOR_HELPERS);
    MathRules.all().forEach(r -> all.addAll(r.helpers()));
    for (String helper : all) {
      Method m = null;
      for (Method c : Derivatives.class.getMethods()) {
        if (c.getName().equals(helper)) {
          m = c;
        }
      }
      assertWithMessage("Derivatives.%s", helper).that(m).isNotNull();
      assertThat(Modifier.isStatic(m.getModifiers())).isTrue();
      assertEquals(double.class, m.getReturnType());
    }
    for (String helper : MathRules.gpuHelpers()) {
      assertThat(CudaPrelude.HELPERS).contains("inline double rad_d_" + helper + "(");
    }
    for (Rule r : MathRules.all()) {
      if (r.onGpu() && r.cName().startsWith("rad_")) {
        assertThat(CudaPrelude.HELPERS).contains("inline double " + r.cName() + "(double");
      }
    }
  }

  /**
   * The C functions kernels call, compiled by g++ as host C++ with the prelude, against Java at the
   * sample points: the Java-semantics functions of the prelude ({@code rad_abs}, {@code rad_signum},
   * {@code rad_toRadians}, ...) bit for bit, the C library's functions and the {@code rad_d_}
   * partials to 1e-14 relative (the two math libraries may differ in the last bits).
   */
  @Test
  void theCFunctionsComputeWhatJavaComputes() throws Exception {
    assumeTrue(onPath("g++"), "SKIPPED: g++ is not on the PATH, so the prelude cannot be compiled here");
    List<String> calls = new ArrayList<>();
    List<Double> expected = new ArrayList<>();
    List<Boolean> exact = new ArrayList<>();
    for (Rule r : MathRules.all()) {
      if (!r.onGpu()) {
        continue;
      }
      Method f = Math.class.getMethod(r.name(), r.arity() == 1 ? new Class<?>[] {double.class}
          : new Class<?>[] {double.class, double.class});
      for (double[] p : r.samplePoints()) {
        calls.add(r.cName() + "(" + cArgs(p) + ")");
        expected.add((double) f.invoke(null, box(p)));
        exact.add(r.cName().startsWith("rad_"));
        for (String helper : r.helpers()) {
          for (Method m : Derivatives.class.getMethods()) {
            if (m.getName().equals(helper) && m.getParameterCount() == p.length) {
              calls.add("rad_d_" + helper + "(" + cArgs(p) + ")");
              expected.add((double) m.invoke(null, box(p)));
              exact.add(false);
            }
          }
        }
      }
    }
    StringBuilder c = new StringBuilder("#define __host__\n#define __device__\n#include <stdio.h>\n#include <math.h>\n")
        .append(CudaPrelude.HELPERS).append("int main(void) {\n");
    calls.forEach(call -> c.append("  printf(\"%a\\n\", ").append(call).append(");\n"));
    c.append("  return 0;\n}\n");
    List<String> out = runHostProgram(c.toString());
    assertEquals(calls.size(), out.size(), String.join("\n", out));
    for (int k = 0; k < calls.size(); k++) {
      double got = Double.parseDouble(out.get(k).trim()); // printf's %a is Java's hexadecimal form
      double want = expected.get(k);
      if (exact.get(k)) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), calls.get(k) + ": " + got + " vs Java " + want);
      } else {
        assertEquals(want, got, 1e-14 * Math.abs(want), calls.get(k));
      }
    }
  }

  /**
   * The frontend's accepted names and arities are the table's: a name of the table with another
   * arity is refused with the arity it takes, any other name with the table's list (or, for a
   * function with no derivative to speak of, what to pass in instead).
   */
  @Test
  void theFrontendAcceptsExactlyTheTable() {
    String list = "use one of Math." + String.join(", Math.", MathRules.names(1)) + ", "
        + String.join(", ", MathRules.names(2));
    Map<String, String> expected = new LinkedHashMap<>();
    for (Rule r : MathRules.all()) {
      // every name with one argument too many; sinh(x, x) is no Java method, so javac would also object
      expected.put("Math." + r.name() + "(" + String.join(", ", Collections.nCopies(r.arity() + 1, "x")) + ")",
          "Math." + r.name() + " takes " + r.arity() + (r.arity() == 1 ? " argument" : " arguments"));
    }
    expected.put("Math.multiplyHigh(x, x)", list);
    expected.put("Math.ulp(x)", "compute it outside and pass it in as a parameter");
    for (var e : expected.entrySet()) {
      String call = e.getKey();
      Compilation c = Compiled.compileExpectingFailure("demo.Refused", "package demo;\n"
          + "import org.rad.annotations.Differentiable;\n"
          + "public class Refused {\n  @Differentiable static double f(double x) { return " + call + "; }\n}\n");
      String errors = c.errors().toString();
      assertWithMessage(call).that(errors).contains(call.substring(0, call.indexOf('(')) + " with ");
      assertWithMessage(call).that(errors).contains(e.getValue());
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  static Object[] box(double[] p) {
    Object[] o = new Object[p.length];
    for (int k = 0; k < p.length; k++) {
      o[k] = p[k];
    }
    return o;
  }

  static String cArgs(double[] p) {
    List<String> a = new ArrayList<>();
    for (double v : p) {
      a.add(Double.toHexString(v));
    }
    return String.join(", ", a);
  }

  /**
   * The value of a partial built by the table: literals, the arguments x and y (from {@code at}),
   * arithmetic, and calls of {@code Math} and {@code Derivatives}, through reflection.
   */
  static double eval(Expr e, double[] at) throws Exception {
    if (e instanceof Expr.Literal l) {
      return switch (l.text()) {
        case "Math.PI" -> Math.PI;
        case "Math.E" -> Math.E;
        default -> Double.parseDouble(l.text());
      };
    }
    if (e instanceof Expr.Ref r) {
      return at[r.var().equals(X) ? 0 : 1];
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return -eval(u.operand(), at);
    }
    if (e instanceof Expr.Binary b) {
      double l = eval(b.left(), at);
      double r = eval(b.right(), at);
      return switch (b.op()) {
        case ADD -> l + r;
        case SUB -> l - r;
        case MUL -> l * r;
        case DIV -> l / r;
        case GE -> l >= r ? 1 : 0;
        case LE -> l <= r ? 1 : 0;
        default -> throw new AssertionError("no evaluation of " + b.op());
      };
    }
    if (e instanceof Expr.StaticCall c) {
      Class<?> owner = Map.of(Expr.Owner.MATH, Math.class, Expr.Owner.DERIVATIVES, Derivatives.class).get(c.owner());
      Class<?>[] types = new Class<?>[c.args().size()];
      Object[] args = new Object[c.args().size()];
      for (int k = 0; k < args.length; k++) {
        types[k] = double.class;
        args[k] = eval(c.args().get(k), at);
      }
      return (double) owner.getMethod(c.name(), types).invoke(null, args);
    }
    throw new AssertionError("no evaluation of " + e);
  }

  static boolean onPath(String tool) {
    try {
      Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static List<String> runHostProgram(String source) throws Exception {
    Path dir = Files.createTempDirectory("rad-rules");
    try {
      Path src = dir.resolve("rules.cpp");
      Files.writeString(src, source, StandardCharsets.US_ASCII);
      Process compile = new ProcessBuilder("g++", "-O0", "-o", dir.resolve("rules").toString(), src.toString())
          .redirectErrorStream(true).start();
      String log = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(compile.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertWithMessage("g++: %s", log).that(compile.exitValue()).isEqualTo(0);
      Process run = new ProcessBuilder(dir.resolve("rules").toString()).redirectErrorStream(true).start();
      String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return out.lines().toList();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
