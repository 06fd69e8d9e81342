package org.rad.processor.emit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.cuda.CudaPlan;
import org.rad.processor.cuda.Kernel;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Sweep;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;
import org.rad.processor.transform.DifferentiatedMethod;

/**
 * Writes the CUDA C module of a {@code Target.CUDA} method as plain text: the {@link CudaPrelude},
 * a {@code __device__} function per callee sweep the kernels call, and an {@code extern "C"
 * __global__} function per kernel, with a count kernel beside each that takes sampled records
 * (where records go on the device tape: {@link CudaTapeLayout}). Expressions are parenthesized
 * fully, so C's precedence never differs from Java's; a {@code double[][]} is a row-major block
 * with its column count beside it.
 */
public final class CudaSourceWriter {
  private static final Set<String> RESERVED = new java.util.HashSet<>(List.of("auto", "register", "signed", "unsigned", "struct", "union",
      "typedef", "extern", "sizeof", "volatile", "inline", "restrict", "char", "short", "delete", "namespace",
      "template", "typename", "using", "virtual", "friend", "operator", "mutable", "explicit", "export", "asm", "bool",
      "wchar_t", "and", "or", "not", "xor", "bitand", "bitor", "compl", "not_eq", "and_eq", "or_eq", "xor_eq",
      "alignas", "alignof", "constexpr", "decltype", "noexcept", "nullptr", "static_assert", "thread_local", "typeid",
      "dynamic_cast", "static_cast", "reinterpret_cast", "const_cast", "signbit", "log", "sqrt", "cbrt", "tan", "tanh",
      "pow", "hypot", "fabs", "fmod", "min", "max", "abs", "threadIdx", "blockIdx", "blockDim", "gridDim",
      "warpSize", "atomicAdd", "main", "NAN", "INFINITY", "M_PI", "long", "int", "double", "float", "void"));

  static {
    // the C library functions kernels call for Math functions: a variable must not shadow them
    // (the ones above are also called by the prelude's helpers, with or without a GPU entry)
    RESERVED.addAll(org.rad.processor.ir.MathRules.cNames());
  }

  private CudaSourceWriter() {}

  /** The module's source. */
  public static String write(CudaPlan plan) {
    StringBuilder out = new StringBuilder(CudaPrelude.all());
    out.append("\n// ---- sweeps of the methods the kernels call ----\n");
    for (CudaPlan.DeviceFunction f : plan.deviceFunctions()) {
      deviceFunction(f, out);
    }
    out.append("\n// ---- kernels: one thread per iteration of a parallel loop nest ----\n");
    for (Kernel k : plan.kernels()) {
      kernel(k, out);
    }
    return out.toString();
  }

  static String name(String javaName) {
    return RESERVED.contains(javaName) || javaName.startsWith("rad_") ? javaName + "_" : javaName;
  }

  private static String cType(Type t) {
    return switch (t) {
      case DOUBLE -> "double";
      case INT, BOOLEAN -> "int";
      case LONG -> "long long";
      case VOID -> "void";
      default -> throw new IllegalStateException("no C type for " + t);
    };
  }

  // ---- device functions ------------------------------------------------------------------------

  private static void deviceFunction(CudaPlan.DeviceFunction f, StringBuilder out) {
    DifferentiatedMethod d = f.method();
    List<Var> params = new ArrayList<>(d.method().params());
    Set<String> adjoints = new java.util.HashSet<>();
    boolean reverse = f.sweep() == Sweep.REVERSE;
    if (reverse) {
      params.addAll(d.shadowParams());
      d.shadowParams().forEach(v -> adjoints.add(v.name()));
      if (d.resultAdjoint() != null) {
        params.add(d.resultAdjoint());
      }
    }
    Type returns = reverse ? Type.VOID : d.method().returnType();
    List<String> sig = new ArrayList<>();
    for (Var p : params) {
      if (p.type() == Type.DOUBLE_ARRAY) {
        sig.add("double* " + name(p.name()));
        sig.add("int " + name(p.name()) + "_rows");
      } else {
        sig.add(cType(p.type()) + " " + name(p.name()));
      }
    }
    Stmt.Block body = f.body();
    out.append("__device__ static ").append(cType(returns)).append(" rad_fn_").append(f.name()).append("(")
        .append(String.join(", ", sig)).append(") {\n");
    Set<String> paramNames = new java.util.HashSet<>();
    params.forEach(p -> paramNames.add(p.name()));
    Map<String, Var> locals = new LinkedHashMap<>();
    collectVars(body, locals);
    if (!reverse && d.result() != null) {
      locals.putIfAbsent(d.result().name(), d.result());
    }
    for (Var v : locals.values()) {
      if (!paramNames.contains(v.name()) && !v.type().isArray() && v.type() != Type.VOID) {
        out.append("  ").append(cType(v.type())).append(" ").append(name(v.name())).append(" = 0;\n");
      }
    }
    Scope scope = new Scope(adjoints, null, Map.of());
    for (Stmt s : body.stmts()) {
      statement(s, scope, "  ", out);
    }
    if (!reverse && d.result() != null) {
      out.append("  return ").append(name(d.result().name())).append(";\n");
    }
    out.append("}\n");
  }

