package org.rad.samples.reactor;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rad.runtime.RadContext;
import org.rad.runtime.cuda.CudaRuntime;
import org.rad.runtime.cuda.CudaSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The GPU check of the CUDA path (bin/cuda-gpu-check runs it on a GPU machine): the reactor's
 * exact gradient on the GPU ({@link ReactorCuda}, target = CUDA) against the CPU's
 * ({@link Reactor}) to 1e-10 relative; a randomized gradient with one seed on both (equal only if
 * both keep the same records); the device tape, exact and at f = 0.01, against what the CPU's tape
 * holds for the sampled records (within 1.5x); and the gradient's time on each at N = 32, 128, 512.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
    description = "The reactor gradient on the GPU (Target.CUDA) against the CPU, and their times.")
public final class ReactorGpuCheckCommand implements Callable<Integer> {
  @Option(names = "--steps", description = "Time steps of the exactness checks (N=32, dt=1/4096). Default: ${DEFAULT-VALUE}.")
  int steps = 4096;

  @Option(names = "--timing-steps", description = "Time steps of the timings (dt = dx^2 / 4, stable at every N). Default: ${DEFAULT-VALUE}.")
  int timingSteps = 256;

  @Option(names = "--grids", split = ",", description = "Grids N of the timings. Default: 32,128,512.")
  int[] grids = {32, 128, 512};

  @Option(names = "--runs", description = "Timed runs per size (after one warm-up; the median is printed). Default: ${DEFAULT-VALUE}.")
  int runs = 3;

  @Option(names = "--seed", description = "Seed of the randomized check. Default: ${DEFAULT-VALUE}.")
  long seed = 42;

  @Option(names = "--allow-cpu", description = "Run even without a GPU (the CUDA path then runs its CPU code; for trying the script).")
  boolean allowCpu;

  @Option(names = "--emulate", description = "Run the kernels on the CPU, compiled by g++ as host C++ (a test of the"
      + " generated code without a GPU; its times say nothing about a GPU).")
  boolean emulate;

  @Option(names = "--write-ptx", paramLabel = "DIR", description = "Only compile the reactor's CUDA module with the local"
      + " nvcc into DIR/ReactorCudaGrad.loss.ptx (for -Drad.cuda.ptx=DIR on a machine without NVRTC or nvcc), and exit.")
  java.nio.file.Path writePtx;

