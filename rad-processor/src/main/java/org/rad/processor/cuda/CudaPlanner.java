package org.rad.processor.cuda;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;
import org.rad.processor.transform.DifferentiatedMethod;

/**
 * Plans how a {@code Target.CUDA} method runs on the GPU: each loop nest of its forward and
 * reverse sweeps that {@link ParallelLoops} accepts becomes kernels; loops that contain such nests
 * (the time loop) stay on the host and launch them; the arrays the kernels use (with every array
 * tied to them by reference assignments, tape hand-offs and adjoints) live on the device for the
 * whole call. The host may move those arrays around (swap, record and restore references, take
 * their adjoints) but not read their elements; a loop that would have to is a {@code [RadCuda]}
 * compile error at its line, with the reason it cannot be a kernel.
 */
public final class CudaPlanner {
  private final DifferentiatedMethod method;
  private final DeviceFunctions functions;
  private final ParallelLoops parallel;
  private final List<Kernel> kernels = new ArrayList<>();
  /** Loops left on the host because they are not parallel, with the reason. */
  private final List<ParallelLoops.NotParallel> hostLoops = new ArrayList<>();
  private final List<Stmt.For> hostLoopStmts = new ArrayList<>();

  private CudaPlanner(DifferentiatedMethod method, Collection<DifferentiatedMethod> all) {
    this.method = method;
    this.functions = new DeviceFunctions(all);
    this.parallel = new ParallelLoops(functions);
  }

  /**
   * The plan for {@code method}, an entry with {@code target = Target.CUDA}.
   *
   * @throws CompileError {@code [RadCuda]} at the line of what cannot run on the device
   */
  public static CudaPlan plan(DifferentiatedMethod method, Collection<DifferentiatedMethod> all) {
    return new CudaPlanner(method, all).plan();
  }

  private CudaPlan plan() {
    String name = method.callee().name();
    if (!method.method().isStatic()) {
      throw error(method.method().origin(), "the instance method " + name, "make it static");
    }
    for (Var v : method.method().params()) {
      if (v.name().equals("cs")) {
        throw error(method.method().origin(), "a parameter named cs", "the GPU path's code calls its CUDA session cs; rename it");
      }
    }
    for (Var v : method.method().locals()) {
      if (v.name().equals("cs") || v.name().startsWith("$")) {
        throw error(method.method().origin(), "a local named " + v.name(), "the GPU path's code uses that name; rename it");
      }
    }
    Stmt.Block forward = rewrite(method.forward(), name + "_forward");
    Stmt.Block reverse = rewrite(method.reverse(), name + "_reverse");
    if (kernels.isEmpty()) {
      throw error(method.method().origin(), "the method " + method.method().name(),
          "it has no loop nest whose iterations are independent, so there is nothing to run on the GPU;"
              + " use the default target");
    }
    Set<String> device = deviceArrays(forward, reverse);
    for (Var p : method.method().params()) {
      if (device.contains(p.name()) && method.writtenParams().contains(p.name())) {
        throw error(method.method().origin(), "writing into the parameter " + p.name(),
            "arrays the kernels use are copied to the GPU; write into a local array instead");
      }
    }
    for (Var v : method.handoff()) {
      if (device.contains(v.name()) && method.sampledHandoff().containsKey(v.name())) {
        throw error(method.method().origin(), "the sampled hand-off of " + v.name(), "not supported on the GPU yet");
      }
    }
    for (int k = 0; k < hostLoopStmts.size(); k++) {
      Set<String> used = new java.util.HashSet<>();
      IrWalk.collectReads(hostLoopStmts.get(k), used);
      used.retainAll(device);
      if (!used.isEmpty()) {
        ParallelLoops.NotParallel why = hostLoops.get(k);
        throw error(hostLoopStmts.get(k).origin(), "this loop, which uses the GPU array " + used.iterator().next() + ",",
            why.getMessage());
      }
    }
    checkHost(forward, device);
    checkHost(reverse, device);
    List<String> handedOver = new ArrayList<>();
    method.handoff().forEach(v -> handedOver.add(v.name()));
    if (method.result() != null) {
      handedOver.add(method.result().name());
    }
    checkPrivatesStayInKernels(forward, name + "_forward", handedOver);
    checkPrivatesStayInKernels(reverse, name + "_reverse", method.scalarParamAdjoints().stream().map(Var::name).toList());
    // a sum that a kernel starts at zero needs the host's check only where the host touches it
    java.util.Set<String> forwardNames = new java.util.HashSet<>();
    java.util.Set<String> reverseNames = new java.util.HashSet<>();
    hostNames(forward, forwardNames);
    hostNames(reverse, reverseNames);
    List<Kernel> checked = new ArrayList<>();
    for (Kernel k : kernels) {
      java.util.Set<String> host = k.name().startsWith(name + "_forward_") ? forwardNames : reverseNames;
      List<Var> zero = k.zeroOnEntry().stream().filter(v -> host.contains(v.name())).toList();
      checked.add(new Kernel(k.name(), k.origin(), k.outer(), k.inner(), k.body(), k.warpPost(), k.warpSums(),
          k.arrays(), k.atomicArrays(),
          k.writtenArrays(), k.scalars(), k.locals(), zero, k.reductions(), k.records(), k.pops()));
    }
    return new CudaPlan(method, forward, reverse, List.copyOf(checked), device, functions.required());
  }