  private static void collectVars(Stmt s, Map<String, Var> out) {
    if (s instanceof Stmt.Declare d) {
      out.putIfAbsent(d.var().name(), d.var());
    } else if (s instanceof Stmt.Step st) {
      out.putIfAbsent(st.var().name(), st.var());
    }
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> collectVars(c, out));
    } else if (s instanceof Stmt.If i) {
      collectVars(i.whenTrue(), out);
      if (i.whenFalse() != null) {
        collectVars(i.whenFalse(), out);
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> collectVars(c, out));
      f.update().forEach(c -> collectVars(c, out));
      collectVars(f.body(), out);
    } else if (s instanceof Stmt.While w) {
      collectVars(w.body(), out);
    }
    List<Expr> exprs = new ArrayList<>();
    if (s instanceof Stmt.Declare d && d.init() != null) {
      exprs.add(d.init());
    } else if (s instanceof Stmt.Assign a) {
      exprs.add(a.target());
      exprs.add(a.value());
    } else if (s instanceof Stmt.Call c) {
      exprs.add(c.call());
    } else if (s instanceof Stmt.If i) {
      exprs.add(i.condition());
    } else if (s instanceof Stmt.For f && f.condition() != null) {
      exprs.add(f.condition());
    } else if (s instanceof Stmt.While w) {
      exprs.add(w.condition());
    }
    for (Expr e : exprs) {
      org.rad.processor.ir.Exprs.walk(e, x -> {
        if (x instanceof Expr.Ref r && !r.var().name().equals("ctx")) {
          out.putIfAbsent(r.var().name(), r.var());
        }
      });
    }
  }

  // ---- kernels ---------------------------------------------------------------------------------

  private static void kernel(Kernel k, StringBuilder out) {
    CudaTapeLayout layout = CudaTapeLayout.of(k);
    String signature = String.join(", ", signature(k, layout));
    String inRange = k.twoDimensional() ? "rad_t0 < rad_n0 && rad_t1 < rad_n1" : "rad_t0 < rad_n0";
    Scope scope = new Scope(k.atomicArrays(), layout, matrices(k));
    out.append("\n// ").append(k.twoDimensional() ? "2-D" : "1-D").append(" over ").append(k.outer().var().name())
        .append(k.twoDimensional() ? ", " + k.inner().var().name() : "").append("\n");
    out.append("extern \"C\" __global__ void ").append(k.name()).append("(").append(signature).append(") {\n");
    threadIndices(k, out);
    for (Var r : k.reductions()) {
      out.append("  double ").append(name(r.name())).append(" = 0.0;\n");
    }
    loopVariables(k, out);
    for (Var v : k.locals()) {
      out.append("  ").append(cType(v.type())).append(" ").append(name(v.name())).append(" = 0;\n");
    }
    if (!k.records().isEmpty()) {
      tapePlaces(k, layout, inRange, false, scope, out);
    }
    out.append("  if (").append(inRange).append(") {\n");
    for (Stmt s : k.body()) {
      statement(s, scope, "    ", out);
    }
    out.append("  }\n");
    if (!k.warpPost().isEmpty()) {
      out.append("  // once per warp (its threads share ").append(k.outer().var().name())
          .append("): the sums over the warp, then its first lane\n");
      for (Var v : k.warpSums()) {
        out.append("  ").append(name(v.name())).append(" = rad_warp_sum(").append(name(v.name())).append(");\n");
      }
      out.append("  if (rad_lane0() && ").append(inRange).append(") {\n");
      for (Stmt s : k.warpPost()) {
        statement(s, scope, "    ", out);
      }
      out.append("  }\n");
    }
    for (int r = 0; r < k.reductions().size(); r++) {
      out.append("  rad_reduce_add(&rad_red[").append(r).append("], ").append(name(k.reductions().get(r).name())).append(");\n");
    }
    out.append("}\n");
    if (layout.sampledCount() > 0) {
      // the same parameters, so that the host passes one argument list to both
      out.append("\n// the kept entries of ").append(k.name()).append("'s warps (CudaSession runs it before ").append(k.name())
          .append(")\n");
      out.append("extern \"C\" __global__ void ").append(k.name()).append("_count(").append(signature).append(") {\n");
      threadIndices(k, out);
      loopVariables(k, out);
      tapePlaces(k, layout, inRange, true, scope, out);
      out.append("}\n");
    }
  }

  private static List<String> signature(Kernel k, CudaTapeLayout layout) {
    List<String> sig = new ArrayList<>(List.of("int rad_lo0", "long long rad_n0"));
    if (k.twoDimensional()) {
      sig.addAll(List.of("int rad_lo1", "long long rad_n1"));
    }
    for (Var a : k.arrays()) {
      sig.add("double* " + name(a.name()));
      sig.add("int " + name(a.name()) + "_rows");
      sig.add("int " + name(a.name()) + "_cols");
    }
    for (Var s : k.scalars()) {
      sig.add(cType(s.type()) + " " + name(s.name()));
    }
    if (!k.records().isEmpty()) {
      sig.addAll(List.of("double* rad_tape", "long long rad_base", "int rad_exact", "unsigned long long rad_seed",
          "int rad_scaled"));
      for (int s = 0; s < layout.sampledCount(); s++) {
        sig.add("double rad_frac" + s);
      }
      if (layout.sampledCount() > 0) {
        sig.add("double* rad_warp_offsets");
      }
    }
    if (!k.reductions().isEmpty()) {
      sig.add("double* rad_red");
    }
    return sig;
  }

  private static void threadIndices(Kernel k, StringBuilder out) {
    if (k.twoDimensional()) {
      out.append("  long long rad_t0 = (long long) blockIdx.y * blockDim.y + threadIdx.y;\n");
      out.append("  long long rad_t1 = (long long) blockIdx.x * blockDim.x + threadIdx.x;\n");
    } else {
      out.append("  long long rad_t0 = (long long) blockIdx.x * blockDim.x + threadIdx.x;\n");
    }
  }

  private static void loopVariables(Kernel k, StringBuilder out) {
    out.append("  int ").append(name(k.outer().var().name())).append(" = rad_lo0 + (int) rad_t0;\n");
    if (k.twoDimensional()) {
      out.append("  int ").append(name(k.inner().var().name())).append(" = rad_lo1 + (int) rad_t1;\n");
    }
  }

  /**
   * The places of the thread's records on the device tape (see {@link CudaTapeLayout}): its dense
   * slot, and, in a seeded context, the decisions of its sampled records and the places of the kept
   * ones. Every thread of the warp runs this, before the range check ({@code __ballot_sync} needs
   * all 32 lanes); {@code count}: instead, the warp's first lane writes how many entries the warp
   * keeps (the count kernel).
   */
  private static void tapePlaces(Kernel k, CudaTapeLayout layout, String inRange, boolean count, Scope scope,
      StringBuilder out) {
    int sampled = layout.sampledCount();
    if (!count) {
      out.append(k.twoDimensional() ? "  long long rad_total = rad_n0 * rad_n1;\n  long long rad_slot = rad_t0 * rad_n1 + rad_t1;\n"
          : "  long long rad_total = rad_n0;\n  long long rad_slot = rad_t0;\n");
    }
    if (sampled == 0) {
      return;
    }
    if (!count) {
      out.append("  long long rad_sampled_base = rad_base + ").append(layout.denseCount()).append("LL * rad_total;\n");
      for (int s = 0; s < sampled; s++) {
        out.append("  int rad_kept").append(s).append(" = 0;\n  long long rad_at").append(s).append(" = 0;\n");
      }
    }
    out.append("  if (!rad_exact) {\n");
    out.append("    int rad_in = ").append(inRange).append(";\n");
    for (int s = 0; s < sampled; s++) {
      Expr.ContextCall call = layout.sampledRecords().get(s).call();
      List<Expr> indices = call.args().subList(call.op().arity(), call.args().size());
      String decide = "rad_in && rad_keep(rad_seed, " + expr(call.args().get(0), scope) + ", " + key(indices, scope)
          + ", rad_frac" + s + ")";
      out.append("    ").append(count ? "int " : "").append("rad_kept").append(s).append(" = ").append(decide).append(";\n");
      out.append("    unsigned rad_mask").append(s).append(" = __ballot_sync(0xffffffffu, rad_kept").append(s).append(");\n");
    }
    if (count) {
      List<String> popc = new ArrayList<>();
      for (int s = 0; s < sampled; s++) {
        popc.add("__popc(rad_mask" + s + ")");
      }
      out.append("    if (rad_lane0()) {\n      rad_warp_offsets[rad_warp_index()] = (double) (")
          .append(String.join(" + ", popc)).append(");\n    }\n");
    } else {
      out.append("    // this warp's entries start at its offset; record by record, lane by lane\n");
      out.append("    long long rad_at = rad_sampled_base + (long long) rad_warp_offsets[rad_warp_index()];\n");
      out.append("    unsigned rad_below = rad_lanes_below();\n");
      for (int s = 0; s < sampled; s++) {
        out.append("    rad_at").append(s).append(" = rad_at + __popc(rad_mask").append(s).append(" & rad_below);\n");
        if (s + 1 < sampled) {
          out.append("    rad_at += __popc(rad_mask").append(s).append(");\n");
        }
      }
    }
    out.append("  }\n");
  }

  private static Map<String, Boolean> matrices(Kernel k) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    k.arrays().forEach(a -> m.put(a.name(), a.type() == Type.DOUBLE_MATRIX));
    return m;
  }

  /** What statements need to know: arrays added into atomically, where records go, which arrays are matrices. */
  private record Scope(Set<String> atomic, CudaTapeLayout records, Map<String, Boolean> matrices) {}

  // ---- statements and expressions -------------------------------------------------------------

  private static void statement(Stmt s, Scope scope, String indent, StringBuilder out) {
    if (s instanceof Stmt.Block b) {
      for (Stmt c : b.stmts()) {
        statement(c, scope, indent, out);
      }
    } else if (s instanceof Stmt.If i) {
      out.append(indent).append("if (").append(expr(i.condition(), scope)).append(") {\n");
      statement(i.whenTrue(), scope, indent + "  ", out);
      if (i.whenFalse() != null && !i.whenFalse().stmts().isEmpty()) {
        out.append(indent).append("} else {\n");
        statement(i.whenFalse(), scope, indent + "  ", out);
      }
      out.append(indent).append("}\n");
    } else if (s instanceof Stmt.For f) {
      List<String> init = new ArrayList<>();
      f.init().forEach(c -> init.add(simple(c, scope)));
      List<String> update = new ArrayList<>();
      f.update().forEach(c -> update.add(simple(c, scope)));
      out.append(indent).append("for (").append(String.join(", ", init)).append("; ")
          .append(f.condition() == null ? "" : expr(f.condition(), scope)).append("; ").append(String.join(", ", update))
          .append(") {\n");
      statement(f.body(), scope, indent + "  ", out);
      out.append(indent).append("}\n");
    } else if (s instanceof Stmt.While w) {
      out.append(indent).append("while (").append(expr(w.condition(), scope)).append(") {\n");
      statement(w.body(), scope, indent + "  ", out);
      out.append(indent).append("}\n");
    } else if (s instanceof Stmt.Break) {
      out.append(indent).append("break;\n");
    } else if (s instanceof Stmt.Continue) {
      out.append(indent).append("continue;\n");
    } else if (s instanceof Stmt.Declare d && d.init() == null) {
      return;
    } else {
      String text = simple(s, scope);
      if (!text.isEmpty()) {
        out.append(indent).append(text).append(";\n");
      }
    }
  }

  private static String simple(Stmt s, Scope scope) {
    if (s instanceof Stmt.Declare d) {
      return d.init() == null ? "" : name(d.var().name()) + " = " + expr(d.init(), scope);
    }
    if (s instanceof Stmt.Step st) {
      return name(st.var().name()) + (st.increment() ? "++" : "--");
    }
    if (s instanceof Stmt.Assign a) {
      String target = expr(a.target(), scope);
      String value = expr(a.value(), scope);
      if (a.target() instanceof Expr.Index ix && scope.atomic().contains(arrayName(ix))) {
        if (a.op() == Stmt.AssignOp.ADD) {
          return "atomicAdd(&" + target + ", " + value + ")";
        }
        if (a.op() == Stmt.AssignOp.SUB) {
          return "atomicAdd(&" + target + ", -(" + value + "))";
        }
        throw new IllegalStateException("an atomic array is only added into: " + org.rad.processor.ir.IrText.of(s));
      }
      return target + " " + a.op().symbol + " " + value;
    }
    if (s instanceof Stmt.Call c) {
      if (c.call() instanceof Expr.ContextCall cc && cc.op().pushes()) {
        String slot = slot(cc, scope);
        if (cc.op() == RuntimeOp.PUSH_DOUBLE) {
          return "rad_tape[" + slot + "] = " + expr(cc.args().get(0), scope);
        }
        if (cc.op() == RuntimeOp.PUSH_BIT) {
          // a branch decision, as 1.0 or 0.0 in its slot
          return "rad_tape[" + slot + "] = " + expr(cc.args().get(0), scope) + " ? 1.0 : 0.0";
        }
        // a sampled record: every value in an exact context, the kept ones (scaled) in a seeded one
        int r = scope.records().index(cc);
        String value = expr(cc.args().get(2), scope);
        return "if (rad_exact) rad_tape[" + slot + "] = " + value + "; else if (rad_kept" + r + ") rad_tape[rad_at" + r
            + "] = rad_scaled_value(" + value + ", rad_frac" + r + ", rad_scaled)";
      }
      return expr(c.call(), scope);
    }
    throw new IllegalStateException("not a simple statement on the GPU: " + org.rad.processor.ir.IrText.of(s));
  }

  /** The dense slot of a record (see {@link CudaTapeLayout}): a sampled record's in an exact context. */
  private static String slot(Expr.ContextCall c, Scope scope) {
    int r = scope.records().index(c);
    return scope.records().isSampled(c) ? "rad_sampled_base + " + r + "LL * rad_total + rad_slot"
        : "rad_base + " + r + "LL * rad_total + rad_slot";
  }

  /**
   * The record key, row and element index of an element record at loop indices {@code i1, ...,
   * in}, as RadContext.pushSampledAt takes them: {@code CounterRng.key(i1, ..., i(n-2))} (extend(...
   * extend(GOLDEN, i1) ..., i(n-2))), {@code i(n-1)} and {@code in}, the last two 0 where there are
   * too few indices.
   */
  private static String key(List<Expr> indices, Scope scope) {
    int n = indices.size();
    String k = "RAD_GOLDEN";
    for (Expr i : indices.subList(0, Math.max(0, n - 2))) {
      k = "rad_extend(" + k + ", (long long) (" + expr(i, scope) + "))";
    }
    String row = n < 2 ? "0LL" : "(long long) (" + expr(indices.get(n - 2), scope) + ")";
    String index = n < 1 ? "0LL" : "(long long) (" + expr(indices.get(n - 1), scope) + ")";
    return k + ", " + row + ", " + index;
  }

  private static String arrayName(Expr.Index ix) {
    Expr a = ix;
    while (a instanceof Expr.Index i) {
      a = i.array();
    }
    return a instanceof Expr.Ref r ? r.var().name() : "";
  }

  static String expr(Expr e, Scope scope) {
    if (e instanceof Expr.Literal l) {
      return literal(l);
    }
    if (e instanceof Expr.Ref r) {
      return name(r.var().name());
    }
    if (e instanceof Expr.Index ix) {
      if (ix.array() instanceof Expr.Index row && row.array() instanceof Expr.Ref m) {
        String a = name(m.var().name());
        return a + "[(long long) (" + expr(row.index(), scope) + ") * " + a + "_cols + (" + expr(ix.index(), scope) + ")]";
      }
      return expr(ix.array(), scope) + "[" + expr(ix.index(), scope) + "]";
    }
    if (e instanceof Expr.Length l) {
      if (l.array() instanceof Expr.Index ix) {
        return expr(ix.array(), scope) + "_cols";
      }
      return expr(l.array(), scope) + "_rows";
    }
    if (e instanceof Expr.Unary u) {
      return "(" + u.op().symbol + expr(u.operand(), scope) + ")";
    }
    if (e instanceof Expr.Binary b) {
      if (b.op() == Expr.BinaryOp.REM && b.type() == Type.DOUBLE) {
        return "fmod(" + expr(b.left(), scope) + ", " + expr(b.right(), scope) + ")";
      }
      if (b.op() == Expr.BinaryOp.SHL || b.op() == Expr.BinaryOp.SHR || b.op() == Expr.BinaryOp.USHR) {
        // Java takes the count mod 32 (64 for a long), and >>> shifts in zeros: in C, an unsigned shift
        boolean isLong = b.type() == Type.LONG;
        String count = "(" + expr(b.right(), scope) + " & " + (isLong ? 63 : 31) + ")";
        String left = expr(b.left(), scope);
        if (b.op() == Expr.BinaryOp.USHR) {
          String unsigned = isLong ? "unsigned long long" : "unsigned int";
          return "((" + cType(b.type()) + ") (((" + unsigned + ") " + left + ") >> " + count + "))";
        }
        return "(" + left + " " + b.op().symbol + " " + count + ")";
      }
      return "(" + expr(b.left(), scope) + " " + b.op().symbol + " " + expr(b.right(), scope) + ")";
    }
    if (e instanceof Expr.Conditional c) {
      return "(" + expr(c.condition(), scope) + " ? " + expr(c.whenTrue(), scope) + " : " + expr(c.whenFalse(), scope) + ")";
    }
    if (e instanceof Expr.Cast c) {
      return "((" + cType(c.type()) + ") (" + expr(c.operand(), scope) + "))";
    }
    if (e instanceof Expr.StaticCall c) {
      return call(c, scope);
    }
    if (e instanceof Expr.ContextCall c && c.op() == RuntimeOp.POP_BIT) {
      return "(rad_tape[" + slot(c, scope) + "] != 0.0)";
    }
    if (e instanceof Expr.ContextCall c && c.op().pops() && scope.records().isSampled(c)) {
      // as RadContext.popSampled: the kept value, else 0.0
      int r = scope.records().index(c);
      return "(rad_exact ? rad_tape[" + slot(c, scope) + "] : rad_kept" + r + " ? rad_tape[rad_at" + r + "] : 0.0)";
    }
    if (e instanceof Expr.ContextCall c && c.op().pops()) {
      return "rad_tape[" + slot(c, scope) + "]";
    }
    throw new IllegalStateException("no GPU form for " + org.rad.processor.ir.IrText.of(e));
  }

  private static String call(Expr.StaticCall c, Scope scope) {
    List<String> args = new ArrayList<>();
    switch (c.owner()) {
      case MATH -> {
        String type = cType(c.type());
        for (Expr a : c.args()) {
          args.add("(" + type + ") (" + expr(a, scope) + ")");
        }
        // ParallelLoops and DeviceFunctions admit only functions with a C name
        String fn = org.rad.processor.ir.MathRules.find(c.name()).map(org.rad.processor.ir.MathRules.Rule::cName)
            .orElseThrow(() -> new IllegalStateException("no GPU form for Math." + c.name()));
        return fn + "(" + String.join(", ", args) + ")";
      }
      case DERIVATIVES -> {
        for (Expr a : c.args()) {
          args.add(expr(a, scope));
        }
        return "rad_d_" + c.name() + "(" + String.join(", ", args) + ")";
      }
      case GENERATED -> {
        for (Expr a : c.args()) {
          if (a instanceof Expr.Ref r && r.var().name().equals("ctx")) {
            continue;
          }
          if (a instanceof Expr.Ref r && r.var().type().isArray()) {
            args.add(name(r.var().name()));
            args.add(name(r.var().name()) + "_rows");
          } else {
            args.add(expr(a, scope));
          }
        }
        return "rad_fn_" + c.name() + "(" + String.join(", ", args) + ")";
      }
      default -> throw new IllegalStateException("no GPU form for " + c.owner() + "." + c.name());
    }
  }

  private static String literal(Expr.Literal l) {
    String t = l.text().replace("_", "");
    switch (t) {
      case "Math.PI":
        return "3.141592653589793";
      case "Math.E":
        return "2.718281828459045";
      case "Double.NaN":
        return "__longlong_as_double(0x7ff8000000000000LL)";
      case "Double.POSITIVE_INFINITY":
        return "__longlong_as_double(0x7ff0000000000000LL)";
      case "Double.NEGATIVE_INFINITY":
        return "__longlong_as_double(0xfff0000000000000LL)";
      case "true":
        return "1";
      case "false":
        return "0";
      default:
        break;
    }
    boolean hex = t.startsWith("0x") || t.startsWith("0X");
    if (t.endsWith("L") || t.endsWith("l")) {
      return t.substring(0, t.length() - 1) + "LL";
    }
    if (!hex && (t.endsWith("d") || t.endsWith("D"))) {
      t = t.substring(0, t.length() - 1);
      return t.contains(".") || t.contains("e") || t.contains("E") ? t : t + ".0";
    }
    return t;
  }
}
