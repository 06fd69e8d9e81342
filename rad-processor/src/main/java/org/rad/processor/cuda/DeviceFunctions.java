package org.rad.processor.cuda;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Sweep;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;
import org.rad.processor.transform.DifferentiatedMethod;
import org.rad.processor.transform.SweepCode;

/**
 * The sweeps of differentiated callees that kernels call, as {@code __device__} functions: checked
 * once each (no records, no arrays of their own, adjoint arrays only added into), collected callees
 * first.
 */
final class DeviceFunctions {
  private final Map<String, DifferentiatedMethod> byBase = new HashMap<>();
  private final Map<String, CudaPlan.DeviceFunction> required = new LinkedHashMap<>();
  private final Set<String> inProgress = new HashSet<>();

  DeviceFunctions(Collection<DifferentiatedMethod> methods) {
    for (DifferentiatedMethod d : methods) {
      byBase.put(d.callee().name(), d);
    }
  }

  List<CudaPlan.DeviceFunction> required() {
    return List.copyOf(required.values());
  }

  /** The callee and sweep of a call of a generated method. */
  private CudaPlan.DeviceFunction resolve(Expr.StaticCall call, Origin origin) throws ParallelLoops.NotParallel {
    for (Sweep sweep : List.of(Sweep.FORWARD, Sweep.PRIMAL, Sweep.REVERSE)) {
      if (sweep.names(call.name())) {
        DifferentiatedMethod d = byBase.get(sweep.baseOf(call.name()));
        if (d != null) {
          return new CudaPlan.DeviceFunction(d, sweep);
        }
      }
    }
    throw new ParallelLoops.NotParallel(origin, "the call of " + call.name() + " has no GPU version (methods with a"
        + " user-declared adjoint and EJML operations run only on the CPU)");
  }

  /** Position of the result adjoint among the arguments of a reverse-sweep call, or -1. */
  int resultAdjointPosition(Expr.StaticCall call) {
    DifferentiatedMethod d = byBase.get(Sweep.REVERSE.baseOf(call.name()));
    if (d == null || d.resultAdjoint() == null) {
      return -1;
    }
    return d.method().params().size() + d.shadowParams().size();
  }

  /** Positions of the adjoint arrays among the arguments of a reverse-sweep call. */
  Set<Integer> adjointPositions(Expr.StaticCall call) {
    DifferentiatedMethod d = byBase.get(Sweep.REVERSE.baseOf(call.name()));
    Set<Integer> out = new HashSet<>();
    if (d != null) {
      for (int k = 0; k < d.shadowParams().size(); k++) {
        out.add(d.method().params().size() + k);
      }
    }
    return out;
  }

  /** Checks that the callee's sweep can run on the device and adds it (after its own callees). */
  void require(Expr.StaticCall call, Origin origin) throws ParallelLoops.NotParallel {
    CudaPlan.DeviceFunction f = resolve(call, origin);
    if (required.containsKey(f.name())) {
      return;
    }
    if (!inProgress.add(f.name())) {
      throw new ParallelLoops.NotParallel(origin, "recursion cannot run in a kernel");
    }
    DifferentiatedMethod d = f.method();
    String what = "the " + f.sweep().word() + " sweep of " + d.method().name()
        + ", called in a kernel,";
    if (!d.method().isStatic()) {
      throw new ParallelLoops.NotParallel(origin, what + " belongs to an instance method; only static methods run in kernels");
    }
    for (Var p : d.method().params()) {
      if (p.type() != Type.DOUBLE && p.type() != Type.INT && p.type() != Type.LONG && p.type() != Type.BOOLEAN
          && p.type() != Type.DOUBLE_ARRAY) {
        throw new ParallelLoops.NotParallel(origin, what + " takes " + p.type().source() + " " + p.name()
            + "; kernels call methods of double, int, long, boolean and double[] parameters");
      }
    }
    if (!d.method().returnType().equals(Type.DOUBLE) && !d.method().returnType().equals(Type.VOID)
        && !d.method().returnType().equals(Type.INT)) {
      throw new ParallelLoops.NotParallel(origin, what + " returns " + d.method().returnType().source());
    }
    Set<String> adjoints = new HashSet<>();
    d.shadowParams().forEach(v -> adjoints.add(v.name()));
    if (f.sweep() == Sweep.REVERSE && (!d.handoff().isEmpty() || !d.arrayLocalShadows().isEmpty()
        || !d.scalarParamAdjoints().isEmpty() || d.resultAliasAdjoint() != null)) {
      throw new ParallelLoops.NotParallel(origin, what + " needs records or hands adjoints of scalar parameters back;"
          + " kernels call only reverse sweeps that add into adjoint arrays");
    }
    if (f.sweep() == Sweep.FORWARD && !d.handoff().isEmpty()) {
      throw new ParallelLoops.NotParallel(origin, what + " records values for its reverse sweep");
    }
    checkBody(body(f), adjoints, what, origin);
    inProgress.remove(f.name());
    required.put(f.name(), f);
  }

  /** The body the device function runs. */
  static Stmt.Block body(CudaPlan.DeviceFunction f) {
    return switch (f.sweep()) {
      case FORWARD -> f.method().forward();
      case PRIMAL -> SweepCode.primal(f.method().method().body());
      default -> f.method().reverse();
    };
  }

