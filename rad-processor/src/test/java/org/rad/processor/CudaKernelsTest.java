package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;
import org.rad.runtime.cuda.CudaRuntime;
import org.rad.runtime.cuda.Nvcc;

/**
 * {@code target = Target.CUDA}: which loop nests become kernels, that every generated module
 * compiles with {@code nvcc --ptx} (skipped, and saying so, where nvcc is missing), that the
 * generated class runs its CPU code with the CPU's gradient where no GPU is usable, and that loops
 * a kernel cannot express are {@code [RadCuda]} errors at their line.
 */
class CudaKernelsTest {
  /** A method compiled twice: as written (CPU) and with target = Target.CUDA. */
  record Case(String name, String members, String method, Object[] args, int wrtIndex) {
    @Override
    public String toString() {
      return name;
    }

    String source(boolean cuda) {
      String cls = cuda ? "OnGpu" : "OnCpu";
      return "package demo;\n\nimport org.rad.annotations.Differentiable;\nimport org.rad.annotations.Randomize;\n"
          + "import org.rad.annotations.Target;\n\npublic class " + cls + " {\n"
          + members.stripIndent().replace("@Differentiable(", cuda ? "@Differentiable(target = Target.CUDA, " : "@Differentiable(")
          + "}\n";
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("dot product: a map and a reduction over one loop", """
            @Differentiable(wrt = "w")
            static double f(double[] w, double[] x, int n) {
              double[] p = new double[n];
              for (int i = 0; i < n; i++) {
                p[i] = Math.log1p(Math.exp(w[i] * x[i])) + Math.sqrt(w[i] * w[i] + 1);
              }
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += p[i] * p[i];
              }
              return s;
            }
            """, "f", new Object[] {new double[] {0.3, -1.2, 2.0, 0.7}, new double[] {1.0, 0.5, -0.25, 2.0}, 4}, 0),
        new Case("heat equation: time loop on the host, stencil kernels, sampled records", """
            static double k(double[] a, double x) {
              return a[0] + a[1] * Math.cos(x) + a[2] * x * x;
            }

            @Differentiable(wrt = "a")
            static double f(double[] a, int n, int steps) {
              double h = 1.0 / n;
              @Randomize(fraction = 0.3)
              double[][] u = new double[n + 1][n + 1];
              double[][] v = new double[n + 1][n + 1];
              for (int i = 0; i <= n; i++) {
                for (int j = 0; j <= n; j++) {
                  u[i][j] = Math.sin(Math.PI * i * h) * Math.sin(Math.PI * j * h);
                }
              }
              double total = 0;
              for (int s = 1; s <= steps; s++) {
                for (int i = 1; i < n; i++) {
                  double c = k(a, i * h);
                  for (int j = 1; j < n; j++) {
                    v[i][j] = u[i][j] + 0.1 * (u[i + 1][j] + u[i - 1][j] + u[i][j + 1] + u[i][j - 1] - 4 * u[i][j])
                        + 0.01 * c * u[i][j];
                  }
                }
                double[][] t = u;
                u = v;
                v = t;
                double e = 0;
                for (int i = 0; i <= n; i++) {
                  for (int j = 0; j <= n; j++) {
                    double d = u[i][j] - 0.25 * Math.sin(i * h + s);
                    e += d * d;
                  }
                }
                total += e / steps;
              }
              return total;
            }
            """, "f", new Object[] {new double[] {0.5, -0.2, 0.1}, 6, 5}, 0),
        new Case("two inner loops of one outer loop: one kernel each, the last one adds the outer scalar's adjoint, Math.max's branch bits on the device tape", """
            @Differentiable(wrt = "w")
            static double f(double[] w, int n, int m) {
              double[][] a = new double[n][m];
              double[][] b = new double[n][m];
              for (int i = 0; i < n; i++) {
                double scale = Math.cos(w[i]);
                for (int j = 0; j < m; j++) {
                  a[i][j] = w[i] * scale * (j + 1);
                }
                for (int k = m - 1; k >= 0; k--) {
                  b[i][k] = Math.exp(0.1 * a[i][k]) * Math.max(a[i][k], 0.25) + Math.abs(w[(i + k) % n]);
                }
              }
              double s = 0;
              for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                  s -= b[i][j] / (1 + j);
                }
              }
              return s;
            }
            """, "f", new Object[] {new double[] {0.5, -0.2, 0.1, 1.3, -0.7}, 5, 4}, 0),
        new Case("a buffer allocated per time step (a fresh array local on the CPU path)", """
            @Differentiable(wrt = "w")
            static double f(double[] w, double[] x, int n, int steps) {
              double s = 0;
              for (int t = 0; t < steps; t++) {
                double[] p = new double[n];
                for (int i = 0; i < n; i++) {
                  p[i] = Math.sin(w[i] * x[i] + t);
                }
                for (int i = 0; i < n; i++) {
                  s += p[i] * p[i] * w[i];
                }
              }
              return s;
            }
            """, "f", new Object[] {new double[] {0.3, -1.2, 2.0, 0.7}, new double[] {1.0, 0.5, -0.25, 2.0}, 4, 3}, 0),
        new Case("integer bit operations in a kernel: shift counts mod 32, >>> unsigned, ~, & | ^", """
            @Differentiable(wrt = "w")
            static double f(double[] w, int n) {
              double[] p = new double[n];
              for (int i = 0; i < n; i++) {
                int h = (i * 0x9E3779B1) ^ (i >>> 3);
                int bucket = ((h >>> 28) & 3) | (i << 33 >> 31 & 1);
                long l = ((long) h << 40) >>> 60;
                p[i] = w[i] * w[i] * (1 + bucket + l) + ((~i & 1) == 0 ? w[i] : 0.0);
              }
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += p[i];
              }
              return s;
            }
            """, "f", new Object[] {new double[] {0.3, -1.2, 2.0, 0.7, 1.1, -0.4}, 6}, 0));
  }

