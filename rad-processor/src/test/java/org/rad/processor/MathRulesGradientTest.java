package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.MathRules.Rule;
import org.rad.runtime.RadContext;
import org.rad.runtime.cuda.CudaRuntime;
import org.rad.runtime.cuda.Nvcc;

/**
 * Every entry of {@link MathRules}, end to end: the programs are generated from the table, so a
 * new entry is tested without touching this class. At each entry's sample points (away from its
 * poles, kinks and jumps) the gradient of
 *
 * <pre>
 *   double v = Math.f(x[, y]); return v * v + 0.5 * v;
 * </pre>
 *
 * (a seed that is not a constant, so the guarded products are exercised) matches central
 * differences with step 1e-6 to 1e-6 relative; for an entry with a partial from the result, the
 * same holds where the argument is overwritten, so the reverse sweep takes the partial from the
 * result; and one {@code Target.CUDA} kernel calling every function with a GPU version gives, with
 * the kernels emulated on the CPU, the CPU's gradient to 1e-12 relative.
 */
class MathRulesGradientTest {
  static Class<?> user;
  static Class<?> grad;

  static String params(Rule r) {
    return r.arity() == 1 ? "double x" : "double x, double y";
  }

  static String args(Rule r) {
    return r.arity() == 1 ? "x" : "x, y";
  }

  /** One method per entry, and one more per entry with a partial from the result. */
  static String source() {
    StringBuilder s = new StringBuilder("package demo;\nimport org.rad.annotations.Differentiable;\npublic class Rules {\n");
    for (Rule r : MathRules.all()) {
      s.append(String.format("  @Differentiable static double %s(%s) { double v = Math.%s(%s); return v * v + 0.5 * v; }%n",
          r.name(), params(r), r.name(), args(r)));
      if (r.resultPartial() != null) {
        // a is overwritten in the loop (it carries from one iteration to the next), so the
        // record plan takes the partial of y = f(a) from y rather than record a
        s.append(String.format("""
              @Differentiable(wrt = "x") static double %sFromResult(double[] x) {
                double s = 0;
                double a = 0;
                for (int i = 0; i < x.length; i++) {
                  a = x[i] + a * 1e-3;
                  double y = Math.%s(a);
                  s += y * y + 0.5 * y;
                }
                return s;
              }
            """, r.name(), r.name()));
      }
    }
    return s.append("}\n").toString();
  }

