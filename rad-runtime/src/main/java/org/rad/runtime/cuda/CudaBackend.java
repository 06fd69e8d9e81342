package org.rad.runtime.cuda;

/**
 * What the CUDA path needs from a GPU: the seam between {@link CudaSession} (device-independent
 * bookkeeping) and {@link JCudaBackend} (the JCuda driver API), so that nothing that generated code
 * loads links against JCuda.
 */
interface CudaBackend {
  /** A human-readable name of the device ("NVIDIA H100 80GB HBM3, sm_90, driver 12.6"). */
  String describe();

  /** Loads {@code source} (CUDA C, one module) once, under {@code name}. */
  void load(String name, String source);

  Object alloc(long doubles);

  void free(Object pointer);

  void zero(Object pointer, long doubles);

  void upload(Object pointer, long offset, double[] from);

  void download(Object pointer, long offset, double[] to);

  void copy(Object to, Object from, long doubles);

  /**
   * Launches {@code kernel} of module {@code module} on a grid of {@code gridX x gridY} blocks of
   * {@code blockX x blockY} threads; {@code args} are Integer, Long, Double or the pointers of
   * device arrays, in the kernel's parameter order.
   */
  void launch(String module, String kernel, int gridX, int gridY, int blockX, int blockY, Object[] args);

  void synchronize();
}
