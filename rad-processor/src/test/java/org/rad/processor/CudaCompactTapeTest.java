package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;
import org.rad.runtime.cuda.CudaRuntime;
import org.rad.processor.emit.CudaPrelude;
import org.rad.runtime.cuda.CudaSession;
import org.rad.runtime.cuda.DeviceArray;

/**
 * The compact device tape of sampled records (CudaTapeLayout, CudaSession), with the kernels
 * emulated on the CPU. A kernel with two sampled records and a branch bit gives the CPU's gradient,
 * exactly and for one seed (the same entries kept, found again at the places the layout gives
 * them); in an exact context the device tape is dense, one slot per thread and record; in a seeded
 * one its sampled part holds exactly the entries the CPU's tape holds. The warps' offsets are the
 * exclusive prefix sums of their counts also when the scan takes several levels, and a reverse
 * launch that does not match the forward one is refused.
 */
class CudaCompactTapeTest {
  /** Rows and columns: the kernel runs (N - 1) x (M - 1) threads, in 2 x 5 blocks of 32 x 8. */
  private static final int N = 41;
  private static final int M = 37;
  private static final long THREADS = (long) (N - 1) * (M - 1);

  private static String source(boolean cuda) {
    String cls = cuda ? "OnGpu" : "OnCpu";
    return """
        package demo;

        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        import org.rad.annotations.Target;

        public class CLS {
          @Differentiable(TARGETwrt = "w")
          static double f(double[] w, int n, int m) {
            @Randomize(fraction = 0.3)
            double[][] a = new double[n][m];
            double[][] a2 = new double[n][m];
            @Randomize(fraction = 0.6)
            double[][] b = new double[n][m];
            double[][] b2 = new double[n][m];
            for (int i = 0; i < n; i++) {
              for (int j = 0; j < m; j++) {
                a[i][j] = Math.sin(w[i % 3] + 0.001 * j);
                b[i][j] = Math.cos(0.5 * w[(j + 1) % 3] + 0.002 * i);
              }
            }
            double s = 0;
            // two steps of a stencil-free update: one kernel with two sampled records and a branch bit
            for (int t = 0; t < 2; t++) {
              for (int i = 1; i < n; i++) {
                for (int j = 1; j < m; j++) {
                  a2[i][j] = a[i][j] * w[(i + j + t) % 3] + 0.5 * b[i][j];
                  b2[i][j] = b[i][j] * w[(i + 2 * j) % 3] + Math.max(w[i % 3] * (j % 5), 0.1);
                }
              }
              double[][] swapA = a;
              a = a2;
              a2 = swapA;
              double[][] swapB = b;
              b = b2;
              b2 = swapB;
              for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                  s += a[i][j] * (1 + 0.001 * j) - 0.5 * b[i][j];
                }
              }
            }
            return s / (n * m);
          }
        }
        """.replace("CLS", cls).replace("TARGET", cuda ? "target = Target.CUDA, " : "");
  }

  private static Method gradient(Class<?> grad) {
    for (Method m : grad.getDeclaredMethods()) {
      if (m.getName().equals("f") && m.getParameterCount() == 5) {
        return m;
      }
    }
    throw new AssertionError("no f(w, n, m, wBar, ctx) in " + grad);
  }