  static Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Rules", source());
    user = compiled.load("demo.Rules");
    grad = compiled.load("demo.RulesGrad");
  }

  static Stream<Rule> rules() {
    return MathRules.all().stream();
  }

  static Stream<Rule> resultRules() {
    return MathRules.all().stream().filter(r -> r.resultPartial() != null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void gradientMatchesCentralDifferences(Rule r) {
    int[] wrt = r.arity() == 1 ? new int[] {0} : new int[] {0, 1};
    GradientHarness h = new GradientHarness(user, grad, r.name(), wrt);
    assertThat(r.samplePoints()).isNotEmpty();
    for (double[] p : r.samplePoints()) {
      Object[] args = r.arity() == 1 ? new Object[] {p[0]} : new Object[] {p[0], p[1]};
      h.check(random -> args.clone(), 1, 1e-6, 1e-6);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resultRules")
  void gradientFromTheResultMatchesCentralDifferences(Rule r) {
    // the argument a is close to x[i]: the sample points are the entry's
    double[] x = r.samplePoints().stream().mapToDouble(p -> p[0]).toArray();
    GradientHarness h = new GradientHarness(user, grad, r.name() + "FromResult", 0);
    h.check(random -> new Object[] {x.clone()}, 1, 1e-6, 1e-6);
    // the reverse sweep takes the partial from y: where the partial from the argument would call
    // a helper (Derivatives.tanh(a)), that call is absent (that the record plan chooses the result
    // for every such entry is ResultDerivativesTest's, on hand-built IR)
    String source = compiled.generatedSource("demo.RulesGrad");
    int at = source.indexOf("static void " + r.name() + "FromResultReverse(");
    assertThat(at).isAtLeast(0);
    String reverse = source.substring(at, source.indexOf("\n  }\n", at));
    for (String helper : r.helpers()) {
      assertThat(reverse).doesNotContain("Derivatives." + helper + "(a)");
    }
  }

  // ---- the GPU path ---------------------------------------------------------------------------

  static List<Rule> gpuRules() {
    return MathRules.all().stream().filter(Rule::onGpu).toList();
  }

  /**
   * One kernel: element i of the result sums f_k(x[k][i]) over the entries k with a GPU version
   * (binary ones take x[k][i] and x[k + 1][i]), each argument row holding the entry's sample
   * points; the rows of x are the entries' arguments, differentiated together.
   */
  static String kernelSource(boolean cuda) {
    List<String> terms = new ArrayList<>();
    int row = 0;
    for (Rule r : gpuRules()) {
      terms.add(r.arity() == 1 ? "Math." + r.name() + "(x[" + row + "][i])"
          : "Math." + r.name() + "(x[" + row + "][i], x[" + (row + 1) + "][i])");
      row += r.arity();
    }
    String target = cuda ? "target = Target.CUDA, " : "";
    return "package demo;\nimport org.rad.annotations.Differentiable;\nimport org.rad.annotations.Target;\n"
        + "public class " + (cuda ? "RulesOnGpu" : "RulesOnCpu") + " {\n"
        + "  @Differentiable(" + target + "wrt = \"x\")\n"
        + "  static double f(double[][] x, int n) {\n"
        + "    double[] p = new double[n];\n"
        + "    for (int i = 0; i < n; i++) {\n"
        + "      p[i] = " + String.join("\n          + ", terms) + ";\n"
        + "    }\n"
        + "    double s = 0;\n"
        + "    for (int i = 0; i < n; i++) {\n"
        + "      s += p[i] * p[i];\n"
        + "    }\n"
        + "    return s;\n"
        + "  }\n}\n";
  }

  /** Row k of x: the sample points of the entry whose argument k is, cycled to n columns. */
  static double[][] kernelArguments(int n) {
    List<double[]> rows = new ArrayList<>();
    for (Rule r : gpuRules()) {
      for (int a = 0; a < r.arity(); a++) {
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
          row[i] = r.samplePoints().get(i % r.samplePoints().size())[a];
        }
        rows.add(row);
      }
    }
    return rows.toArray(new double[0][]);
  }

  @Test
  void everyGpuFunctionRunsInAKernelWithTheCpuGradient() throws Exception {
    assumeTrue(CudaRuntime.emulateForTesting(), "SKIPPED: g++ is not on the PATH, so the kernels cannot be emulated here");
    try {
      Compiled cpuCompiled = Compiled.compile("demo.RulesOnCpu", kernelSource(false));
      Class<?> cpu = cpuCompiled.load("demo.RulesOnCpuGrad");
      Compiled gpuCompiled = Compiled.compile("demo.RulesOnGpu", kernelSource(true));
      Class<?> gpu = gpuCompiled.load("demo.RulesOnGpuGrad");
      assertThat(gpuCompiled.generatedSource("demo.RulesOnGpuGrad")).contains("extern \\\"C\\\" __global__ void f_reverse_");
      int n = 64;
      double[][] x = kernelArguments(n);
      // the CPU program itself against central differences, on 3 columns (every sample point)
      // and with step 1e-5: s is a sum of squares of sums of 30 functions (~3e3), whose rounding
      // (~7e-13) over a step of 1e-6 would be as large as the tolerance
      double[][] few = kernelArguments(3);
      new GradientHarness(cpuCompiled.load("demo.RulesOnCpu"), cpu, "f", 0)
          .check(random -> new Object[] {copy(few), 3}, 1, 1e-5, 1e-6);
      double[][] barCpu = zeros(x);
      double[][] barGpu = zeros(x);
      long launches = org.rad.runtime.cuda.CudaSession.launches();
      double vCpu = (double) gradient(cpu).invoke(null, copy(x), n, barCpu, RadContext.exact());
      double vGpu = (double) gradient(gpu).invoke(null, copy(x), n, barGpu, RadContext.exact());
      assertThat(org.rad.runtime.cuda.CudaSession.launches()).isGreaterThan(launches);
      assertEquals(vCpu, vGpu, 1e-12 * Math.abs(vCpu), "value");
      int row = 0;
      for (Rule r : gpuRules()) {
        for (int a = 0; a < r.arity(); a++, row++) {
          for (int i = 0; i < n; i++) {
            assertEquals(barCpu[row][i], barGpu[row][i], 1e-12 * Math.max(1, Math.abs(barCpu[row][i])),
                "Math." + r.name() + ", argument " + a + ", element " + i);
          }
        }
      }
    } finally {
      CudaRuntime.resetForTesting();
    }
  }

  /** The kernel calls each function by its C name and each partial helper by its prelude twin. */
  @Test
  void theKernelCallsEveryGpuFunctionByItsCName() throws Exception {
    Class<?> gpu = Compiled.compile("demo.RulesOnGpu", kernelSource(true)).load("demo.RulesOnGpuGrad");
    String cuda = (String) gpu.getField("CUDA_SOURCE_F").get(null);
    String kernels = cuda.substring(cuda.indexOf("// ---- kernels"));
    for (Rule r : gpuRules()) {
      assertThat(kernels).contains(" " + r.cName() + "((double) (");
      for (String helper : r.helpers()) {
        assertThat(kernels).contains("rad_d_" + helper + "(");
      }
    }
  }

  @Test
  void theKernelOfEveryGpuFunctionCompilesWithNvcc() throws Exception {
    assumeTrue(Nvcc.available(), "SKIPPED: nvcc is not on the PATH, so the generated CUDA C cannot be compiled here");
    Class<?> gpu = Compiled.compile("demo.RulesOnGpu", kernelSource(true)).load("demo.RulesOnGpuGrad");
    int modules = 0;
    for (Field f : gpu.getDeclaredFields()) {
      if (f.getName().startsWith("CUDA_SOURCE_")) {
        String ptx = Nvcc.ptx("rules", (String) f.get(null), Nvcc.oldestArch());
        assertThat(ptx).contains(".entry");
        modules++;
      }
    }
    assertEquals(1, modules);
  }

  static Method gradient(Class<?> g) {
    for (Method m : g.getDeclaredMethods()) {
      if (m.getName().equals("f") && m.getParameterCount() == 4) {
        return m;
      }
    }
    throw new AssertionError("no gradient method f in " + g + ": "
        + Stream.of(g.getDeclaredMethods()).map(Method::toString).collect(Collectors.joining("\n")));
  }

  static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int k = 0; k < m.length; k++) {
      c[k] = m[k].clone();
    }
    return c;
  }

  static double[][] zeros(double[][] m) {
    double[][] z = new double[m.length][];
    for (int k = 0; k < m.length; k++) {
      z[k] = new double[m[k].length];
    }
    return z;
  }
}
