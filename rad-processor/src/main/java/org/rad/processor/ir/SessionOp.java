package org.rad.processor.ir;

/**
 * The methods of {@code org.rad.runtime.cuda.CudaSession} (and {@code CudaRuntime.session}) that the
 * host code of a GPU path calls, one constant each: the Java name, whether it is static, and the
 * number of arguments before a trailing {@code Object...} of kernel arguments (or the fixed
 * arity). The emitters write calls through these, and {@code SessionOpTest} checks by reflection
 * that each names a public method of the runtime with that shape, as {@code RuntimeOpTest} does
 * for {@link RuntimeOp} (whose adjoint lookups {@code shadow}, {@code bindShadow} and {@code
 * dropShadow} a session also answers, see {@link RuntimeOp#onCudaSession}).
 */
public enum SessionOp {
  /** {@code CudaRuntime.session(module, source)}: a session, or null where there is no GPU. */
  SESSION("session", Owner.RUNTIME, 2, false),
  /** {@code cs.upload(hostArray)}: a device copy of a caller's array. */
  UPLOAD("upload", Owner.SESSION, 1, false),
  /** {@code cs.zeros(n)} or {@code cs.zeros(rows, cols)}: a new device array of zeros. */
  ZEROS("zeros", Owner.SESSION, 1, false),
  ZEROS_2D("zeros", Owner.SESSION, 2, false),
  /** {@code cs.addInto(hostAdjoint, deviceAdjoint)}: a device adjoint added into the caller's. */
  ADD_INTO("addInto", Owner.SESSION, 2, false),
  /** {@code cs.reduction(k)}: the device sums of a kernel's k reductions. */
  REDUCTION("reduction", Owner.SESSION, 1, false),
  /** {@code cs.download(sums, k)}: the k sums, on the host. */
  DOWNLOAD_SUMS("download", Owner.SESSION, 2, false),
  /** {@code cs.launch(kernel, outer, inner, args...)}: a kernel without records. */
  LAUNCH("launch", Owner.SESSION, 3, true),
  /** {@code cs.launchRecording(kernel, outer, inner, records, dense, sampled, exact, args...)}. */
  LAUNCH_RECORDING("launchRecording", Owner.SESSION, 7, true),
  /** {@code cs.launchRegenerating(...)}, the reverse kernel of the last recording launch. */
  LAUNCH_REGENERATING("launchRegenerating", Owner.SESSION, 7, true),
  /** {@code CudaSession.requireZero(kernel, name, value)}: a reduction's accumulator starts at 0. */
  REQUIRE_ZERO("requireZero", Owner.SESSION_CLASS, 3, false),
  /** {@code CudaSession.requireDistinct(kernel, written, other)}: a kernel's written array is no other argument. */
  REQUIRE_DISTINCT("requireDistinct", Owner.SESSION_CLASS, 3, false),
  /** {@code cs.close()}: frees the session's device memory. */
  CLOSE("close", Owner.SESSION, 0, false);

  /** Who is called: the runtime's factory, a session, or the session class. */
  public enum Owner {
    /** {@code CudaRuntime}, statically. */
    RUNTIME,
    /** A {@code CudaSession} instance ({@code cs}). */
    SESSION,
    /** {@code CudaSession}, statically. */
    SESSION_CLASS
  }

  private final String methodName;
  private final Owner owner;
  private final int arity;
  private final boolean kernelArguments;

  SessionOp(String methodName, Owner owner, int arity, boolean kernelArguments) {
    this.methodName = methodName;
    this.owner = owner;
    this.arity = arity;
    this.kernelArguments = kernelArguments;
  }

  /** The runtime method's name. */
  public String methodName() {
    return methodName;
  }

  public Owner owner() {
    return owner;
  }

  /** The number of arguments, or those before the kernel arguments. */
  public int arity() {
    return arity;
  }

  /** Whether a trailing {@code Object...} carries the kernel's own arguments. */
  public boolean kernelArguments() {
    return kernelArguments;
  }
}
