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
    // forward: initialisation (2), records, stencil, loss; reverse: loss, stencil, zeroing
    assertEquals(8, ptx.split("\\.entry ", -1).length - 1, "kernels in the PTX");
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
}