  /**
   * A thread's private scalars and loop indices exist only in the kernel: the host must not read
   * what a sequential loop would have left in them.
   */
  private void checkPrivatesStayInKernels(Stmt.Block sweep, String prefix, List<String> readAfter) {
    java.util.Set<String> hostReads = new java.util.HashSet<>(readAfter);
    hostReads(sweep, hostReads);
    for (Kernel k : kernels) {
      if (!k.name().startsWith(prefix + "_")) {
        continue;
      }
      List<Var> privates = new ArrayList<>(k.locals());
      privates.add(k.outer().var());
      if (k.inner() != null) {
        privates.add(k.inner().var());
      }
      for (Var v : privates) {
        if (hostReads.contains(v.name())) {
          throw error(k.origin(), "this loop, whose iterations leave " + v.name() + " for the code after it,",
              "on the GPU every iteration has its own " + v.name() + "; assign it again after the loop");
        }
      }
    }
  }

  /** Every name the host statements mention. */
  private static void hostNames(Stmt s, java.util.Set<String> out) {
    if (CudaPlan.isLaunch(s) >= 0) {
      return;
    }
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> hostNames(c, out));
      return;
    }
    if (s instanceof Stmt.Declare d) {
      out.add(d.var().name());
    } else if (s instanceof Stmt.Step st) {
      out.add(st.var().name());
    }
    if (s instanceof Stmt.If i) {
      IrWalk.walkExprs(new Stmt.If(i.condition(), Stmt.Block.of(List.of()), null, i.origin()), e -> add(e, out));
      hostNames(i.whenTrue(), out);
      if (i.whenFalse() != null) {
        hostNames(i.whenFalse(), out);
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> hostNames(c, out));
      f.update().forEach(c -> hostNames(c, out));
      if (f.condition() != null) {
        org.rad.processor.ir.Exprs.walk(f.condition(), e -> add(e, out));
      }
      hostNames(f.body(), out);
    } else if (s instanceof Stmt.While w) {
      org.rad.processor.ir.Exprs.walk(w.condition(), e -> add(e, out));
      hostNames(w.body(), out);
    } else {
      IrWalk.walkExprs(s, e -> add(e, out));
    }
  }

  private static void add(Expr e, java.util.Set<String> out) {
    if (e instanceof Expr.Ref r) {
      out.add(r.var().name());
    }
  }

  /** Names that host statements read (the targets of plain assignments are not reads). */
  private static void hostReads(Stmt s, java.util.Set<String> out) {
    if (CudaPlan.isLaunch(s) >= 0) {
      return;
    }
    java.util.function.Consumer<Expr> reads = e -> org.rad.processor.ir.Exprs.walk(e, x -> {
      if (x instanceof Expr.Ref r) {
        out.add(r.var().name());
      }
    });
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> hostReads(c, out));
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        reads.accept(d.init());
      }
    } else if (s instanceof Stmt.Assign a) {
      reads.accept(a.value());
      if (!(a.target() instanceof Expr.Ref) || a.op() != Stmt.AssignOp.SET) {
        reads.accept(a.target());
      }
    } else if (s instanceof Stmt.Step st) {
      out.add(st.var().name());
    } else if (s instanceof Stmt.Call c) {
      reads.accept(c.call());
    } else if (s instanceof Stmt.If i) {
      reads.accept(i.condition());
      hostReads(i.whenTrue(), out);
      if (i.whenFalse() != null) {
        hostReads(i.whenFalse(), out);
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> hostReads(c, out));
      if (f.condition() != null) {
        reads.accept(f.condition());
      }
      f.update().forEach(c -> hostReads(c, out));
      hostReads(f.body(), out);
    } else if (s instanceof Stmt.While w) {
      reads.accept(w.condition());
      hostReads(w.body(), out);
    } else if (s instanceof Stmt.Return r && r.value() != null) {
      reads.accept(r.value());
    }
  }

  private static CompileError error(Origin origin, String what, String why) {
    return new CompileError(origin, Message.CUDA.format(what, why));
  }

  /** The sweep with each parallel nest replaced by its launches. */
  private Stmt.Block rewrite(Stmt.Block b, String prefix) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      out.addAll(rewrite(s, prefix));
    }
    return new Stmt.Block(out, b.origin());
  }

  /** Why the loop nest being rewritten (as a host loop) could not be kernels itself; null at the top. */
  private String enclosing;

  private List<Stmt> rewrite(Stmt s, String prefix) {
    if (s instanceof Stmt.Block b) {
      return List.of(rewrite(b, prefix));
    }
    if (s instanceof Stmt.If i) {
      return List.of(new Stmt.If(i.condition(), rewrite(i.whenTrue(), prefix),
          i.whenFalse() == null ? null : rewrite(i.whenFalse(), prefix), i.origin()));
    }
    if (s instanceof Stmt.While w) {
      return List.of(new Stmt.While(w.condition(), rewrite(w.body(), prefix), w.origin()));
    }
    if (s instanceof Stmt.For f) {
      try {
        List<Kernel> ks = parallel.kernels(f, prefix, countWithPrefix(prefix));
        List<Stmt> launches = new ArrayList<>();
        for (Kernel k : ks) {
          launches.add(new Stmt.Call(new Expr.StaticCall(Expr.Owner.GENERATED, CudaPlan.LAUNCH,
              List.of(Expr.Literal.ofInt(kernels.size())), Type.VOID), f.origin()));
          kernels.add(k);
        }
        return launches;
      } catch (ParallelLoops.NotParallel e) {
        if (containsLoop(f.body())) {
          String outer = enclosing;
          // a nest inside a time loop is expected to fail as a whole; keep the reason of a real nest
          enclosing = outer != null ? outer : e.getMessage().startsWith("only counted") ? null : e.getMessage();
          try {
            return List.of(new Stmt.For(f.init(), f.condition(), f.update(), rewrite(f.body(), prefix), f.origin()));
          } finally {
            enclosing = outer;
          }
        }
        String why = enclosing == null ? e.getMessage()
            : e.getMessage() + " (and the loop around it cannot be a kernel either: " + enclosing + ")";
        hostLoops.add(new ParallelLoops.NotParallel(e.origin == null || e.origin == Origin.SYNTHETIC ? f.origin() : e.origin,
            why));
        hostLoopStmts.add(f);
        return List.of(f);
      }
    }
    return List.of(s);
  }

  private int countWithPrefix(String prefix) {
    return (int) kernels.stream().filter(k -> k.name().startsWith(prefix + "_")).count();
  }

  private static boolean containsLoop(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return b.stmts().stream().anyMatch(CudaPlanner::containsLoop);
    }
    if (s instanceof Stmt.If i) {
      return containsLoop(i.whenTrue()) || i.whenFalse() != null && containsLoop(i.whenFalse());
    }
    return s instanceof Stmt.For || s instanceof Stmt.While;
  }

  // ---- which arrays live on the device ---------------------------------------------------------

  private Set<String> deviceArrays(Stmt.Block forward, Stmt.Block reverse) {
    Set<String> device = new LinkedHashSet<>();
    for (Kernel k : kernels) {
      k.arrays().forEach(v -> device.add(v.name()));
    }
    // pairs of names that must agree: reference assignments, adjoints
    List<String[]> ties = new ArrayList<>();
    collectTies(forward, ties);
    collectTies(reverse, ties);
    for (Var[] pair : method.arrayLocalShadows()) {
      ties.add(new String[] {pair[0].name(), pair[1].name()});
    }
    int shadow = 0;
    for (Var p : method.method().params()) {
      if (method.callee().isActiveParam(p) && p.type().isArray()) {
        ties.add(new String[] {p.name(), method.shadowParams().get(shadow++).name()});
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String[] t : ties) {
        if (device.contains(t[0]) != device.contains(t[1])) {
          device.add(t[0]);
          device.add(t[1]);
          changed = true;
        }
      }
    }
    return device;
  }

  private static void collectTies(Stmt s, List<String[]> ties) {
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> collectTies(c, ties));
    } else if (s instanceof Stmt.Declare d && d.var().type().isArray() && d.init() != null) {
      tie(d.var(), d.init(), ties);
    } else if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.var().type().isArray()) {
      tie(r.var(), a.value(), ties);
    } else if (s instanceof Stmt.Call c && c.call() instanceof Expr.ContextCall cc && cc.op() == RuntimeOp.BIND_SHADOW
        && cc.args().get(0) instanceof Expr.Ref a && cc.args().get(1) instanceof Expr.Ref b) {
      ties.add(new String[] {a.var().name(), b.var().name()});
    } else if (s instanceof Stmt.If i) {
      collectTies(i.whenTrue(), ties);
      if (i.whenFalse() != null) {
        collectTies(i.whenFalse(), ties);
      }
    } else if (s instanceof Stmt.For f) {
      collectTies(f.body(), ties);
    } else if (s instanceof Stmt.While w) {
      collectTies(w.body(), ties);
    }
  }

  private static void tie(Var target, Expr value, List<String[]> ties) {
    if (value instanceof Expr.Ref r) {
      ties.add(new String[] {target.name(), r.var().name()});
    } else if (value instanceof Expr.ContextCall c && c.op() == RuntimeOp.SHADOW && c.args().get(0) instanceof Expr.Ref r) {
      ties.add(new String[] {target.name(), r.var().name()});
    } else if (value instanceof Expr.Conditional c) {
      tie(target, c.whenTrue(), ties);
      tie(target, c.whenFalse(), ties);
    }
  }

  /** The host may hold, move, record and shadow device arrays, never read or write their elements. */
  private void checkHost(Stmt s, Set<String> device) {
    if (CudaPlan.isLaunch(s) >= 0) {
      return;
    }
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> checkHost(c, device));
      return;
    }
    if (s instanceof Stmt.If i) {
      checkHostExpr(i.condition(), s.origin(), device);
      checkHost(i.whenTrue(), device);
      if (i.whenFalse() != null) {
        checkHost(i.whenFalse(), device);
      }
      return;
    }
    if (s instanceof Stmt.For f) {
      f.init().forEach(c -> checkHost(c, device));
      if (f.condition() != null) {
        checkHostExpr(f.condition(), s.origin(), device);
      }
      f.update().forEach(c -> checkHost(c, device));
      checkHost(f.body(), device);
      return;
    }
    if (s instanceof Stmt.While w) {
      checkHostExpr(w.condition(), s.origin(), device);
      checkHost(w.body(), device);
      return;
    }
    if (s instanceof Stmt.Declare d && device.contains(d.var().name()) && d.init() != null) {
      checkDeviceValue(d.init(), s.origin(), device);
      return;
    }
    if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && device.contains(r.var().name())) {
      checkDeviceValue(a.value(), s.origin(), device);
      return;
    }
    if (s instanceof Stmt.Call c && c.call() instanceof Expr.ContextCall cc
        && Set.of(RuntimeOp.PUSH_REF, RuntimeOp.BIND_SHADOW, RuntimeOp.DROP_SHADOW).contains(cc.op())) {
      return;
    }
    IrWalk.walkExprs(s, e -> checkHostExpr(e, s.origin(), device));
  }

  private void checkDeviceValue(Expr value, Origin origin, Set<String> device) {
    if (value instanceof Expr.Ref || value instanceof Expr.ContextCall c && (c.op() == RuntimeOp.POP_REF
        || c.op() == RuntimeOp.SHADOW) || value instanceof Expr.Literal l && l.text().equals("null")) {
      return;
    }
    if (value instanceof Expr.NewArray n && n.dims().size() == (n.type() == Type.DOUBLE_MATRIX ? 2 : 1)
        && (n.type() == Type.DOUBLE_ARRAY || n.type() == Type.DOUBLE_MATRIX)) {
      n.dims().forEach(d -> checkHostExpr(d, origin, device));
      return;
    }
    throw error(origin, "the array value " + org.rad.processor.ir.IrText.of(value),
        "arrays the kernels use live on the GPU; the host may only allocate them (new double[n] or new double[n][m]),"
            + " assign and swap them");
  }

  private void checkHostExpr(Expr e, Origin origin, Set<String> device) {
    IrWalk.contains(e, x -> {
      if (x instanceof Expr.Index ix) {
        Var a = IrWalk.arrayOf(ix, new ArrayList<>());
        if (a != null && device.contains(a.name())) {
          throw error(origin, "reading or writing " + a.name() + " outside a parallel loop",
              "the array lives on the GPU while the method runs there; compute with it in loops whose iterations are"
                  + " independent");
        }
      }
      if (x instanceof Expr.StaticCall c && c.owner() == Expr.Owner.GENERATED
          && c.args().stream().anyMatch(a -> a instanceof Expr.Ref r && device.contains(r.var().name()))) {
        throw error(origin, "the call of " + c.name() + " outside a parallel loop",
            "its array arguments live on the GPU; call it inside a loop whose iterations are independent");
      }
      return false;
    });
  }
}
