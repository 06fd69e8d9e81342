package org.rad.runtime.cuda;

import java.util.logging.Logger;

/**
 * Whether the CUDA path can run, decided once per JVM: JCuda on the class path, its native
 * libraries and a CUDA driver loading, and a device of compute capability 6.0 or higher. When not,
 * {@link #session} returns null, the generated class runs its CPU code, and the reason is logged
 * once (logger {@code org.rad.runtime.cuda}, level INFO).
 *
 * <p>The system property {@code rad.cuda} overrides the decision: {@code off} always runs on the
 * CPU; {@code require} throws instead of falling back (for scripts that must measure the GPU).
 */
public final class CudaRuntime {
  private static final Logger LOG = Logger.getLogger("org.rad.runtime.cuda");
  private static final Object LOCK = new Object();
  private static volatile boolean decided;
  private static CudaBackend backend;
  private static String whyNot;

  private CudaRuntime() {}

  /**
   * A session for one gradient call that runs the kernels of {@code source} (loaded once under
   * {@code module}), or null when the CUDA path is not available (then the caller runs its CPU
   * code).
   *
   * @throws IllegalStateException if {@code rad.cuda=require} and no GPU is usable or the module
   *     does not load (without it, a module that does not load, for lack of NVRTC and nvcc say, is
   *     logged once and the method runs on the CPU)
   */
  public static CudaSession session(String module, String source) {
    CudaBackend b = backend();
    if (b == null) {
      if ("require".equals(System.getProperty("rad.cuda"))) {
        throw new IllegalStateException("rad.cuda=require, but the CUDA path is not available: " + whyNot);
      }
      return null;
    }
    if (FAILED.contains(module)) {
      return null;
    }
    try {
      b.load(module, source);
    } catch (RuntimeException | LinkageError e) {
      if ("require".equals(System.getProperty("rad.cuda"))) {
        throw new IllegalStateException("rad.cuda=require, but the CUDA module " + module + " does not load", e);
      }
      // no NVRTC and no nvcc, or a compile error: this method runs on the CPU from now on
      FAILED.add(module);
      LOG.warning("rad: the CUDA module " + module + " does not load (" + e.getMessage() + "); it runs on the CPU");
      return null;
    }
    return new CudaSession(b, module);
  }

  private static final java.util.Set<String> FAILED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Whether the CUDA path is available (deciding it now if not yet done). */
  public static boolean available() {
    return backend() != null;
  }

  /** The device the CUDA path runs on, or why it does not run. */
  public static String describe() {
    CudaBackend b = backend();
    return b != null ? b.describe() : "no GPU: " + whyNot;
  }

  /**
   * For tests without a GPU: from now on every {@code Target.CUDA} gradient runs its GPU path with
   * the kernels compiled by {@code g++} as host C++ and run one thread after another (see
   * EmulatedBackend): the generated host code, device tape and kernel bodies are exercised, not a
   * GPU. Returns false (and changes nothing) when g++ is not on the PATH.
   */
  public static boolean emulateForTesting() {
    try {
      if (!Nvcc.run(java.util.List.of("g++", "--version"), null).startsWith("ok")) {
        return false;
      }
    } catch (java.io.IOException e) {
      return false;
    }
    synchronized (LOCK) {
      backend = new EmulatedBackend();
      whyNot = null;
      decided = true;
    }
    return true;
  }

  /** For tests: forgets the backend; the next use decides again (the GPU, or the CPU code). */
  public static void resetForTesting() {
    synchronized (LOCK) {
      FAILED.clear();
      backend = null;
      decided = false;
    }
  }

  private static CudaBackend backend() {
    if (!decided) {
      synchronized (LOCK) {
        if (!decided) {
          decide();
          decided = true;
        }
      }
    }
    return backend;
  }

  private static void decide() {
    if ("off".equals(System.getProperty("rad.cuda"))) {
      whyNot = "the system property rad.cuda is off";
    } else {
      try {
        Class.forName("jcuda.driver.JCudaDriver", false, CudaRuntime.class.getClassLoader());
        // by reflection, so that nothing links against JCuda before this point
        backend = (CudaBackend) Class.forName("org.rad.runtime.cuda.JCudaBackend").getDeclaredConstructor().newInstance();
      } catch (ClassNotFoundException e) {
        whyNot = "JCuda (org.jcuda:jcuda) is not on the class path";
      } catch (java.lang.reflect.InvocationTargetException e) {
        // no native library, no driver, no device, too old a device
        whyNot = String.valueOf(e.getCause()).lines().findFirst().orElse("").trim();
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        whyNot = e.toString().lines().findFirst().orElse("").trim();
      }
    }
    if (backend == null) {
      LOG.info("rad: the CUDA path is not available (" + whyNot + "); Target.CUDA gradients run on the CPU");
    } else {
      LOG.info("rad: Target.CUDA gradients run on " + backend.describe());
    }
  }
}