  private static double[] run(Method f, RadContext ctx) throws Exception {
    double[] bar = new double[3];
    f.invoke(null, new double[] {0.7, -0.4, 1.1}, N, M, bar, ctx);
    return bar;
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    double norm = 0;
    for (double x : expected) {
      norm = Math.max(norm, Math.abs(x));
    }
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], actual[k], 1e-10 * norm, what + ", component " + k);
    }
  }

  @Test
  void twoSampledRecordsAndABitInOneKernel() throws Exception {
    assumeTrue(CudaRuntime.emulateForTesting(), "SKIPPED: g++ is not on the PATH, so the kernels cannot be emulated here");
    try {
      Method cpu = gradient(Compiled.compile("demo.OnCpu", source(false)).load("demo.OnCpuGrad"));
      Compiled gpuCompiled = Compiled.compile("demo.OnGpu", source(true));
      Method gpu = gradient(gpuCompiled.load("demo.OnGpuGrad"));
      String cuda = (String) gpuCompiled.load("demo.OnGpuGrad").getField("CUDA_SOURCE_F").get(null);
      assertThat(cuda).contains("rad_at1 = rad_at + __popc(rad_mask1 & rad_below);");
      assertThat(cuda).contains("_count(");

      RadContext exactCpu = RadContext.exact();
      assertClose(run(cpu, exactCpu), run(gpu, RadContext.exact()), "exact gradient");
      // dense: two sampled records and a branch bit per thread and step, 8 bytes each
      assertEquals(2 * 3L * 8 * THREADS, CudaSession.lastPeakTapeBytes(), "exact device tape");
      long cpuOther = exactCpu.peakTapeBytes() - 2 * 2L * 8 * THREADS;

      RadContext a = RadContext.seeded(5);
      RadContext b = RadContext.seeded(5);
      for (int call = 0; call < 2; call++) {
        assertClose(run(cpu, a), run(gpu, b), "seeded gradient, call " + call);
        long compact = CudaSession.lastPeakTapeBytes() - 2 * 8L * THREADS;
        long cpuSampled = a.peakTapeBytes() - cpuOther;
        assertEquals(cpuSampled, compact, "the kept entries on the device vs on the CPU, call " + call);
        // about 0.3 + 0.6 kept per thread and step
        assertThat((double) compact / (2 * 8.0 * THREADS)).isWithin(0.05).of(0.9);
      }
    } finally {
      CudaRuntime.resetForTesting();
    }
  }

  /**
   * A module by hand with the convention of generated ones: {@code probe_count} writes the count of
   * warp w (w % 7 + (w % 11 == 0 ? 25 : 0)), {@code probe} copies the offsets the session computed
   * into {@code out}. 300,000 threads are 9,376 warps: the scan of their 9,377 entries takes three
   * levels (9,377, 294 and 10 entries).
   */
  private static final String PROBE = CudaPrelude.all() + """
      extern "C" __global__ void probe_count(long long n, double* out, double* rad_tape, long long rad_base,
          double* rad_warp_offsets) {
        long long g = (long long) blockIdx.x * blockDim.x + threadIdx.x;
        long long w = g >> 5;
        if ((threadIdx.x & 31) == 0) rad_warp_offsets[w] = (double) (w % 7 + (w % 11 == 0 ? 25 : 0));
      }
      extern "C" __global__ void probe(long long n, double* out, double* rad_tape, long long rad_base,
          double* rad_warp_offsets) {
        long long g = (long long) blockIdx.x * blockDim.x + threadIdx.x;
        if (g < n) out[g] = rad_warp_offsets[g];
        if (g == 0) out[n] = (double) rad_base;
      }
      """;

  @Test
  void warpOffsetsArePrefixSumsOverThreeLevelsOfTheScan() {
    assumeTrue(CudaRuntime.emulateForTesting(), "SKIPPED: g++ is not on the PATH, so the kernels cannot be emulated here");
    try (CudaSession cs = CudaRuntime.session("CudaCompactTapeTest.probe", PROBE)) {
      long threads = 300_000;
      int warps = (int) ((threads + 255) / 256 * 8);
      assertEquals(9_376, warps);
      DeviceArray out = cs.zeros(warps + 2);
      Object[] args = {(long) warps + 1, out, CudaSession.TapeArg.TAPE, CudaSession.TapeArg.BASE,
          CudaSession.TapeArg.WARP_OFFSETS};
      cs.launchRecording("probe", threads, -1, "sampled site 0", 0, 1, false, args);
      double[] first = cs.download(out);
      cs.launchRecording("probe", threads, -1, "sampled site 0", 0, 1, false, args);
      double[] offsets = cs.download(out);
      long sum = 0;
      for (int w = 0; w <= warps; w++) {
        assertEquals(sum, (long) offsets[w], "offset of warp " + w);
        sum += w % 7 + (w % 11 == 0 ? 25 : 0);
      }
      long total = (long) offsets[warps];
      assertEquals(0, (long) first[warps + 1], "base of the first launch");
      assertEquals(total, (long) offsets[warps + 1], "base of the second launch: after the first one's kept entries");
      assertEquals(2 * 8 * total, cs.peakTapeBytes());
      // the reverse launches recount the same, release in LIFO order, and must match the forward ones
      cs.launchRegenerating("probe", threads, -1, "sampled site 0", 0, 1, false, args);
      assertEquals(total, (long) cs.download(out)[warps + 1], "base of the second launch, released first");
      IllegalStateException shape = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> cs.launchRegenerating("probe", threads - 256, -1, "sampled site 0", 0, 1, false, args));
      assertThat(shape).hasMessageThat().contains("device tape out of step");
    } finally {
      CudaRuntime.resetForTesting();
    }
  }
}