  private static Object[] withBar(Object[] args, int wrt, double[] bar, RadContext ctx) {
    Object[] all = new Object[args.length + (ctx == null ? 1 : 2)];
    for (int k = 0; k < args.length; k++) {
      all[k] = args[k] instanceof double[] d ? d.clone() : args[k];
    }
    all[args.length] = bar;
    if (ctx != null) {
      all[args.length + 1] = ctx;
    }
    return all;
  }

  private static Method gradient(Class<?> grad, String name, int arity) {
    for (Method m : grad.getDeclaredMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == arity) {
        return m;
      }
    }
    throw new AssertionError("no " + name + " with " + arity + " parameters in " + grad);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void cpuFallbackGivesTheCpuGradient(Case c) throws Exception {
    assumeTrue(!CudaRuntime.available(), "a GPU is usable here: the CPU fallback is not what runs");
    Class<?> cpu = Compiled.compile("demo.OnCpu", c.source(false)).load("demo.OnCpuGrad");
    Class<?> gpu = Compiled.compile("demo.OnGpu", c.source(true)).load("demo.OnGpuGrad");
    int arity = c.args().length + 2;
    for (RadContext[] ctx : List.of(new RadContext[] {RadContext.exact(), RadContext.exact()},
        new RadContext[] {RadContext.seeded(7), RadContext.seeded(7)})) {
      double[] barCpu = new double[((double[]) c.args()[c.wrtIndex()]).length];
      double[] barGpu = barCpu.clone();
      double vCpu = (double) gradient(cpu, c.method(), arity).invoke(null, withBar(c.args(), c.wrtIndex(), barCpu, ctx[0]));
      double vGpu = (double) gradient(gpu, c.method(), arity).invoke(null, withBar(c.args(), c.wrtIndex(), barGpu, ctx[1]));
      assertEquals(vCpu, vGpu, 0.0, "value");
      assertArrayEquals(barCpu, barGpu, 0.0, "gradient (bit for bit: the fallback runs the CPU code)");
    }
  }

