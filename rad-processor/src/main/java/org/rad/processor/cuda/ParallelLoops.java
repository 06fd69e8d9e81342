package org.rad.processor.cuda;

import static org.rad.processor.cuda.IrWalk.arrayOf;
import static org.rad.processor.cuda.IrWalk.collectReads;
import static org.rad.processor.cuda.IrWalk.collectWrites;
import static org.rad.processor.cuda.IrWalk.contains;
import static org.rad.processor.cuda.IrWalk.flatten;
import static org.rad.processor.cuda.IrWalk.isArrayName;
import static org.rad.processor.cuda.IrWalk.reads;
import static org.rad.processor.cuda.IrWalk.readsAny;
import static org.rad.processor.cuda.IrWalk.walkExprs;
import static org.rad.processor.cuda.IrWalk.writes;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Sweep;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The loop-parallelism analysis of the CUDA path: whether a loop nest of a sweep can run as
 * kernels, one thread per iteration, and if so the kernels.
 *
 * <p>A nest is a counted loop, optionally with counted inner loops at the top of its body whose
 * bounds do not depend on it. Its iterations are independent when
 * <ul>
 *   <li>every array it writes is written and read only at the element of the thread's own loop
 *       indices ({@code a[i]}, {@code m[i][j]}), or only added into ({@code +=}, scatters of
 *       adjoints: {@code atomicAdd}) and never read;</li>
 *   <li>every scalar it writes is private to an iteration (assigned before it is read, or reset to
 *       zero at the end of the iteration, as the adjoint temporaries of a reverse sweep are), or a
 *       sum over the iterations that the loop never reads (a reduction: {@code loss += ...}).</li>
 * </ul>
 * A two-level nest with one inner loop may have statements before the inner loop that assign
 * private scalars from pure expressions (each thread recomputes them) and, after it, calls of
 * callees' reverse sweeps that take a sum over the inner loop as their result's adjoint, then reset
 * it: since a reverse sweep is linear in that adjoint, each thread calls it with its own term. A
 * nest with several inner loops becomes one kernel per inner loop (loop distribution, legal under
 * the rules above).
 */
final class ParallelLoops {
  /** Why a nest cannot run as kernels. */
  static final class NotParallel extends Exception {
    final transient Origin origin;

    NotParallel(Origin origin, String why) {
      super(why, null, false, false);
      this.origin = origin;
    }
  }

  /** The records a kernel's thread may take (and the reverse kernel give back): one value each. */
  private static final Set<RuntimeOp> RECORDS = EnumSet.of(RuntimeOp.PUSH_SAMPLED_AT, RuntimeOp.POP_SAMPLED_AT,
      RuntimeOp.PUSH_DOUBLE, RuntimeOp.POP_DOUBLE, RuntimeOp.PUSH_BIT, RuntimeOp.POP_BIT);

  private final DeviceFunctions functions;

  ParallelLoops(DeviceFunctions functions) {
    this.functions = functions;
  }

  /** The counted loop {@code f} as a range, or null if it is not {@code for (v = a; v <|<=|>|>= b; v++|v--)}. */
  static Kernel.Loop loop(Stmt.For f) {
    if (f.init().size() != 1 || f.update().size() != 1 || !(f.condition() instanceof Expr.Binary cond)) {
      return null;
    }
    Var v;
    Expr start;
    if (f.init().get(0) instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET && a.target() instanceof Expr.Ref r) {
      v = r.var();
      start = a.value();
    } else if (f.init().get(0) instanceof Stmt.Declare d && d.init() != null) {
      v = d.var();
      start = d.init();
    } else {
      return null;
    }
    if (v.type() != Type.INT || !(cond.left() instanceof Expr.Ref cv) || !cv.var().equals(v) || reads(cond.right(), v)
        || reads(start, v)) {
      return null;
    }
    Boolean up = null;
    Stmt u = f.update().get(0);
    if (u instanceof Stmt.Step st && st.var().equals(v)) {
      up = st.increment();
    } else if (u instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.var().equals(v)
        && a.value() instanceof Expr.Literal l && l.text().equals("1")
        && (a.op() == Stmt.AssignOp.ADD || a.op() == Stmt.AssignOp.SUB)) {
      up = a.op() == Stmt.AssignOp.ADD;
    }
    if (up == null || writes(f.body(), v)) {
      return null;
    }
    Expr b = cond.right();
    Expr one = Expr.Literal.ofInt(1);
    if (up && cond.op() == Expr.BinaryOp.LT) {
      return new Kernel.Loop(v, start, sub(b, start), f.origin());
    }
    if (up && cond.op() == Expr.BinaryOp.LE) {
      return new Kernel.Loop(v, start, add(sub(b, start), one), f.origin());
    }
    if (!up && cond.op() == Expr.BinaryOp.GE) {
      return new Kernel.Loop(v, b, add(sub(start, b), one), f.origin());
    }
    if (!up && cond.op() == Expr.BinaryOp.GT) {
      return new Kernel.Loop(v, add(b, one), sub(start, b), f.origin());
    }
    return null;
  }