  private void checkBody(Stmt s, Set<String> adjoints, String what, Origin origin) throws ParallelLoops.NotParallel {
    if (s instanceof Stmt.Block b) {
      for (Stmt c : b.stmts()) {
        checkBody(c, adjoints, what, origin);
      }
      return;
    }
    if (s instanceof Stmt.Declare d && d.var().type().isArray()) {
      throw new ParallelLoops.NotParallel(origin, what + " declares the array " + d.var().name());
    }
    if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Index ix) {
      Var array = IrWalk.arrayOf(ix, new java.util.ArrayList<>());
      if (array == null || !adjoints.contains(array.name())
          || a.op() != Stmt.AssignOp.ADD && a.op() != Stmt.AssignOp.SUB) {
        throw new ParallelLoops.NotParallel(origin, what + " writes into an array other than by adding into an adjoint");
      }
    }
    if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.var().type().isArray()) {
      throw new ParallelLoops.NotParallel(origin, what + " assigns the array " + r.var().name());
    }
    if (s instanceof Stmt.Return) {
      throw new ParallelLoops.NotParallel(origin, what + " returns early");
    }
    if (s instanceof Stmt.Call c && c.call() instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED) {
      require(call, origin);
    } else if (s instanceof Stmt.Call) {
      throw new ParallelLoops.NotParallel(origin, what + " calls " + org.rad.processor.ir.IrText.of(s));
    }
    if (s instanceof Stmt.If i) {
      checkBody(i.whenTrue(), adjoints, what, origin);
      if (i.whenFalse() != null) {
        checkBody(i.whenFalse(), adjoints, what, origin);
      }
    } else if (s instanceof Stmt.For f) {
      checkBody(f.body(), adjoints, what, origin);
    } else if (s instanceof Stmt.While w) {
      checkBody(w.body(), adjoints, what, origin);
    }
    ParallelLoops.NotParallel[] bad = {null};
    IrWalk.walkExprs(s instanceof Stmt.Block || s instanceof Stmt.If || s instanceof Stmt.For || s instanceof Stmt.While
        ? Stmt.Block.of(List.of()) : s, e -> {
          if (bad[0] != null) {
            return;
          }
          if (e instanceof Expr.ContextCall || e instanceof Expr.NewArray || e instanceof Expr.ArrayLiteral
              || e instanceof Expr.Clone || e instanceof Expr.FieldRead || e instanceof Expr.LibraryCall
              || e instanceof Expr.MethodCall || e instanceof Expr.Literal l && l.text().equals("null")) {
            bad[0] = new ParallelLoops.NotParallel(origin, what + " uses " + org.rad.processor.ir.IrText.of(e)
                + ", which kernels cannot");
          } else if (e instanceof Expr.Index ix && !(ix.array() instanceof Expr.Index)) {
            Var array = ix.array() instanceof Expr.Ref r ? r.var() : null;
            if (array != null && adjoints.contains(array.name())) {
              // adjoint arrays are only added into (checked above); reading them is a race
              bad[0] = null;
            }
          } else if (e instanceof Expr.StaticCall c && c.owner() == Expr.Owner.MATH && !MathRules.onGpu(c.name())) {
            // as in a kernel's own body (ParallelLoops): only the table's functions with a C name
            bad[0] = new ParallelLoops.NotParallel(origin, what + " calls Math." + c.name() + ", which has no GPU version here");
          } else if (e instanceof Expr.StaticCall c && c.owner() == Expr.Owner.DERIVATIVES
              && !MathRules.gpuHelpers().contains(c.name())) {
            bad[0] = new ParallelLoops.NotParallel(origin, what + " calls Derivatives." + c.name() + ", which has no GPU version here");
          } else if (e instanceof Expr.StaticCall c && c.owner() != Expr.Owner.MATH
              && c.owner() != Expr.Owner.DERIVATIVES && c.owner() != Expr.Owner.GENERATED) {
            bad[0] = new ParallelLoops.NotParallel(origin, what + " calls " + c.owner().simpleName + "." + c.name());
          }
        });
    if (bad[0] != null) {
      throw bad[0];
    }
    // conditions and loop headers
    if (s instanceof Stmt.If i) {
      checkExprs(i.condition(), what, origin);
    } else if (s instanceof Stmt.While w) {
      checkExprs(w.condition(), what, origin);
    }
    List<Expr> calls = new java.util.ArrayList<>();
    IrWalk.walkExprs(s instanceof Stmt.Block ? Stmt.Block.of(List.of()) : s, e -> {
      if (e instanceof Expr.StaticCall c && c.owner() == Expr.Owner.GENERATED) {
        calls.add(c);
      }
    });
    for (Expr c : calls) {
      require((Expr.StaticCall) c, origin);
    }
  }

  private void checkExprs(Expr e, String what, Origin origin) throws ParallelLoops.NotParallel {
    if (IrWalk.contains(e, x -> x instanceof Expr.ContextCall || x instanceof Expr.FieldRead)) {
      throw new ParallelLoops.NotParallel(origin, what + " uses " + org.rad.processor.ir.IrText.of(e));
    }
  }
}
