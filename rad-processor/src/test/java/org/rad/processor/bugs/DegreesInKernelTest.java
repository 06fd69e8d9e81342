package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;
import org.rad.runtime.cuda.CudaRuntime;
import org.rad.runtime.cuda.Nvcc;

/**
 * Math.toRadians and Math.toDegrees were differentiated on the CPU but had no GPU entry (the
 * lists of the frontend and of the CUDA planner had drifted apart), so a {@code Target.CUDA}
 * loop using them was refused ("Math.toRadians has no GPU version here"), and the partial was the
 * literal text {@code (Math.PI / 180)}, which is not C. Both now come from MathRules: the loop is a
 * kernel calling rad_toRadians / rad_toDegrees, whose gradient, emulated, is the CPU's.
 */
class DegreesInKernelTest {
  static String source(boolean cuda) {
    return "package demo;\nimport org.rad.annotations.Differentiable;\nimport org.rad.annotations.Target;\n"
        + "public class " + (cuda ? "DegOnGpu" : "DegOnCpu") + " {\n"
        + "  @Differentiable(" + (cuda ? "target = Target.CUDA, " : "") + "wrt = \"a\")\n"
        + "  static double f(double[] a, int n) {\n"
        + "    double[] p = new double[n];\n"
        + "    for (int i = 0; i < n; i++) {\n"
        + "      p[i] = Math.sin(Math.toRadians(a[i])) * Math.toDegrees(a[i]);\n"
        + "    }\n"
        + "    double s = 0;\n"
        + "    for (int i = 0; i < n; i++) {\n"
        + "      s += p[i];\n"
        + "    }\n"
        + "    return s;\n"
        + "  }\n}\n";
  }

  @Test
  void theLoopIsAKernelThatCompilesWithNvcc() throws Exception {
    Compiled c = Compiled.compile("demo.DegOnGpu", source(true));
    String cuda = (String) c.load("demo.DegOnGpuGrad").getField("CUDA_SOURCE_F").get(null);
    assertThat(cuda).contains("rad_toRadians((double) (a[");
    assertThat(cuda).contains("rad_toDegrees((double) (a[");
    assertThat(cuda).doesNotContain("Math.PI");
    assumeTrue(Nvcc.available(), "SKIPPED: nvcc is not on the PATH, so the generated CUDA C cannot be compiled here");
    assertThat(Nvcc.ptx("degrees", cuda, Nvcc.oldestArch())).contains(".entry");
  }

  @Test
  void emulatedKernelsGiveTheCpuGradient() throws Exception {
    assumeTrue(CudaRuntime.emulateForTesting(), "SKIPPED: g++ is not on the PATH, so the kernels cannot be emulated here");
    try {
      Class<?> cpu = Compiled.compile("demo.DegOnCpu", source(false)).load("demo.DegOnCpuGrad");
      Class<?> gpu = Compiled.compile("demo.DegOnGpu", source(true)).load("demo.DegOnGpuGrad");
      double[] a = new double[40];
      for (int i = 0; i < a.length; i++) {
        a[i] = -170 + 8.5 * i;
      }
      double[] barCpu = new double[a.length];
      double[] barGpu = new double[a.length];
      long launches = org.rad.runtime.cuda.CudaSession.launches();
      double vCpu = (double) gradient(cpu).invoke(null, a.clone(), a.length, barCpu, RadContext.exact());
      double vGpu = (double) gradient(gpu).invoke(null, a.clone(), a.length, barGpu, RadContext.exact());
      assertThat(org.rad.runtime.cuda.CudaSession.launches()).isGreaterThan(launches);
      assertEquals(vCpu, vGpu, 1e-12 * Math.abs(vCpu));
      for (int i = 0; i < a.length; i++) {
        // d/da sin(a pi/180) * a 180/pi = cos(a pi/180) a + sin(a pi/180) 180/pi
        double r = Math.toRadians(a[i]);
        assertEquals(Math.cos(r) * a[i] + Math.sin(r) * (180 / Math.PI), barCpu[i], 1e-12 * 60, "closed form, " + i);
        assertEquals(barCpu[i], barGpu[i], 1e-12 * Math.max(1, Math.abs(barCpu[i])), "element " + i);
      }
    } finally {
      CudaRuntime.resetForTesting();
    }
  }

  static Method gradient(Class<?> g) {
    for (Method m : g.getDeclaredMethods()) {
      if (m.getName().equals("f") && m.getParameterCount() == 4) {
        return m;
      }
    }
    throw new AssertionError("no gradient method f in " + g);
  }
}
