package org.rad.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Without a usable GPU (no driver here, though JCuda is on this module's test class path) the
 * runtime says why, hands out no session, and never throws unless told to require a GPU.
 */
class CudaRuntimeTest {
  @AfterEach
  void reset() {
    System.clearProperty("rad.cuda");
    CudaRuntime.resetForTesting();
  }

  @Test
  void withoutAGpuThereIsNoSessionAndAReason() {
    CudaRuntime.resetForTesting();
    assumeFalse(CudaRuntime.available(), "a GPU is usable on this machine");
    assertNull(CudaRuntime.session("test", "extern \"C\" __global__ void k() {}"));
    assertTrue(CudaRuntime.describe().startsWith("no GPU: "), CudaRuntime.describe());
  }

  @Test
  void offMeansTheCpuEvenWithAGpu() {
    System.setProperty("rad.cuda", "off");
    CudaRuntime.resetForTesting();
    assertFalse(CudaRuntime.available());
    assertTrue(CudaRuntime.describe().contains("rad.cuda is off"), CudaRuntime.describe());
  }

  @Test
  void aModuleThatDoesNotLoadRunsOnTheCpu() {
    org.junit.jupiter.api.Assumptions.assumeTrue(CudaRuntime.emulateForTesting(), "SKIPPED: no g++ for the emulated backend");
    assertNull(CudaRuntime.session("broken", "this is not CUDA C"));
    assertNull(CudaRuntime.session("broken", "this is not CUDA C"), "and stays on the CPU without trying again");
    System.setProperty("rad.cuda", "require");
    CudaRuntime.resetForTesting();
    CudaRuntime.emulateForTesting();
    assertThrows(IllegalStateException.class, () -> CudaRuntime.session("broken", "this is not CUDA C"));
  }

  @Test
  void requireThrowsInsteadOfFallingBack() {
    System.setProperty("rad.cuda", "off");
    CudaRuntime.resetForTesting();
    assertFalse(CudaRuntime.available());
    System.setProperty("rad.cuda", "require");
    assertThrows(IllegalStateException.class, () -> CudaRuntime.session("test", ""));
  }
}