  private static Expr sub(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.SUB, a, b, Type.INT);
  }

  private static Expr add(Expr a, Expr b) {
    return new Expr.Binary(Expr.BinaryOp.ADD, a, b, Type.INT);
  }

  /**
   * The kernels of the nest {@code f} (named {@code prefix_0}, {@code prefix_1}, ... from
   * {@code next}).
   *
   * @throws NotParallel if its iterations are not independent by the rules above, or it uses what
   *     kernels cannot express
   */
  List<Kernel> kernels(Stmt.For f, String prefix, int next) throws NotParallel {
    Kernel.Loop outer = loop(f);
    if (outer == null) {
      throw new NotParallel(f.origin(), "only counted loops for (i = a; i < b; i++) (or <=, or counting down) run as kernels");
    }
    List<Stmt> body = flatten(f.body().stmts());
    List<Integer> loops = new ArrayList<>();
    for (int k = 0; k < body.size(); k++) {
      if (body.get(k) instanceof Stmt.For) {
        loops.add(k);
      }
    }
    List<List<Stmt>> bodies = new ArrayList<>();
    List<List<Stmt>> posts = new ArrayList<>();
    List<Kernel.Loop> inners = new ArrayList<>();
    if (loops.isEmpty()) {
      bodies.add(body);
      posts.add(List.of());
      inners.add(null);
    } else {
      Set<String> writtenInNest = new HashSet<>();
      collectWrites(f.body(), writtenInNest);
      for (int k : loops) {
        Stmt.For inner = (Stmt.For) body.get(k);
        Kernel.Loop l = loop(inner);
        if (l == null) {
          throw new NotParallel(inner.origin(), "only counted inner loops for (j = a; j < b; j++) (or <=, or counting down) run as kernels");
        }
        for (Expr bound : List.of(l.lo(), l.count())) {
          if (reads(bound, outer.var()) || readsAny(bound, writtenInNest)) {
            throw new NotParallel(inner.origin(), "the bounds of the inner loop over " + l.var().name()
                + " change with the outer loop; a kernel needs a rectangular iteration space");
          }
        }
        inners.add(l);
      }
      List<Stmt> pre = body.subList(0, loops.get(0));
      Set<String> writtenInInner = new HashSet<>();
      for (int k : loops) {
        collectWrites(((Stmt.For) body.get(k)).body(), writtenInInner);
      }
      for (Stmt s : pre) {
        requirePure(s);
        Set<String> read = new HashSet<>();
        collectReads(s, read);
        for (String v : read) {
          if (writtenInInner.contains(v)) {
            throw new NotParallel(s.origin(), "the outer loop reads " + v + ", which its inner loop wrote in the"
                + " previous iteration; its iterations are not independent");
          }
        }
      }
      if (loops.size() == 1) {
        Stmt.For inner = (Stmt.For) body.get(loops.get(0));
        List<Stmt> post = body.subList(loops.get(0) + 1, body.size());
        List<Stmt> thread = new ArrayList<>(pre);
        thread.addAll(flatten(inner.body().stmts()));
        checkPost(post, inner.body());
        thread.addAll(post);
        bodies.add(thread);
        posts.add(List.copyOf(post));
      } else {
        int last = loops.get(loops.size() - 1);
        List<Stmt> post = body.subList(last + 1, body.size());
        Stmt.For lastLoop = (Stmt.For) body.get(last);
        checkPost(post, lastLoop.body());
        Set<String> otherLoops = new HashSet<>();
        for (int k = 0; k + 1 < loops.size(); k++) {
          collectWrites(((Stmt.For) body.get(loops.get(k))).body(), otherLoops);
        }
        for (Stmt s : post) {
          Set<String> read = new HashSet<>();
          collectReads(s, read);
          read.retainAll(otherLoops);
          read.removeIf(v -> isArrayName(f.body(), v));
          if (!read.isEmpty()) {
            throw new NotParallel(s.origin(), "after its inner loops the outer loop reads " + read.iterator().next()
                + ", which an inner loop other than the last computes; a kernel per inner loop cannot carry it");
          }
        }
        for (int k = 0; k < loops.size(); k++) {
          int end = k + 1 < loops.size() ? loops.get(k + 1) : last + 1;
          if (end != loops.get(k) + 1) {
            throw new NotParallel(body.get(loops.get(k) + 1).origin(), "a nest with several inner loops runs as one kernel per"
                + " inner loop, so no statements may stand between them; move them before the first inner loop");
          }
          Stmt.For inner = (Stmt.For) body.get(loops.get(k));
          List<Stmt> thread = needed(pre, inner.body());
          thread.addAll(flatten(inner.body().stmts()));
          if (k == loops.size() - 1) {
            // the statements after the last inner loop use only its sums: its kernel runs them
            thread = new ArrayList<>(needed(pre, Stmt.Block.of(concat(flatten(inner.body().stmts()), post))));
            thread.addAll(flatten(inner.body().stmts()));
            thread.addAll(post);
          }
          bodies.add(thread);
          posts.add(k == loops.size() - 1 ? List.copyOf(post) : List.of());
        }
        requireNoScalarFlow(body, loops);
      }
    }
    // arrays: checked over the whole nest, so that distributing it over several kernels is legal
    List<List<Access>> perKernel = new ArrayList<>();
    for (int k = 0; k < bodies.size(); k++) {
      List<Access> acc = new ArrayList<>();
      for (Stmt s : bodies.get(k)) {
        arrayAccesses(s, acc);
      }
      perKernel.add(acc);
    }
    Map<String, String> modes = arrayModes(perKernel, outer, inners);
    List<Kernel> out = new ArrayList<>();
    for (int k = 0; k < bodies.size(); k++) {
      out.add(kernel(prefix + "_" + (next + k), f.origin(), outer, inners.get(k), bodies.get(k), posts.get(k),
          perKernel.get(k), modes));
    }
    return out;
  }

  /** A pre statement: assigns a private scalar from a pure expression (no records, no array writes). */
  private void requirePure(Stmt s) throws NotParallel {
    Expr value;
    Var target;
    if (s instanceof Stmt.Declare d && d.init() != null) {
      value = d.init();
      target = d.var();
    } else if (s instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET && a.target() instanceof Expr.Ref r) {
      value = a.value();
      target = r.var();
    } else {
      throw new NotParallel(s.origin(), "before its inner loop a kernel's outer loop may only assign scalars"
          + " (each thread recomputes them); found " + org.rad.processor.ir.IrText.of(s));
    }
    if (target.type().isArray() || contains(value, x -> x instanceof Expr.ContextCall)) {
      throw new NotParallel(s.origin(), "before its inner loop a kernel's outer loop may only assign scalars from"
          + " expressions without records; found " + org.rad.processor.ir.IrText.of(s));
    }
  }

  /**
   * The statements after the only inner loop: calls of reverse sweeps whose result adjoint is a sum
   * the inner loop accumulates, and resets of such sums to zero.
   */
  private void checkPost(List<Stmt> post, Stmt.Block inner) throws NotParallel {
    Set<String> innerWritten = new HashSet<>();
    collectWrites(inner, innerWritten);
    innerWritten.removeIf(v -> isArrayName(inner, v));
    for (Stmt s : post) {
      if (s instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET && a.target() instanceof Expr.Ref r
          && a.value() instanceof Expr.Literal l && l.isZero() && r.var().type() == Type.DOUBLE) {
        continue;
      }
      if (s instanceof Stmt.Call c && c.call() instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED
          && Sweep.REVERSE.names(call.name())) {
        int resultBar = functions.resultAdjointPosition(call);
        for (int k = 0; k < call.args().size(); k++) {
          Expr arg = call.args().get(k);
          boolean sum = k == resultBar && arg instanceof Expr.Ref r && innerWritten.contains(r.var().name());
          if (!sum && readsAny(arg, innerWritten)) {
            throw new NotParallel(s.origin(), "after its inner loop a kernel's outer loop may use what the inner loop"
                + " computes only as the result adjoint of a reverse sweep; found " + org.rad.processor.ir.IrText.of(s));
          }
        }
        continue;
      }
      if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Index ix
          && (a.op() == Stmt.AssignOp.ADD || a.op() == Stmt.AssignOp.SUB) && linearIn(a.value(), innerWritten)
          && !readsAny(ix, innerWritten)) {
        continue;
      }
      throw new NotParallel(s.origin(), "after its inner loop a kernel's outer loop may only call reverse sweeps,"
          + " add into arrays terms linear in a sum over the inner loop, and reset such sums to zero; found "
          + org.rad.processor.ir.IrText.of(s));
    }
  }

  /**
   * Whether {@code e} is linear in exactly one of {@code sums} and reads no other of them
   * ({@code sum * x}, {@code -sum / y}, {@code Derivatives.times(sum, p)}): then each thread may add
   * its own part of the sum's term.
   */
  static boolean linearIn(Expr e, Set<String> sums) {
    if (e instanceof Expr.Ref r) {
      return sums.contains(r.var().name());
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return linearIn(u.operand(), sums);
    }
    if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.MUL) {
      return linearIn(b.left(), sums) && !readsAny(b.right(), sums) || linearIn(b.right(), sums) && !readsAny(b.left(), sums);
    }
    if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.DIV) {
      return linearIn(b.left(), sums) && !readsAny(b.right(), sums);
    }
    if (e instanceof Expr.StaticCall c && org.rad.processor.ir.MathRules.isGuardedProduct(c)) {
      return linearIn(c.args().get(0), sums) && !readsAny(c.args().get(1), sums);
    }
    return false;
  }

  private static List<Stmt> concat(List<Stmt> a, List<Stmt> b) {
    List<Stmt> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The pre statements that the inner loop body (transitively) reads. */
  private static List<Stmt> needed(List<Stmt> pre, Stmt.Block body) {
    Set<String> reads = new HashSet<>();
    collectReads(body, reads);
    List<Stmt> out = new ArrayList<>();
    for (int k = pre.size() - 1; k >= 0; k--) {
      Stmt s = pre.get(k);
      Set<String> w = new HashSet<>();
      collectWrites(s, w);
      if (w.stream().anyMatch(reads::contains)) {
        out.add(0, s);
        collectReads(s, reads);
      }
    }
    return out;
  }

  /** With several inner loops, no scalar may flow from one to another. */
  private static void requireNoScalarFlow(List<Stmt> body, List<Integer> loops) throws NotParallel {
    for (int a : loops) {
      Set<String> written = new HashSet<>();
      collectWrites(body.get(a), written);
      for (int b : loops) {
        if (a == b) {
          continue;
        }
        Set<String> read = new HashSet<>();
        collectReads(body.get(b), read);
        // a scalar the other loop assigns before it reads it (a shared temporary) does not flow
        List<Event> events = new ArrayList<>();
        for (Stmt st : ((Stmt.For) body.get(b)).body().stmts()) {
          events(st, true, events);
        }
        Set<String> firstSet = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (Event ev : events) {
          if (seen.add(ev.var().name()) && ev.kind() == Event.SET && ev.definite()) {
            firstSet.add(ev.var().name());
          }
        }
        for (String w : written) {
          Stmt.For fa = (Stmt.For) body.get(a);
          if (read.contains(w) && !firstSet.contains(w) && !isArrayName(fa.body(), w) && !w.equals(loop(fa).var().name())) {
            throw new NotParallel(body.get(b).origin(), "the scalar " + w + " flows from one inner loop to another;"
                + " a kernel per inner loop cannot carry it");
          }
        }
      }
    }
  }


  // ---- one kernel ------------------------------------------------------------------------------

  private Kernel kernel(String name, Origin origin, Kernel.Loop outer, Kernel.Loop inner, List<Stmt> body,
      List<Stmt> post, List<Access> accesses, Map<String, String> modes) throws NotParallel {
    Set<String> threadVars = new HashSet<>();
    threadVars.add(outer.var().name());
    if (inner != null) {
      threadVars.add(inner.var().name());
    }
    for (Stmt s : body) {
      checkStatement(s, false, true);
    }
    // records
    List<Kernel.Record> records = new ArrayList<>();
    Boolean pops = null;
    for (Stmt s : body) {
      collectRecords(s, records);
    }
    for (Kernel.Record r : records) {
      boolean pop = r.call().op().pops();
      if (pops != null && pops != pop) {
        throw new NotParallel(origin, "a kernel may take records or regenerate them, not both");
      }
      pops = pop;
    }
    // scalars
    List<Event> events = new ArrayList<>();
    for (Stmt s : body) {
      events(s, true, events);
    }
    Map<String, Var> written = new LinkedHashMap<>();
    Map<String, Var> read = new LinkedHashMap<>();
    for (Event e : events) {
      if (e.var.type().isArray() || e.var.name().equals("ctx") || threadVars.contains(e.var.name())) {
        if (e.kind != Event.READ && threadVars.contains(e.var.name())) {
          throw new NotParallel(origin, "the loop variable " + e.var.name() + " is assigned in the loop body");
        }
        continue;
      }
      (e.kind == Event.READ ? read : written).putIfAbsent(e.var.name(), e.var);
    }
    List<Var> locals = new ArrayList<>();
    List<Var> zeroOnEntry = new ArrayList<>();
    List<Var> reductions = new ArrayList<>();
    for (Var v : written.values()) {
      Event first = null;
      boolean onlyUpdates = true;
      boolean readInBody = false;
      for (Event e : events) {
        if (!e.var.name().equals(v.name())) {
          continue;
        }
        if (first == null) {
          first = e;
        }
        if (e.kind == Event.SET) {
          onlyUpdates = false;
        }
        if (e.kind == Event.READ) {
          readInBody = true;
        }
      }
      boolean privateValue = first != null && first.kind == Event.SET && first.definite;
      if (privateValue) {
        locals.add(v);
      } else if (resetAtEnd(body, v)) {
        locals.add(v);
        zeroOnEntry.add(v);
      } else if (onlyUpdates && !readInBody && v.type() == Type.DOUBLE) {
        reductions.add(v);
      } else {
        throw new NotParallel(origin, "the loop carries " + v.name() + " from one iteration to the next"
            + " (it is neither assigned before it is read, nor reset to zero at the end of an iteration, nor only summed into),"
            + " so its iterations cannot run in parallel");
      }
    }
    // The compact device tape decides a thread's sampled records before its body runs (and in a
    // count kernel without it), so their loop indices must not depend on what the body computes.
    for (Kernel.Record r : records) {
      if (r.fraction() == null) {
        continue;
      }
      List<Expr> indices = r.call().args().subList(r.call().op().arity(), r.call().args().size());
      for (Expr index : indices) {
        if (contains(index, x -> x instanceof Expr.Index || x instanceof Expr.StaticCall || x instanceof Expr.ContextCall
            || x instanceof Expr.Ref ref && written.containsKey(ref.var().name()))) {
          throw new NotParallel(origin, "the indices of a sampled record in a kernel must be its loop variables and"
              + " values of the host, not " + org.rad.processor.ir.IrText.of(index));
        }
      }
    }
    List<Var> scalars = new ArrayList<>();
    for (Var v : read.values()) {
      if (!written.containsKey(v.name())) {
        scalars.add(v);
      }
    }
    for (Expr bound : inner == null ? List.of(outer.lo(), outer.count())
        : List.of(outer.lo(), outer.count(), inner.lo(), inner.count())) {
      if (contains(bound, x -> x instanceof Expr.Index || x instanceof Expr.StaticCall || x instanceof Expr.ContextCall)) {
        throw new NotParallel(origin, "a kernel's loop bounds must be arithmetic on scalars");
      }
    }
    // arrays
    Map<String, Var> arrays = new LinkedHashMap<>();
    Set<String> atomic = new HashSet<>();
    Set<String> writtenArrays = new HashSet<>();
    for (Access a : accesses) {
      arrays.putIfAbsent(a.array.name(), a.array);
      if (a.write) {
        writtenArrays.add(a.array.name());
        if ("atomic".equals(modes.get(a.array.name()))) {
          atomic.add(a.array.name());
        }
      }
    }
    // Once per warp: the statements after the inner loop are linear in its sums, and a warp's threads
    // share the outer index, so the warp adds its threads' terms and its first lane runs them once
    // (32 times fewer atomic adds into the adjoints they scatter to). Not when they read the inner
    // index or records.
    List<Stmt> threadBody = body;
    List<Stmt> warpPost = List.of();
    List<Var> warpSums = new ArrayList<>();
    Set<String> postReads = new HashSet<>();
    post.forEach(st -> collectReads(st, postReads));
    List<Kernel.Record> postRecords = new ArrayList<>();
    post.forEach(st -> collectRecords(st, postRecords));
    if (!post.isEmpty() && inner != null && !postReads.contains(inner.var().name()) && postRecords.isEmpty()) {
      threadBody = body.subList(0, body.size() - post.size());
      warpPost = post;
      Set<String> sums = new HashSet<>();
      threadBody.forEach(st -> collectWrites(st, sums));
      for (Var v : locals) {
        if (sums.contains(v.name()) && postReads.contains(v.name()) && v.type() == Type.DOUBLE) {
          warpSums.add(v);
        }
      }
    }
    return new Kernel(name, origin, outer, inner, List.copyOf(threadBody), List.copyOf(warpPost), List.copyOf(warpSums),
        List.copyOf(arrays.values()), atomic, writtenArrays, scalars, locals, zeroOnEntry, reductions, records,
        pops != null && pops);
  }

  /** Whether the last top-level statement of {@code body} that writes {@code v} sets it to zero. */
  private static boolean resetAtEnd(List<Stmt> body, Var v) {
    for (int k = body.size() - 1; k >= 0; k--) {
      Set<String> w = new HashSet<>();
      collectWrites(body.get(k), w);
      if (w.contains(v.name())) {
        return body.get(k) instanceof Stmt.Assign a && a.op() == Stmt.AssignOp.SET && a.target() instanceof Expr.Ref r
            && r.var().name().equals(v.name()) && a.value() instanceof Expr.Literal l && l.isZero();
      }
    }
    return false;
  }

  /** A read or write of a scalar, in evaluation order; definite when it happens in every iteration. */
  private record Event(Var var, int kind, boolean definite) {
    static final int READ = 0;
    static final int SET = 1;
    static final int UPDATE = 2;
  }

  private static void events(Stmt s, boolean definite, List<Event> out) {
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> events(c, definite, out));
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        readEvents(d.init(), definite, out);
        out.add(new Event(d.var(), Event.SET, definite));
      }
    } else if (s instanceof Stmt.Assign a) {
      readEvents(a.value(), definite, out);
      if (a.target() instanceof Expr.Ref r) {
        out.add(new Event(r.var(), a.op() == Stmt.AssignOp.SET ? Event.SET : Event.UPDATE, definite));
      } else {
        readEvents(a.target(), definite, out);
      }
    } else if (s instanceof Stmt.Step st) {
      out.add(new Event(st.var(), Event.UPDATE, definite));
    } else if (s instanceof Stmt.Call c) {
      readEvents(c.call(), definite, out);
    } else if (s instanceof Stmt.If i) {
      readEvents(i.condition(), definite, out);
      events(i.whenTrue(), false, out);
      if (i.whenFalse() != null) {
        events(i.whenFalse(), false, out);
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> events(c, definite, out));
      if (f.condition() != null) {
        readEvents(f.condition(), definite, out);
      }
      events(f.body(), false, out);
      f.update().forEach(c -> events(c, false, out));
    } else if (s instanceof Stmt.While w) {
      readEvents(w.condition(), definite, out);
      events(w.body(), false, out);
    }
  }

  private static void readEvents(Expr e, boolean definite, List<Event> out) {
    Exprs.walk(e, x -> {
      if (x instanceof Expr.Ref r) {
        out.add(new Event(r.var(), Event.READ, definite));
      }
    });
  }

  /** Rejects what a kernel cannot express. */
  private void checkStatement(Stmt s, boolean inLoop, boolean topLevel) throws NotParallel {
    if (s instanceof Stmt.Block b) {
      for (Stmt c : b.stmts()) {
        checkStatement(c, inLoop, topLevel);
      }
    } else if (s instanceof Stmt.Declare d) {
      if (d.var().type().isArray()) {
        throw new NotParallel(s.origin(), "a kernel cannot create or alias arrays (" + d.var().name() + ")");
      }
      if (d.init() != null) {
        checkExpr(d.init(), s.origin(), inLoop);
      }
    } else if (s instanceof Stmt.Assign a) {
      if (a.target() instanceof Expr.Ref r && r.var().type().isArray()) {
        throw new NotParallel(s.origin(), "a kernel cannot assign array references (" + r.var().name() + ")");
      }
      if (a.target() instanceof Expr.Index ix) {
        checkElement(ix, s.origin(), inLoop);
      }
      checkExpr(a.value(), s.origin(), inLoop);
    } else if (s instanceof Stmt.Step) {
      // a counter
    } else if (s instanceof Stmt.Call c) {
      if (c.call() instanceof Expr.ContextCall cc && cc.op().pushes() && RECORDS.contains(cc.op())) {
        if (inLoop) {
          throw new NotParallel(s.origin(), "records inside a loop of a thread are not supported on the GPU");
        }
        for (Expr arg : cc.args()) {
          checkExpr(arg, s.origin(), inLoop);
        }
      } else if (c.call() instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED
          && Sweep.REVERSE.names(call.name())) {
        functions.require(call, s.origin());
        for (Expr arg : call.args()) {
          if (!(arg instanceof Expr.Ref r && (r.var().type().isArray() || r.var().name().equals("ctx")))) {
            checkExpr(arg, s.origin(), inLoop);
          }
        }
      } else {
        throw new NotParallel(s.origin(), "the call " + org.rad.processor.ir.IrText.of(s) + " cannot run in a kernel");
      }
    } else if (s instanceof Stmt.If i) {
      checkExpr(i.condition(), s.origin(), inLoop);
      checkStatement(i.whenTrue(), inLoop, false);
      if (i.whenFalse() != null) {
        checkStatement(i.whenFalse(), inLoop, false);
      }
    } else if (s instanceof Stmt.For f) {
      for (Stmt c : f.init()) {
        checkStatement(c, inLoop, false);
      }
      if (f.condition() != null) {
        checkExpr(f.condition(), s.origin(), true);
      }
      for (Stmt c : f.update()) {
        checkStatement(c, true, false);
      }
      checkStatement(f.body(), true, false);
    } else if (s instanceof Stmt.While w) {
      checkExpr(w.condition(), s.origin(), true);
      checkStatement(w.body(), true, false);
    } else if (s instanceof Stmt.Break || s instanceof Stmt.Continue) {
      if (!inLoop) {
        throw new NotParallel(s.origin(), "break and continue of a parallel loop cannot run in a kernel");
      }
    } else {
      throw new NotParallel(s.origin(), org.rad.processor.ir.IrText.of(s) + " cannot run in a kernel");
    }
  }

  private void checkElement(Expr.Index ix, Origin origin, boolean inLoop) throws NotParallel {
    List<Expr> idx = new ArrayList<>();
    Var array = arrayOf(ix, idx);
    if (array == null) {
      throw new NotParallel(origin, "a kernel indexes only array variables");
    }
    if (array.type() != Type.DOUBLE_ARRAY && array.type() != Type.DOUBLE_MATRIX) {
      throw new NotParallel(origin, "only double[] and double[][] arrays live on the GPU (" + array.name() + " is "
          + array.type().source() + ")");
    }
    int rank = array.type() == Type.DOUBLE_MATRIX ? 2 : 1;
    if (idx.size() != rank) {
      throw new NotParallel(origin, "a kernel reads and writes single elements of " + array.name() + ", not rows");
    }
    for (Expr i : idx) {
      checkExpr(i, origin, inLoop);
    }
  }

  private void checkExpr(Expr e, Origin origin, boolean inLoop) throws NotParallel {
    if (e instanceof Expr.Index ix) {
      checkElement(ix, origin, inLoop);
      return;
    }
    if (e instanceof Expr.Length l) {
      Expr a = l.array();
      if (!(a instanceof Expr.Ref || a instanceof Expr.Index ia && ia.array() instanceof Expr.Ref)
          || (a instanceof Expr.Ref r && r.type() != Type.DOUBLE_ARRAY && r.type() != Type.DOUBLE_MATRIX)) {
        throw new NotParallel(origin, "a kernel takes .length only of double[] and double[][] variables");
      }
      return;
    }
    if (e instanceof Expr.Ref r) {
      if (r.var().type().isArray()) {
        throw new NotParallel(origin, "a kernel uses arrays only through their elements and in calls (" + r.var().name() + ")");
      }
      return;
    }
    if (e instanceof Expr.Literal l) {
      if (l.text().equals("null")) {
        throw new NotParallel(origin, "null cannot run in a kernel");
      }
      return;
    }
    if (e instanceof Expr.StaticCall c) {
      switch (c.owner()) {
        case MATH -> {
          if (!MathRules.onGpu(c.name())) {
            throw new NotParallel(origin, "Math." + c.name() + " has no GPU version here");
          }
        }
        case DERIVATIVES -> {
          if (!MathRules.gpuHelpers().contains(c.name())) {
            throw new NotParallel(origin, "Derivatives." + c.name() + " has no GPU version here");
          }
        }
        case GENERATED -> {
          functions.require(c, origin);
          for (Expr arg : c.args()) {
            if (!(arg instanceof Expr.Ref r && (r.var().type().isArray() || r.var().name().equals("ctx")))) {
              checkExpr(arg, origin, inLoop);
            }
          }
          return;
        }
        default -> throw new NotParallel(origin, c.owner().simpleName + "." + c.name() + " cannot run in a kernel");
      }
      for (Expr arg : c.args()) {
        checkExpr(arg, origin, inLoop);
      }
      return;
    }
    if (e instanceof Expr.ContextCall c) {
      if (!c.op().pops() || !RECORDS.contains(c.op())) {
        throw new NotParallel(origin, "ctx." + c.op().methodName() + " cannot run in a kernel");
      }
      if (inLoop) {
        throw new NotParallel(origin, "records inside a loop of a thread are not supported on the GPU");
      }
      for (Expr arg : c.args()) {
        checkExpr(arg, origin, inLoop);
      }
      return;
    }
    if (e instanceof Expr.Unary || e instanceof Expr.Binary || e instanceof Expr.Conditional || e instanceof Expr.Cast) {
      for (Expr c : Exprs.children(e)) {
        checkExpr(c, origin, inLoop);
      }
      return;
    }
    throw new NotParallel(origin, org.rad.processor.ir.IrText.of(e) + " cannot run in a kernel");
  }

  private static void collectRecords(Stmt s, List<Kernel.Record> out) {
    walkExprs(s, e -> {
      if (e instanceof Expr.ContextCall c && RECORDS.contains(c.op())) {
        Expr fraction = c.op().sampled() ? c.args().get(1) : null;
        out.add(new Kernel.Record(c, fraction));
      }
    });
  }

  // ---- arrays ----------------------------------------------------------------------------------

  /** An access of an element of an array; {@code index} is null when a callee accesses it. */
  private record Access(Var array, boolean write, Stmt.AssignOp op, List<Expr> index, Origin origin, Kernel.Loop inner) {
    Access(Var array, boolean write, Stmt.AssignOp op, List<Expr> index, Origin origin) {
      this(array, write, op, index, origin, null);
    }

    /** This access, in the kernel of the inner loop {@code l}. */
    Access in(Kernel.Loop l) {
      return new Access(array, write, op, index, origin, l);
    }
  }

  private void arrayAccesses(Stmt s, List<Access> out) {
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> arrayAccesses(c, out));
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        readAccesses(d.init(), s.origin(), out);
      }
    } else if (s instanceof Stmt.Assign a) {
      readAccesses(a.value(), s.origin(), out);
      if (a.target() instanceof Expr.Index ix) {
        List<Expr> idx = new ArrayList<>();
        Var array = arrayOf(ix, idx);
        idx.forEach(i -> readAccesses(i, s.origin(), out));
        if (a.op() != Stmt.AssignOp.SET && a.op() != Stmt.AssignOp.ADD && a.op() != Stmt.AssignOp.SUB) {
          out.add(new Access(array, false, null, idx, s.origin()));
        }
        out.add(new Access(array, true, a.op(), idx, s.origin()));
      }
    } else if (s instanceof Stmt.Call c) {
      if (c.call() instanceof Expr.StaticCall call && call.owner() == Expr.Owner.GENERATED && Sweep.REVERSE.names(call.name())) {
        Set<Integer> adjoints = functions.adjointPositions(call);
        for (int k = 0; k < call.args().size(); k++) {
          Expr arg = call.args().get(k);
          if (arg instanceof Expr.Ref r && r.var().type().isArray()) {
            out.add(new Access(r.var(), adjoints.contains(k), Stmt.AssignOp.ADD, null, s.origin()));
          } else {
            readAccesses(arg, s.origin(), out);
          }
        }
      } else {
        readAccesses(c.call(), s.origin(), out);
      }
    } else if (s instanceof Stmt.If i) {
      readAccesses(i.condition(), s.origin(), out);
      arrayAccesses(i.whenTrue(), out);
      if (i.whenFalse() != null) {
        arrayAccesses(i.whenFalse(), out);
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> arrayAccesses(c, out));
      if (f.condition() != null) {
        readAccesses(f.condition(), s.origin(), out);
      }
      f.update().forEach(c -> arrayAccesses(c, out));
      arrayAccesses(f.body(), out);
    } else if (s instanceof Stmt.While w) {
      readAccesses(w.condition(), s.origin(), out);
      arrayAccesses(w.body(), out);
    }
  }

  private void readAccesses(Expr e, Origin origin, List<Access> out) {
    if (e instanceof Expr.Index ix) {
      List<Expr> idx = new ArrayList<>();
      Var array = arrayOf(ix, idx);
      if (array != null) {
        out.add(new Access(array, false, null, idx, origin));
      }
      idx.forEach(i -> readAccesses(i, origin, out));
      return;
    }
    if (e instanceof Expr.Length l) {
      Var array = l.array() instanceof Expr.Ref r ? r.var()
          : l.array() instanceof Expr.Index ix && ix.array() instanceof Expr.Ref r2 ? r2.var() : null;
      if (array != null) {
        out.add(new Access(array, false, null, List.of(), origin));
      }
      return;
    }
    if (e instanceof Expr.StaticCall c && c.owner() == Expr.Owner.GENERATED) {
      for (Expr arg : c.args()) {
        if (arg instanceof Expr.Ref r && r.var().type().isArray()) {
          out.add(new Access(r.var(), false, null, null, origin));
        } else {
          readAccesses(arg, origin, out);
        }
      }
      return;
    }
    for (Expr c : Exprs.children(e)) {
      readAccesses(c, origin, out);
    }
  }

  /** Per written array: "plain" (only its thread's own element) or "atomic" (only added into). */
  private static Map<String, String> arrayModes(List<List<Access>> perKernel, Kernel.Loop outer, List<Kernel.Loop> inners)
      throws NotParallel {
    Map<String, List<Access>> byArray = new LinkedHashMap<>();
    for (int k = 0; k < perKernel.size(); k++) {
      for (Access a : perKernel.get(k)) {
        byArray.computeIfAbsent(a.array.name(), x -> new ArrayList<>()).add(a.in(inners.get(k)));
      }
    }
    Map<String, String> modes = new LinkedHashMap<>();
    for (var e : byArray.entrySet()) {
      List<Access> list = e.getValue();
      if (list.stream().noneMatch(Access::write)) {
        continue;
      }
      boolean allOwn = list.stream().allMatch(a -> a.index != null && (a.index.isEmpty() && !a.write
          || own(a.index, outer, a.inner)));
      if (allOwn) {
        modes.put(e.getKey(), "plain");
        continue;
      }
      boolean onlyAdds = list.stream().allMatch(a -> a.write && (a.op == Stmt.AssignOp.ADD || a.op == Stmt.AssignOp.SUB));
      if (onlyAdds) {
        modes.put(e.getKey(), "atomic");
        continue;
      }
      Access bad = list.stream().filter(a -> !(a.index != null && own(a.index, outer, a.inner))).findFirst()
          .orElse(list.get(0));
      StringBuilder at = new StringBuilder(e.getKey());
      if (bad.index == null) {
        at.append(" (passed to a call)");
      } else {
        bad.index.forEach(x -> at.append('[').append(org.rad.processor.ir.IrText.of(x)).append(']'));
      }
      throw new NotParallel(bad.origin, "iterations write " + e.getKey() + " and " + (bad.write ? "write " : "read ") + at
          + ", an element other iterations may touch; a kernel needs each element written by the iteration of its own"
          + " indices (" + e.getKey() + "[i] or " + e.getKey() + "[i][j]), or only added into with +=");
    }
    return modes;
  }

  /**
   * Whether {@code index} is exactly the thread's loop indices ({@code inner} is the inner loop of
   * the kernel the access is in, or null for a one-dimensional kernel).
   */
  private static boolean own(List<Expr> index, Kernel.Loop outer, Kernel.Loop inner) {
    if (index.size() == 1) {
      return inner == null && isRef(index.get(0), outer.var());
    }
    if (index.size() == 2) {
      return inner != null && isRef(index.get(0), outer.var()) && isRef(index.get(1), inner.var());
    }
    return false;
  }

  private static boolean isRef(Expr e, Var v) {
    return e instanceof Expr.Ref r && r.var().name().equals(v.name());
  }

  /** The array variable of an element access, its indices into {@code idx} (outermost first). */
}
