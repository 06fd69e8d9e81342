package org.rad.samples.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;
import org.rad.runtime.cuda.CudaRuntime;
import org.rad.runtime.cuda.CudaSession;
import org.rad.runtime.cuda.Nvcc;

/**
 * The reactor with target = CUDA: its module compiles with nvcc, its CPU fallback is the CPU
 * gradient bit for bit, and its GPU path (kernels emulated on the CPU, one thread after another)
 * gives the CPU gradient to 1e-10 relative, exactly and with one seed.
 */
class ReactorCudaTest {
  private static final double[] THETA = ReactorGradientTest.THETA;

  @Test
  void moduleCompilesWithNvcc() {
    assumeTrue(Nvcc.available(), "SKIPPED: nvcc is not on the PATH, so ReactorCudaGrad's CUDA C cannot be compiled here");
    String ptx = Nvcc.ptx("ReactorCudaGrad", ReactorCudaGrad.CUDA_SOURCE_LOSS, Nvcc.oldestArch());
    // forward: initialisation (2), records and their count, stencil, loss; reverse: loss, stencil and
    // its count, zeroing; the two kernels of the scan of the warps' counts
    assertEquals(12, ptx.split("\\.entry ", -1).length - 1, "kernels in the PTX");
  }

  @Test
  void cpuFallbackIsTheCpuGradient() {
    assumeTrue(!CudaRuntime.available(), "a GPU is usable here: the fallback is not what runs");
    for (boolean exact : new boolean[] {true, false}) {
      RadContext a = exact ? RadContext.exact() : RadContext.seeded(3);
      RadContext b = exact ? RadContext.exact() : RadContext.seeded(3);
      double[] cpu = new double[7];
      double[] gpu = new double[7];
      double vc = ReactorGrad.loss(THETA.clone(), 8, 60, 1.0 / 4096, cpu, a);
      double vg = ReactorCudaGrad.loss(THETA.clone(), 8, 60, 1.0 / 4096, gpu, b);
      assertEquals(vc, vg, 0.0);
      assertArrayEquals(cpu, gpu, 0.0);
    }
  }

  @Test
  void emulatedGpuPathIsTheCpuGradient() {
    assumeTrue(CudaRuntime.emulateForTesting(), "SKIPPED: g++ is not on the PATH, so the kernels cannot be emulated here");
    try {
      long launches = CudaSession.launches();
      for (int mode = 0; mode < 3; mode++) {
        RadContext a = mode == 0 ? RadContext.exact() : mode == 1 ? RadContext.seeded(42) : RadContext.seeded(5).withFraction(0.3);
        RadContext b = mode == 0 ? RadContext.exact() : mode == 1 ? RadContext.seeded(42) : RadContext.seeded(5).withFraction(0.3);
        for (int call = 0; call < 2; call++) {
          double[] cpu = new double[7];
          double[] gpu = new double[7];
          double vc = ReactorGrad.loss(THETA.clone(), 8, 12, 1.0 / 4096, cpu, a);
          double vg = ReactorCudaGrad.loss(THETA.clone(), 8, 12, 1.0 / 4096, gpu, b);
          assertEquals(vc, vg, 1e-10 * Math.abs(vc));
          double rel = ReactorGpuCheckCommand.relative(cpu, gpu);
          assertTrue(rel <= 1e-10, "mode " + mode + ", call " + call + ": relative difference " + rel);
        }
      }
      assertTrue(CudaSession.launches() > launches, "the GPU path ran");
    } finally {
      CudaRuntime.resetForTesting();
    }
  }

  /**
   * The compact device tape (kernels emulated on the CPU): in an exact context one slot per
   * recorded cell and step, as before; in a seeded one only the kept entries, so that at f = 0.1
   * and f = 0.01 the device tape is within 1.5x of what the CPU's tape holds for its sampled
   * records, with the CPU's gradient for the same seed (the same entries kept).
   */
  @Test
  void compactDeviceTapeHoldsWhatTheCpuTapeHolds() {
    assumeTrue(CudaRuntime.emulateForTesting(), "SKIPPED: g++ is not on the PATH, so the kernels cannot be emulated here");
    try {
      int n = 24;
      int steps = 16;
      double dt = 1.0 / 4096;
      long records = (long) steps * (n - 1) * (n - 1);
      // exact: the dense layout, 8 bytes per recorded cell and step, and the CPU's gradient
      RadContext exactCpu = RadContext.exact();
      double[] cpu = new double[7];
      double[] gpu = new double[7];
      ReactorGrad.loss(THETA.clone(), n, steps, dt, cpu, exactCpu);
      ReactorCudaGrad.loss(THETA.clone(), n, steps, dt, gpu, RadContext.exact());
      assertTrue(ReactorGpuCheckCommand.relative(cpu, gpu) <= 1e-10, "exact gradient");
      assertEquals(8 * records, CudaSession.lastPeakTapeBytes(), "exact device tape");
      // what the CPU's tape holds besides its sampled records (references, buffers), the same in every context
      long cpuOther = exactCpu.peakTapeBytes() - 8 * records;
      for (double f : new double[] {0.1, 0.01}) {
        RadContext a = RadContext.seeded(11).withFraction(f);
        RadContext b = RadContext.seeded(11).withFraction(f);
        java.util.Arrays.fill(cpu, 0);
        java.util.Arrays.fill(gpu, 0);
        ReactorGrad.loss(THETA.clone(), n, steps, dt, cpu, a);
        ReactorCudaGrad.loss(THETA.clone(), n, steps, dt, gpu, b);
        double rel = ReactorGpuCheckCommand.relative(cpu, gpu);
        assertTrue(rel <= 1e-10, "f=" + f + ": relative difference " + rel + " (not the same entries kept?)");
        long device = CudaSession.lastPeakTapeBytes();
        long cpuSampled = a.peakTapeBytes() - cpuOther;
        double ratio = (double) device / cpuSampled;
        System.out.printf(java.util.Locale.ROOT, "f=%s: device tape %d bytes, CPU sampled tape %d bytes, ratio %.3f"
            + " (exact: %d bytes)%n", f, device, cpuSampled, ratio, 8 * records);
        assertTrue(cpuSampled > 0 && cpuSampled < 8 * records * 3 * f, "f=" + f + ": CPU sampled tape " + cpuSampled);
        assertTrue(ratio <= 1.5 && ratio >= 1 / 1.5, "f=" + f + ": device tape " + device + " bytes vs the CPU's sampled "
            + cpuSampled);
      }
    } finally {
      CudaRuntime.resetForTesting();
    }
  }
}