  /**
   * The GPU path itself (host launches, device tape, swaps, adjoints, reductions, kernel bodies),
   * with the kernels compiled as host C++ and run one thread after another: the same gradient as
   * the CPU to 1e-10 relative, exactly and with one seed (so the same records are kept).
   */
  @ParameterizedTest
  @MethodSource("cases")
  void emulatedGpuPathGivesTheCpuGradient(Case c) throws Exception {
    assumeTrue(CudaRuntime.emulateForTesting(), "SKIPPED: g++ is not on the PATH, so the kernels cannot be emulated here");
    try {
      Class<?> cpu = Compiled.compile("demo.OnCpu", c.source(false)).load("demo.OnCpuGrad");
      Class<?> gpu = Compiled.compile("demo.OnGpu", c.source(true)).load("demo.OnGpuGrad");
      int arity = c.args().length + 2;
      long launches = org.rad.runtime.cuda.CudaSession.launches();
      for (long seed : new long[] {-1, 7, 8}) {
        RadContext a = seed < 0 ? RadContext.exact() : RadContext.seeded(seed);
        RadContext b = seed < 0 ? RadContext.exact() : RadContext.seeded(seed);
        for (int call = 0; call < 2; call++) {
          double[] barCpu = new double[((double[]) c.args()[c.wrtIndex()]).length];
          double[] barGpu = barCpu.clone();
          double vCpu = (double) gradient(cpu, c.method(), arity).invoke(null, withBar(c.args(), c.wrtIndex(), barCpu, a));
          double vGpu = (double) gradient(gpu, c.method(), arity).invoke(null, withBar(c.args(), c.wrtIndex(), barGpu, b));
          assertEquals(vCpu, vGpu, 1e-10 * Math.abs(vCpu), "value, seed " + seed);
          double norm = 0;
          for (double x : barCpu) {
            norm = Math.max(norm, Math.abs(x));
          }
          for (int k = 0; k < barCpu.length; k++) {
            assertEquals(barCpu[k], barGpu[k], 1e-10 * norm, "gradient component " + k + ", seed " + seed + ", call " + call);
          }
        }
      }
      assertThat(org.rad.runtime.cuda.CudaSession.launches()).isGreaterThan(launches);
    } finally {
      CudaRuntime.resetForTesting();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyGeneratedModuleCompilesWithNvcc(Case c) throws Exception {
    assumeTrue(Nvcc.available(), "SKIPPED: nvcc is not on the PATH, so the generated CUDA C cannot be compiled here");
    Compiled compiled = Compiled.compile("demo.OnGpu", c.source(true));
    Class<?> gpu = compiled.load("demo.OnGpuGrad");
    int modules = 0;
    for (Field f : gpu.getDeclaredFields()) {
      if (f.getName().startsWith("CUDA_SOURCE_")) {
        String ptx = Nvcc.ptx(c.name(), (String) f.get(null), Nvcc.oldestArch());
        assertThat(ptx).contains(".entry");
        modules++;
      }
    }
    assertEquals(1, modules, "modules in " + compiled.generatedSource("demo.OnGpuGrad"));
  }

  @Test
  void theHeatKernelsAreTheNestsInsideTheTimeLoop() throws Exception {
    Compiled compiled = Compiled.compile("demo.OnGpu", cases().toList().get(1).source(true));
    String java = compiled.generatedSource("demo.OnGpuGrad");
    String cuda = (String) compiled.load("demo.OnGpuGrad").getField("CUDA_SOURCE_F").get(null);
    // initialisation, the record loop and the stencil, the sum; reverse: sum, stencil, zeroing
    assertThat(cuda).contains("extern \"C\" __global__ void f_forward_3(");
    assertThat(cuda).contains("extern \"C\" __global__ void f_reverse_2(");
    assertThat(cuda).contains("rad_reduce_add(&rad_red[0], e)");
    // the stencil's old values: dense in an exact context, only the kept ones (compact) in a seeded one
    assertThat(cuda).contains("if (rad_exact) rad_tape[rad_sampled_base + 0LL * rad_total + rad_slot] = ");
    assertThat(cuda).contains("; else if (rad_kept0) rad_tape[rad_at0] = rad_scaled_value(");
    assertThat(cuda).contains("unsigned rad_mask0 = __ballot_sync(0xffffffffu, rad_kept0);");
    assertThat(cuda).contains("extern \"C\" __global__ void f_forward_1_count(");
    assertThat(cuda).contains("(rad_exact ? rad_tape[rad_sampled_base + 0LL * rad_total + rad_slot] : rad_kept0 ? rad_tape[rad_at0] : 0.0)");
    assertThat(cuda).contains("atomicAdd(&uBar[");
    assertThat(cuda).contains("rad_fn_kReverse(");
    assertThat(java).contains("for (s = 1; s <= steps; s++)");
    assertThat(java).contains("cs.launch(\"f_forward_2\"");
    assertThat(java).contains("cs.launchRecording(\"f_forward_");
    assertThat(java).contains("cs.launchRegenerating(\"f_reverse_");
  }

  /** A module longer than a class-file string constant may be (64 KB) is still one field. */
  @Test
  void aLongModuleIsOneField() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int k = 0; k < 80; k++) {
      body.append("    for (int i = 0; i < n; i++) {\n      a[i] = a[i] * 0.5 + Math.sin(w[i] * ").append(k + 1).append(");\n    }\n");
    }
    String members = "@Differentiable(wrt = \"w\")\nstatic double f(double[] w, int n) {\n  double[] a = new double[n];\n"
        + body + "  double s = 0;\n  for (int i = 0; i < n; i++) {\n    s += a[i];\n  }\n  return s;\n}\n";
    Case big = new Case("eighty loops", members, "f", new Object[] {new double[] {0.1, 0.2, 0.3}, 3}, 0);
    Compiled compiled = Compiled.compile("demo.OnGpu", big.source(true));
    String cuda = (String) compiled.load("demo.OnGpuGrad").getField("CUDA_SOURCE_F").get(null);
    assertThat(cuda.length()).isGreaterThan(65_535);
    assertThat(compiled.generatedSource("demo.OnGpuGrad")).contains("String.join(\"\",");
    cpuFallbackGivesTheCpuGradient(big);
  }

