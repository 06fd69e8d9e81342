package org.rad.runtime.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceComputeCapability;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * {@link CudaBackend} on the CUDA driver API through JCuda: device 0, one context, modules loaded
 * from PTX. The PTX comes from NVRTC (JCuda's {@code JNvrtc}, which needs the CUDA toolkit's
 * {@code libnvrtc}) when it loads, compiled for the device's own compute capability
 * ({@code compute_XY}); otherwise from {@code <module>.ptx} in the directory named by the system
 * property {@code rad.cuda.ptx} (PTX compiled at build time, which the driver JIT-compiles for the
 * device); otherwise from {@code nvcc --ptx} on the PATH. The device needs compute capability 6.0
 * or higher (the adjoint scatters use {@code atomicAdd} on doubles).
 *
 * <p>Only {@link CudaRuntime} creates it, after checking that JCuda is on the class path; any
 * failure of the constructor (no driver, no device) means "run on the CPU".
 */
final class JCudaBackend implements CudaBackend {
  private final CUcontext context = new CUcontext();
  private final String description;
  private final int major;
  private final int minor;
  private final Map<String, CUmodule> modules = new HashMap<>();
  private final Map<String, CUfunction> functions = new HashMap<>();

  JCudaBackend() {
    JCudaDriver.setExceptionsEnabled(true);
    cuInit(0);
    int[] count = new int[1];
    cuDeviceGetCount(count);
    if (count[0] == 0) {
      throw new IllegalStateException("the CUDA driver reports no device");
    }
    CUdevice device = new CUdevice();
    cuDeviceGet(device, 0);
    int[] ma = new int[1];
    int[] mi = new int[1];
    cuDeviceComputeCapability(ma, mi, device);
    major = ma[0];
    minor = mi[0];
    if (major < 6) {
      throw new IllegalStateException("device 0 has compute capability " + major + "." + minor
          + "; the kernels need 6.0 or higher (atomicAdd on doubles)");
    }
    byte[] name = new byte[256];
    cuDeviceGetName(name, name.length, device);
    int[] driver = new int[1];
    cuDriverGetVersion(driver);
    description = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "")
        + ", sm_" + major + minor + ", driver API " + driver[0] / 1000 + "." + driver[0] % 1000 / 10;
    cuCtxCreate(context, 0, device);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public synchronized void load(String name, String source) {
    if (modules.containsKey(name)) {
      return;
    }
    cuCtxSetCurrent(context);
    String ptx = ptx(name, source);
    CUmodule module = new CUmodule();
    cuModuleLoadData(module, ptx);
    modules.put(name, module);
  }

  /** PTX for {@code source}: NVRTC when its library loads, else nvcc. */
  private String ptx(String name, String source) {
    String arch = "compute_" + major + minor;
    Throwable nvrtcFailure;
    try {
      return Nvrtc.compile(name, source, arch);
    } catch (LinkageError | RuntimeException e) {
      nvrtcFailure = e;
    }
    String dir = System.getProperty("rad.cuda.ptx");
    if (dir != null) {
      java.nio.file.Path file = java.nio.file.Path.of(dir, name + ".ptx");
      if (java.nio.file.Files.isRegularFile(file)) {
        try {
          return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
          throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
    }
    try {
      return Nvcc.ptx(name, source, arch);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("no PTX for " + name + ": NVRTC is not usable (" + nvrtcFailure + ") and " + e.getMessage(), e);
    }
  }

  private CUfunction function(String module, String kernel) {
    String key = module + "/" + kernel;
    CUfunction f = functions.get(key);
    if (f == null) {
      f = new CUfunction();
      cuModuleGetFunction(f, modules.get(module), kernel);
      functions.put(key, f);
    }
    return f;
  }

  @Override
  public synchronized Object alloc(long doubles) {
    cuCtxSetCurrent(context);
    CUdeviceptr p = new CUdeviceptr();
    cuMemAlloc(p, Math.max(1, doubles) * Sizeof.DOUBLE);
    cuMemsetD8(p, (byte) 0, Math.max(1, doubles) * Sizeof.DOUBLE);
    return p;
  }

  @Override
  public synchronized void free(Object pointer) {
    cuCtxSetCurrent(context);
    cuMemFree((CUdeviceptr) pointer);
  }

  @Override
  public synchronized void zero(Object pointer, long doubles) {
    cuCtxSetCurrent(context);
    if (doubles > 0) {
      cuMemsetD8((CUdeviceptr) pointer, (byte) 0, doubles * Sizeof.DOUBLE);
    }
  }

  @Override
  public synchronized void upload(Object pointer, long offset, double[] from) {
    cuCtxSetCurrent(context);
    if (from.length > 0) {
      cuMemcpyHtoD(((CUdeviceptr) pointer).withByteOffset(offset * Sizeof.DOUBLE), Pointer.to(from),
          (long) from.length * Sizeof.DOUBLE);
    }
  }

  @Override
  public synchronized void download(Object pointer, long offset, double[] to) {
    cuCtxSetCurrent(context);
    if (to.length > 0) {
      cuMemcpyDtoH(Pointer.to(to), ((CUdeviceptr) pointer).withByteOffset(offset * Sizeof.DOUBLE),
          (long) to.length * Sizeof.DOUBLE);
    }
  }

  @Override
  public synchronized void copy(Object to, Object from, long doubles) {
    cuCtxSetCurrent(context);
    if (doubles > 0) {
      cuMemcpyDtoD((CUdeviceptr) to, (CUdeviceptr) from, doubles * Sizeof.DOUBLE);
    }
  }

  @Override
  public synchronized void launch(String module, String kernel, int gridX, int gridY, int blockX, int blockY, Object[] args) {
    cuCtxSetCurrent(context);
    Pointer[] params = new Pointer[args.length];
    for (int k = 0; k < args.length; k++) {
      Object a = args[k];
      if (a instanceof Integer i) {
        params[k] = Pointer.to(new int[] {i});
      } else if (a instanceof Long l) {
        params[k] = Pointer.to(new long[] {l});
      } else if (a instanceof Double d) {
        params[k] = Pointer.to(new double[] {d});
      } else if (a instanceof CUdeviceptr p) {
        params[k] = Pointer.to(p);
      } else {
        throw new IllegalArgumentException("kernel argument " + k + " of " + kernel + ": " + a);
      }
    }
    cuLaunchKernel(function(module, kernel), gridX, gridY, 1, blockX, blockY, 1, 0, null, Pointer.to(params), null);
  }

  @Override
  public synchronized void synchronize() {
    cuCtxSetCurrent(context);
    cuCtxSynchronize();
  }
}
