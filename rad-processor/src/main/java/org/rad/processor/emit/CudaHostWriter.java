package org.rad.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;
import org.rad.processor.cuda.CudaPlan;
import org.rad.processor.cuda.Kernel;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.SessionOp;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The host side of the CUDA path: how the generated Java launches a kernel. A launch evaluates the
 * nest's bounds, passes the arrays (with their shapes), the host scalars the body reads and the
 * sampling parameters of its records, and adds the totals of its reductions into the host's
 * scalars. A kernel with records is launched through {@code CudaSession.launchRecording} or
 * {@code launchRegenerating}, which reserve or release its part of the device tape (laid out as
 * {@link CudaTapeLayout} says) and supply the tape arguments.
 */
final class CudaHostWriter implements JavaPrinter.DeviceHooks {
  static final ClassName DEVICE_ARRAY = ClassName.get("org.rad.runtime.cuda", "DeviceArray");
  static final ClassName CUDA_SESSION = ClassName.get("org.rad.runtime.cuda", "CudaSession");
  static final ClassName CUDA_RUNTIME = ClassName.get("org.rad.runtime.cuda", "CudaRuntime");
  static final ClassName TAPE_ARG = ClassName.get("org.rad.runtime.cuda", "CudaSession", "TapeArg");

  private final CudaPlan plan;

  CudaHostWriter(CudaPlan plan) {
    this.plan = plan;
  }

  /**
   * The records of a kernel in push order ({@code "sampled site 1, double"}): a reverse kernel's
   * pops, read backwards, must name the same, which the session checks at run time.
   */
  static String recordsTag(Kernel k) {
    List<String> tags = new ArrayList<>();
    for (Kernel.Record r : k.records()) {
      String tag = r.fraction() != null ? "sampled site " + org.rad.processor.ir.IrText.of(r.call().args().get(0))
          : r.call().op().element() == Type.BOOLEAN ? "bit" : "double";
      if (k.pops()) {
        tags.add(0, tag);
      } else {
        tags.add(tag);
      }
    }
    return String.join(", ", tags);
  }

  @Override
  public boolean isDevice(String name) {
    return plan.deviceArrays().contains(name);
  }

  @Override
  public void launch(int index, JavaPrinter p, CodeBlock.Builder out) {
    Kernel k = plan.kernels().get(index);
    out.add("// kernel $L: the loop over $L$L runs on the GPU\n", k.name(), k.outer().var().name(),
        k.twoDimensional() ? " and " + k.inner().var().name() : "");
    out.add("{\n$>");
    out.addStatement("long $$outer = (long) ($L)", p.expr(k.outer().count()));
    if (k.twoDimensional()) {
      out.addStatement("long $$inner = (long) ($L)", p.expr(k.inner().count()));
    } else {
      out.addStatement("long $$inner = -1L");
    }
    if (k.twoDimensional()) {
      out.beginControlFlow("if ($$outer > 0 && $$inner > 0)");
    } else {
      out.beginControlFlow("if ($$outer > 0)");
    }
    List<CodeBlock> args = new ArrayList<>();
    args.add(CodeBlock.of("($L)", p.expr(k.outer().lo())));
    args.add(CodeBlock.of("$$outer"));
    if (k.twoDimensional()) {
      args.add(CodeBlock.of("($L)", p.expr(k.inner().lo())));
      args.add(CodeBlock.of("$$inner"));
    }
    for (Var z : k.zeroOnEntry()) {
      out.addStatement("$T.$L($S, $S, $L)", CUDA_SESSION, SessionOp.REQUIRE_ZERO.methodName(), k.name(), z.name(), z.name());
    }
    for (int x = 0; x < k.arrays().size(); x++) {
      Var a = k.arrays().get(x);
      if (k.writtenArrays().contains(a.name())) {
        for (int y = 0; y < k.arrays().size(); y++) {
          Var other = k.arrays().get(y);
          // each pair once
          if (y != x && (y > x || !k.writtenArrays().contains(other.name()))) {
            out.addStatement("$T.$L($S, $L, $L)", CUDA_SESSION, SessionOp.REQUIRE_DISTINCT.methodName(), k.name(), a.name(),
                other.name());
          }
        }
      }
    }
    for (Var a : k.arrays()) {
      args.add(CodeBlock.of("$L", a.name()));
      args.add(CodeBlock.of("$L.length()", a.name()));
      args.add(CodeBlock.of("$L.cols()", a.name()));
    }
    for (Var s : k.scalars()) {
      args.add(s.type() == Type.BOOLEAN ? CodeBlock.of("$L ? 1 : 0", s.name())
          : s.type() == Type.INT ? CodeBlock.of("(int) $L", s.name())
          : s.type() == Type.LONG ? CodeBlock.of("(long) $L", s.name()) : CodeBlock.of("(double) $L", s.name()));
    }
    CudaTapeLayout layout = CudaTapeLayout.of(k);
    if (!k.records().isEmpty()) {
      // the session reserves (or releases) the launch's part of the device tape and fills these in
      args.add(CodeBlock.of("$T.TAPE", TAPE_ARG));
      args.add(CodeBlock.of("$T.BASE", TAPE_ARG));
      args.add(CodeBlock.of("ctx.$L() ? 1 : 0", RuntimeOp.IS_EXACT.methodName()));
      args.add(CodeBlock.of("ctx.$L()", RuntimeOp.SAMPLE_SEED.methodName()));
      args.add(CodeBlock.of("ctx.$L() ? 1 : 0", RuntimeOp.SCALES_SAMPLES.methodName()));
      for (Kernel.Record r : layout.sampledRecords()) {
        args.add(CodeBlock.of("ctx.$L($L)", RuntimeOp.FRACTION_FOR.methodName(), p.expr(r.fraction())));
      }
      if (layout.sampledCount() > 0) {
        args.add(CodeBlock.of("$T.WARP_OFFSETS", TAPE_ARG));
      }
    }
    if (!k.reductions().isEmpty()) {
      out.addStatement("$T $$red = cs.$L($L)", DEVICE_ARRAY, SessionOp.REDUCTION.methodName(), k.reductions().size());
      args.add(CodeBlock.of("$$red"));
    }
    if (k.records().isEmpty()) {
      out.addStatement("cs.$L($S, $$outer, $$inner, $L)", SessionOp.LAUNCH.methodName(), k.name(), CodeBlock.join(args, ", "));
    } else {
      out.addStatement("cs.$L($S, $$outer, $$inner, $S, $L, $L, ctx.$L(), $L)",
          (k.pops() ? SessionOp.LAUNCH_REGENERATING : SessionOp.LAUNCH_RECORDING).methodName(), k.name(), recordsTag(k), layout.denseCount(),
          layout.sampledCount(), RuntimeOp.IS_EXACT.methodName(), CodeBlock.join(args, ", "));
    }
    if (!k.reductions().isEmpty()) {
      out.addStatement("double[] $$sums = cs.$L($$red, $L)", SessionOp.DOWNLOAD_SUMS.methodName(), k.reductions().size());
      for (int r = 0; r < k.reductions().size(); r++) {
        out.addStatement("$L += $$sums[$L]", k.reductions().get(r).name(), r);
      }
    }
    out.endControlFlow();
    out.add("$<}\n");
  }
}