  /** Only the overload that asks for the GPU gets a module. */
  @Test
  void theSwitchIsPerOverload() throws Exception {
    String members = """
        @Differentiable(wrt = "w", target = org.rad.annotations.Target.CUDA)
        static double f(double[] w, int n) {
          double[] a = new double[n];
          for (int i = 0; i < n; i++) {
            a[i] = w[i] * w[i];
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += a[i];
          }
          return s;
        }

        @Differentiable(wrt = "w")
        static double f(double[] w, double n) {
          return w[0] * n;
        }
        """;
    Compiled compiled = Compiled.compile("demo.Rejected", new RejectionTest.Rejected("overloads", "", members).source());
    String java = compiled.generatedSource("demo.RejectedGrad");
    assertThat(java).contains("CUDA_SOURCE_F =");
    assertThat(java).doesNotContain("CUDA_SOURCE_F2");
  }

  @Test
  void branchBitsGoOnTheDeviceTape() throws Exception {
    Compiled compiled = Compiled.compile("demo.OnGpu", cases().toList().get(2).source(true));
    String cuda = (String) compiled.load("demo.OnGpuGrad").getField("CUDA_SOURCE_F").get(null);
    assertThat(cuda).contains(" ? 1.0 : 0.0;");
    assertThat(cuda).contains("] != 0.0)");
    assertThat(compiled.generatedSource("demo.OnGpuGrad")).contains("\"bit\", 1, 0, ctx.isExact(), ");
  }

  static Stream<RejectionTest.Rejected> rejected() {
    return Stream.of(
        new RejectionTest.Rejected("carried array dependence", "[RadCuda] this loop, which uses the GPU array a,", """
            @Differentiable(wrt = "w", target = org.rad.annotations.Target.CUDA)
            static double f(double[] w, int n) {
              double[] a = new double[n];
              for (int i = 0; i < n; i++) {
                a[i] = w[i] * w[i];
              }
              for (int i = 1; i < n; i++) { // <- here
                a[i] = a[i] + 0.5 * a[i - 1];
              }
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += a[i];
              }
              return s;
            }
            """),
        new RejectionTest.Rejected("scalar carried across iterations", "the loop carries p from one iteration to the next", """
            @Differentiable(wrt = "w", target = org.rad.annotations.Target.CUDA)
            static double f(double[] w, int n) {
              double[] a = new double[n];
              for (int i = 0; i < n; i++) {
                a[i] = w[i] * w[i];
              }
              double p = 1;
              for (int i = 0; i < n; i++) { // <- here
                p = p * 0.5 + a[i];
              }
              return p;
            }
            """),
        new RejectionTest.Rejected("value left by the last iteration (recorded before each overwrite)", "the loop carries t", """
            @Differentiable(wrt = "w", target = org.rad.annotations.Target.CUDA)
            static double f(double[] w, int n) {
              double[] a = new double[n];
              double t = 0;
              for (int i = 0; i < n; i++) { // <- here
                t = i * 0.5;
                a[i] = t * w[i];
              }
              double s = t;
              for (int i = 0; i < n; i++) {
                s += a[i];
              }
              return s;
            }
            """),
        new RejectionTest.Rejected("an int[] index array in a kernel", "only double[] and double[][] arrays live on the GPU", """
            @Differentiable(wrt = "w", target = org.rad.annotations.Target.CUDA)
            static double f(double[] w, int[] idx, int n) {
              double[] a = new double[n];
              for (int i = 0; i < n; i++) { // <- here
                a[i] = w[idx[i]] * w[i];
              }
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += a[i];
              }
              return s;
            }
            """),
        new RejectionTest.Rejected("nothing parallel", "[RadCuda] the method f cannot run on the GPU", """
            @Differentiable(target = org.rad.annotations.Target.CUDA)
            static double f(double x) { // <- here
              return x * x;
            }
            """));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void loopsAKernelCannotExpressAreErrorsAtTheirLine(RejectionTest.Rejected r) {
    Compilation c = Compiled.compileExpectingFailure("demo.Rejected", r.source());
    List<Diagnostic<? extends javax.tools.JavaFileObject>> errors = c.errors();
    assertThat(errors).isNotEmpty();
    String all = errors.toString();
    assertThat(all).contains(r.message());
    assertThat(all).doesNotContain("RadInternal");
    assertEquals(r.line(), errors.get(0).getLineNumber(), all);
  }
}