  @Override
  public Integer call() throws java.io.IOException {
    if (writePtx != null) {
      String arch = org.rad.runtime.cuda.Nvcc.oldestArch();
      java.nio.file.Files.createDirectories(writePtx);
      java.nio.file.Path file = writePtx.resolve("ReactorCudaGrad.loss.ptx");
      java.nio.file.Files.writeString(file, org.rad.runtime.cuda.Nvcc.ptx("ReactorCudaGrad.loss", ReactorCudaGrad.CUDA_SOURCE_LOSS, arch));
      System.out.println("wrote " + file + " (" + arch + ")");
      return 0;
    }
    if (emulate && !CudaRuntime.emulateForTesting()) {
      System.out.println("FAIL: --emulate needs g++ on the PATH");
      return 2;
    }
    System.out.println("CUDA path: " + CudaRuntime.describe());
    if (!CudaRuntime.available() && !allowCpu) {
      System.out.println("FAIL: no GPU is usable, so nothing here would run on one (--allow-cpu runs anyway)");
      return 2;
    }
    boolean ok = true;
    int n = 32;
    double[] theta = ReactorProblem.initialTheta();
    long before = CudaSession.launches();
    double[] cpu = new double[7];
    double[] gpu = new double[7];
    RadContext exactCpu = RadContext.exact();
    double vc = ReactorGrad.loss(theta.clone(), n, steps, ReactorProblem.DT, cpu, exactCpu);
    double vg = ReactorCudaGrad.loss(theta.clone(), n, steps, ReactorProblem.DT, gpu, RadContext.exact());
    long deviceExact = CudaSession.lastPeakTapeBytes();
    double rel = relative(cpu, gpu);
    System.out.printf(Locale.ROOT, "exact gradient, N=%d, S=%d: loss CPU %.15e GPU %.15e; gradient max relative difference %.2e (kernel launches: %d)%n",
        n, steps, vc, vg, rel, CudaSession.launches() - before);
    System.out.println("  CPU " + Arrays.toString(cpu));
    System.out.println("  GPU " + Arrays.toString(gpu));
    if (!(rel <= 1e-10) || Math.abs(vc - vg) > 1e-10 * Math.abs(vc)) {
      System.out.println("FAIL: the GPU's exact gradient differs from the CPU's by more than 1e-10 relative");
      ok = false;
    }
    RadContext a = RadContext.seeded(seed);
    RadContext b = RadContext.seeded(seed);
    long deviceSampled = 0;
    long cpuSampled = 0;
    for (int call = 0; call < 2; call++) {
      Arrays.fill(cpu, 0);
      Arrays.fill(gpu, 0);
      ReactorGrad.loss(theta.clone(), n, steps, ReactorProblem.DT, cpu, a);
      ReactorCudaGrad.loss(theta.clone(), n, steps, ReactorProblem.DT, gpu, b);
      double r = relative(cpu, gpu);
      System.out.printf(Locale.ROOT, "randomized gradient (f=0.01, seed %d, call %d): max relative difference %.2e%n", seed, call, r);
      if (!(r <= 1e-10)) {
        System.out.println("FAIL: with one seed the GPU and the CPU kept different records (or computed differently)");
        ok = false;
      }
      deviceSampled = CudaSession.lastPeakTapeBytes();
      // what the CPU's tape holds for its sampled records: all but what its exact tape holds besides them
      // (its exact tape holds every record, the device's exact tape exactly those)
      cpuSampled = a.peakTapeBytes() - (exactCpu.peakTapeBytes() - deviceExact);
    }
    if (deviceExact > 0) {
      double ratio = (double) deviceSampled / cpuSampled;
      System.out.printf(Locale.ROOT, "device tape, N=%d, S=%d: exact %d bytes, f=0.01 %d bytes (%.4f of exact);"
          + " CPU tape of the sampled records at f=0.01: %d bytes; device / CPU %.3f%n", n, steps, deviceExact,
          deviceSampled, (double) deviceSampled / deviceExact, cpuSampled, ratio);
      if (!(ratio <= 1.5 && ratio >= 1 / 1.5)) {
        System.out.println("FAIL: the compact device tape is not within 1.5x of the CPU's sampled tape");
        ok = false;
      }
    }
    System.out.printf(Locale.ROOT, "%ngradient time, S=%d steps with dt = dx^2/4, median of %d after a warm-up%n", timingSteps, runs);
    System.out.println("| N | CPU ms | GPU ms | CPU / GPU |");
    System.out.println("|---:|---:|---:|---:|");
    for (int grid : grids) {
      double dt = 0.25 / ((double) grid * grid);
      double tc = time(() -> ReactorGrad.loss(theta.clone(), grid, timingSteps, dt, new double[7], RadContext.exact()));
      double tg = time(() -> ReactorCudaGrad.loss(theta.clone(), grid, timingSteps, dt, new double[7], RadContext.exact()));
      System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.2f |%n", grid, tc, tg, tc / tg);
    }
    System.out.println(ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
  }

  private double time(Runnable r) {
    r.run();
    double[] ms = new double[runs];
    for (int k = 0; k < runs; k++) {
      long t0 = System.nanoTime();
      r.run();
      ms[k] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[runs / 2];
  }

  static double relative(double[] expected, double[] actual) {
    double scale = 0;
    double diff = 0;
    for (int k = 0; k < expected.length; k++) {
      scale = Math.max(scale, Math.abs(expected[k]));
      diff = Math.max(diff, Math.abs(expected[k] - actual[k]));
    }
    return scale == 0 ? diff : diff / scale;
  }
}
