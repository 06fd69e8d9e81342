package org.rad.annotations;

/**
 * Where the gradient of a {@link Differentiable} method runs ({@link Differentiable#target()}).
 */
public enum Target {
  /** Plain Java on the CPU (the default). */
  CPU,
  /**
   * On an NVIDIA GPU when one is present: the processor turns the data-parallel loop nests of the
   * forward and reverse sweeps into CUDA C kernels embedded in the generated class, which
   * {@code org.rad.runtime.cuda} runs through JCuda; outer sequential loops stay on the host and
   * the arrays stay on the device between launches. Without a GPU, a CUDA driver or JCuda, the
   * same generated class runs its CPU code (and says so once). Loops the kernels cannot express
   * are compile errors ({@code [RadCuda]}) at their line.
   */
  CUDA
}
