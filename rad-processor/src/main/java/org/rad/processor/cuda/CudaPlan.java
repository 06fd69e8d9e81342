package org.rad.processor.cuda;

import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Sweep;
import org.rad.processor.transform.DifferentiatedMethod;

/**
 * How a {@code Target.CUDA} method runs on the GPU: its forward and reverse sweeps with each
 * data-parallel loop nest replaced by a launch placeholder ({@link #isLaunch}), the kernels, the
 * arrays that live on the device, and the differentiated methods the kernels call (device
 * functions).
 *
 * @param method the entry method
 * @param forward the forward sweep with launches
 * @param reverse the reverse sweep with launches
 * @param kernels the kernels, indexed by their placeholders
 * @param deviceArrays names of the array variables (and adjoints) that hold device arrays
 * @param deviceFunctions the callees the kernels call, callees before callers, with which sweeps
 */
public record CudaPlan(
    DifferentiatedMethod method,
    Stmt.Block forward,
    Stmt.Block reverse,
    List<Kernel> kernels,
    Set<String> deviceArrays,
    List<DeviceFunction> deviceFunctions) {

  /** The name of the placeholder call that stands for launching kernel {@code k}. */
  public static final String LAUNCH = "$launch";

  /** A sweep of a callee ({@code FORWARD}, {@code PRIMAL} or {@code REVERSE}) that kernels call. */
  public record DeviceFunction(DifferentiatedMethod method, Sweep sweep) {
    public String name() {
      return sweep.of(method.callee().name());
    }

    /** The statements the device function runs. */
    public Stmt.Block body() {
      return DeviceFunctions.body(this);
    }
  }

  /** The kernel index of a launch placeholder, or -1 if {@code s} is not one. */
  public static int isLaunch(Stmt s) {
    if (s instanceof Stmt.Call c && c.call() instanceof org.rad.processor.ir.Expr.StaticCall call
        && call.name().equals(LAUNCH)) {
      return Integer.parseInt(((org.rad.processor.ir.Expr.Literal) call.args().get(0)).text());
    }
    return -1;
  }
}
