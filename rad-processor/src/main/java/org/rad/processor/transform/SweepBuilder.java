package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.analysis.Activity;
import org.rad.processor.analysis.Effects;
import org.rad.processor.analysis.ElementDependences;
import org.rad.processor.analysis.Inversions;
import org.rad.processor.analysis.Plan;
import org.rad.processor.analysis.Statements;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Expr.Owner;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Sweep;
import org.rad.processor.ir.Stmt.AssignOp;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Builds the two sweeps of one method from its IR and the decisions of the planner.
 *
 * <p>The forward sweep is the original code plus records: before a statement overwrites a value
 * that the reverse sweep will need (decided by {@link PushPlanner}), the old value is pushed; an
 * {@code if} whose condition cannot be re-evaluated pushes one bit; a loop that cannot be run
 * backwards from its bounds pushes its trip count.
 *
 * <p>The reverse sweep visits statements in reverse order. For each it first pops what the forward
 * sweep pushed, restoring the state to what it was just before the statement ran, then adds the
 * statement's share to the adjoints. So partial derivatives read plain primal variables, and
 * values that are cheap functions of the restored state (plan decisions) are recomputed.
 *
 * <p>This class holds the reverse rules and decides what is recorded and where; how a record is
 * taken and given back (exactly, or sampled for {@code @Randomize} values; one element, a slice
 * of a row, a whole array) is the method's {@link Records} strategy.
 */
final class SweepBuilder {
  static final Var CTX = new Var("ctx", Type.VOID, Var.Kind.SYNTHETIC);

  private final Activity activity;
  private final Plan plan;
  private final Effects effects;
  private final Map<String, CalleeInfo> callees;
  private final Naming naming;
  private final Set<Stmt> pushes;
  private final Set<String> needed;
  private final Adjoints adjoints;

  /** Reverse-sweep reads of each statement of the method (its own and its nested statements'). */
  final Map<Stmt, Set<String>> reads = new IdentityHashMap<>();
  /**
   * Reads the reverse sweep makes at the start of a compound statement's reverse, that is from
   * the state at its end in the forward sweep: re-evaluated conditions, counted-loop bounds, and
   * the recomputations at the start of a block.
   */
  final Map<Stmt, Set<String>> headerReads = new IdentityHashMap<>();
  /** Per statement, the element accesses among {@link #reads} (for the element-level record tests). */
  final Map<Stmt, ElementDependences.Reads> elementReads = new IdentityHashMap<>();
  /** Variables the reverse sweep recomputes at the start of their block. */
  final Set<Var> recomputed = new HashSet<>();
  private int tempsInUse;

  /** How values are recorded and restored: exactly, or sampled where the method asks (@Randomize). */
  private final Records records;
  /**
   * Variables of the for loops around the statement being built, outermost first, and for each
   * loop the reverse sweep does not count (a while loop, a for loop left by a break) its iteration
   * count: the keys of sampled records, so that each iteration draws its own sample. (Without the
   * count, every iteration of a while loop drew the same one, and a reverse sweep that multiplied
   * samples of two iterations was biased.) The forward sweep counts an iteration first, the
   * reverse sweep counts down from the total: both see k + 1 in iteration k.
   */
  private final java.util.ArrayDeque<Var> loopIndices = new java.util.ArrayDeque<>();
  /** The statement whose records are being built (its record site). */
  private Stmt current;

  /** @param freshLocals see {@link #freshLocals} */
  SweepBuilder(Activity activity, Plan plan, Effects effects, Map<String, CalleeInfo> callees, Naming naming,
      Set<Stmt> pushes, Set<String> needed, RandomizedRecords randomized, Set<String> freshLocals) {
    this.freshLocals = freshLocals;
    this.records = Records.of(randomized, effects.aliases(), freshLocals);
    this.activity = activity;
    this.plan = plan;
    this.effects = effects;
    this.callees = callees;
    this.naming = naming;
    this.pushes = pushes;
    this.needed = needed;
    this.adjoints = new Adjoints(activity, this::adjointLocation, type -> naming.temp(tempsInUse++));
  }

  /** Throws the errors the adjoint rules met while this builder built a reverse sweep, all of them. */
  void throwAdjointErrors() {
    adjoints.throwErrors();
  }

  // ---- forward sweep --------------------------------------------------------------------------

  Stmt.Block forward(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      forward(s, out);
      for (Var v : records.wholeAfter(s, needed)) {
        // the reference is let go unless the block's reverse reads it before the restore:
        // a recomputation at its start ({@code int n = a.length;}) needs the array itself
        out.addAll(records.recordWhole(v, !headerReads.getOrDefault(b, Set.of()).contains(v.name()),
            List.copyOf(loopIndices)));
      }
    }
    return new Stmt.Block(out, b.origin());
  }

  private void forward(Stmt s, List<Stmt> out) {
    current = s;
    if (s instanceof Stmt.Block b) {
      out.add(forward(b));
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        recordBranches(new Expr.Ref(d.var()), d.init(), out);
      }
      recordContents(d, out);
      if (pushes.contains(d)) {
        out.add(push(new Expr.Ref(d.var())));
        if (d.init() != null) {
          out.add(assign(d.var(), forwardExpr(d.init(), d.var())));
        }
      } else if (d.init() != null) {
        out.add(new Stmt.Declare(d.var(), forwardExpr(d.init(), d.var()), d.origin()));
      }
    } else if (s instanceof Stmt.Assign a) {
      recordBranches(a.target(), a.value(), out);
      if (taped(a) && !hoistedRecords.contains(a)) {
        out.add(push(a.target()));
      }
      out.add(new Stmt.Assign(a.target(), a.op(), forwardExpr(a.value(), resultOf(a.target())), a.origin()));
    } else if (s instanceof Stmt.Step st) {
      if (taped(st)) {
        out.add(push(new Expr.Ref(st.var())));
      }
      out.add(st);
    } else if (s instanceof Stmt.Call c) {
      recordContents(c, out);
      out.add(new Stmt.Call(forwardExpr(c.call(), null), c.origin()));
    } else if (s instanceof Stmt.Opaque o) {
      out.add(o); // runs where it stands; it reads holes only, which hold their original values here
    } else if (s instanceof Stmt.If i) {
      boolean taped = !plan.recomputesCondition(i);
      Stmt.Block t = forward(i.whenTrue());
      Stmt.Block f = i.whenFalse() == null ? null : forward(i.whenFalse());
      if (taped) {
        t = append(t, bit(true));
        f = append(f == null ? Stmt.Block.of(List.of()) : f, bit(false));
      }
      out.add(new Stmt.If(primalExpr(i.condition()), t, f, i.origin()));
    } else if (s instanceof Stmt.For f) {
      Plan.CountedLoop counted = plan.countedLoop(f);
      if (counted != null) {
        loopIndices.addLast(counted.index());
        Stmt.Assign hoisted = hoistableRecord(f, counted);
        if (hoisted != null) {
          // The loop's only record: push all the old values first, then run the loop without
          // records, which the JIT can vectorize. Same values, same order on the tape; a slice
          // a[from..to) goes in one call, which copies it in bulk.
          current = hoisted;
          Records.Slice slice = slice(counted, hoisted);
          Stmt record = slice != null ? records.recordSlice(slice, hoisted.target(), at(hoisted))
              : new Stmt.For(f.init(), f.condition(), f.update(), Stmt.Block.of(List.of(push(hoisted.target()))),
                  Origin.SYNTHETIC);
          if (slice != null) {
            sliceRecords.put(record, new RecordFission.SliceRecord(slice, f));
          }
          out.add(record);
          hoistedRecords.add(hoisted);
        }
        Stmt.Block body = forward(f.body());
        hoistedRecords.remove(hoisted);
        loopIndices.removeLast();
        Stmt.For loop = new Stmt.For(f.init(), f.condition(), f.update(), body, f.origin());
        List<Stmt> split = bulkSlices && distinctRows != null ? RecordFission.split(f, counted, loop, sliceRecords, effects, distinctRows, silentNames(Sweep.FORWARD)) : null;
        out.addAll(split != null ? split : List.of(loop));
      } else {
        uncountedForward(f, f.init(), f.condition(), f.body(), f.update(), out);
      }
    } else if (s instanceof Stmt.While w) {
      uncountedForward(w, List.of(), w.condition(), w.body(), List.of(), out);
    } else {
      throw new IllegalStateException("unexpected statement after normalization: " + s);
    }
  }

  /**
   * The forward sweep of a loop whose header does not count its trips (a while loop, a for loop
   * that breaks): a while loop that counts its trips and records the count for the reverse sweep,
   * except where that has nothing to do in it ({@link #uncountedInReverse}).
   */
  private void uncountedForward(Stmt loop, List<Stmt> init, Expr condition, Stmt.Block loopBody, List<Stmt> update,
      List<Stmt> out) {
    boolean counts = !uncountedInReverse.contains(loop);
    Var trips = counts ? naming.tripCounter(loop) : null;
    if (counts) {
      out.add(assign(trips, Expr.Literal.ofInt(0)));
    }
    for (Stmt s : init) {
      forward(s, out);
    }
    int depth = loop instanceof Stmt.For f ? enterLoop(f) : loopIndices.size();
    List<Stmt> body = new ArrayList<>();
    if (counts) {
      // counted first, so the body's records are keyed by its iteration (see loopIndices)
      body.add(new Stmt.Step(trips, true, Origin.SYNTHETIC));
      loopIndices.addLast(trips);
    }
    body.addAll(forward(loopBody).stmts());
    for (Stmt u : update) {
      forward(u, body);
    }
    exitLoop(depth);
    Expr cond = condition == null ? new Expr.Literal("true", Type.BOOLEAN) : primalExpr(condition);
    out.add(new Stmt.While(cond, new Stmt.Block(body, loopBody.origin()), loop.origin()));
    if (counts) {
      out.add(records.recordTrips(trips));
    }
  }

  /**
   * Loops without a counted header whose reverse does nothing ({@link #loopReverse}): their
   * forward records no trip count. Found by the reverse sweep, which is built first.
   */
  private final Set<Stmt> uncountedInReverse = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * Calls of EJML operations whose output was allocated by the statement just before: it held
   * zeros that nothing read, so the reverse sweep need not restore it, nor keep it for that.
   * Found as the reverse sweep visits each block (only the reverse call uses them).
   */
  private final Set<Expr.MethodCall> freshOutputCalls = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  private void findFreshOutputs(Stmt.Block b) {
    List<Stmt> stmts = b.stmts();
    for (int k = 1; k < stmts.size(); k++) {
      if (stmts.get(k - 1) instanceof Stmt.Declare d && d.init() instanceof Expr.NewArray n && n.type() == Type.MATRIX
          && stmts.get(k) instanceof Stmt.Call c && c.call() instanceof Expr.MethodCall call) {
        CalleeInfo callee = callees.get(call.key());
        if (callee == null || !callee.takesNullAdjoints()) {
          continue;
        }
        Expr allocated = new Expr.Ref(d.var());
        boolean fresh = false;
        for (int i = 0; i < call.args().size(); i++) {
          if (callee.summary().writesParam(i)) {
            fresh = call.args().get(i).equals(allocated) && call.args().stream().filter(allocated::equals).count() == 1;
          }
        }
        if (fresh) {
          freshOutputCalls.add(call);
        }
      }
    }
  }

  /** Whether a hoisted row record may be taken and restored in bulk (off for CUDA classes). */
  boolean bulkSlices = true;

  /**
   * Array locals whose every value is a new array that only they reach (see
   * ClassDifferentiator#freshLocals). When the reverse sweep restores such a local's earlier
   * value, that array's adjoint is still all zeros (nothing read the array after the local let
   * it go), so it is allocated, not looked up by the array's identity: a Runge-Kutta step
   * written with helpers that return new arrays ({@code double[] k2 = rhs(p, axpy(y, h, k1))})
   * restores four such locals per step; their references go on the fresh-reference tape
   * ({@link ExactRecords}). Empty for @Randomize methods and on the device.
   */
  private final Set<String> freshLocals;

  /**
   * Statements whose call runs as its primal copy (it carries no derivative) and writes into
   * arrays, found as the reverse sweep is built; {@link PushPlanner} decides from them the
   * {@link #recordedCalls}, whose written arrays are recorded whole before the call and restored
   * after its (empty) reverse, since no reverse sweep of the callee undoes those writes.
   */
  final Set<Stmt> primalWriters = Collections.newSetFromMap(new IdentityHashMap<>());
  Set<Stmt> recordedCalls = Set.of();

  /**
   * Among the pushes, those of a fresh local that record only the length of the array it lets go
   * of ({@link PushPlanner#lengthKey}): the reverse sweep reads nothing of that array, so its
   * restore only gives the local's adjoint a new array of zeros of that length.
   */
  Set<Stmt> lengthOnly = Set.of();

  /**
   * Per reverse helper name, the argument positions (after the receiver) of the arrays its reverse
   * sweep never reaches and the doubles it never reads, as learned from its plan
   * (ClassDifferentiator#unreadArgumentsOf): passed null and 0.0, so the caller need not have
   * their values back for the call.
   */
  Map<String, java.util.BitSet> unreadArguments = Map.of();

  /**
   * Per reverse helper name of a differentiated method, the argument positions whose contents its
   * reverse reads as the call left them, and one past its parameters whether it reads the array it
   * returns (ClassDifferentiator#contentsReadsOf); absent: all.
   */
  Map<String, java.util.BitSet> learnedContentsReads = Map.of();

  /** The slice records of hoisted records, by the forward statement that takes them ({@link RecordFission}). */
  private final Map<Stmt, RecordFission.SliceRecord> sliceRecords = new IdentityHashMap<>();

  /** The nested arrays whose rows are distinct objects ({@link RecordFission}); none unless set. */
  org.rad.processor.analysis.DistinctRows distinctRows;

  /** Element records pushed by a loop of their own before the loop that overwrites them. */
  private final Set<Stmt> hoistedRecords = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * The record of a counted loop that can be taken for all iterations before the loop runs: the
   * loop's only record of any kind, an unconditional overwrite of {@code a[...][i]} where
   * {@code i} is the loop index and nothing else in the loop changes the location or writes the
   * array's class. Each iteration then overwrites its own element, once, so every old value is
   * still there before the loop; the values and their order on the tape are the same.
   */
  private Stmt.Assign hoistableRecord(Stmt.For f, Plan.CountedLoop counted) {
    Stmt.Assign candidate = null;
    for (Stmt s : f.body().stmts()) {
      if (!records.wholeAfter(s, needed).isEmpty()) {
        return null; // a whole-array record inside the loop
      }
      if (s instanceof Stmt.Assign a && taped(a) && a.target() instanceof Expr.Index ix
          && offsetOf(ix.index(), counted.index()) != null
          && (ix.index() instanceof Expr.Ref || ix.array().type() == Type.DOUBLE_ARRAY)) {
        if (candidate != null) {
          return null;
        }
        candidate = a;
      } else if (!recordsNothing(s)) {
        return null;
      }
    }
    if (candidate == null || !recordsNothing(candidate, true) || oneIterationOnly.containsKey(candidate)) {
      return null; // (a record of one iteration only is no slice of all of them)
    }
    Expr.Index target = (Expr.Index) candidate.target();
    Set<String> location = new HashSet<>();
    effects.locationReads(target, location);
    location.remove(counted.index().name());
    Set<String> bodyWrites = new HashSet<>();
    String contents = effects.aliases().contentsKey(Statements.rootVar(target));
    for (Stmt s : f.body().stmts()) {
      Set<String> w = effects.writes(s);
      if (s != candidate && w.contains(contents)) {
        return null;
      }
      bodyWrites.addAll(w);
    }
    bodyWrites.remove(contents);
    boolean indexOnlyLast = !Exprs.mentions(target.array(), counted.index());
    return indexOnlyLast && java.util.Collections.disjoint(location, bodyWrites) ? candidate : null;
  }

  /**
   * For an element index {@code i} or {@code base + i} (or {@code i + base}) with {@code base}
   * free of {@code i}: {@code base}, or the literal 0 for {@code i} alone; else null. (The record
   * planning checks that {@code base} reads nothing the loop writes.)
   */
  static Expr offsetOf(Expr index, Var i) {
    if (index instanceof Expr.Ref r && r.var().equals(i)) {
      return Expr.Literal.ofInt(0);
    }
    if (index instanceof Expr.Binary b && b.op() == Expr.BinaryOp.ADD && b.type() == Type.INT) {
      boolean leftIsI = b.left() instanceof Expr.Ref r && r.var().equals(i);
      boolean rightIsI = b.right() instanceof Expr.Ref r && r.var().equals(i);
      Expr base = leftIsI ? b.right() : rightIsI ? b.left() : null;
      if (base != null && base.type() == Type.INT && !Exprs.mentions(base, i)) {
        return base;
      }
    }
    return null;
  }

  /**
   * The elements {@code array[from]}, ..., {@code array[to - 1]} that a hoisted record saves, when
   * its loop runs up by one over them: {@code for (i = from; i < to; i++)} recording {@code
   * array[i]} (a double), with {@code array} the same in every iteration, and the record strategy
   * takes them as one slice ({@link Records#takesSlice}). Null when the record stays per element.
   */
  private Records.Slice slice(Plan.CountedLoop counted, Stmt.Assign record) {
    Var i = counted.index();
    if (!bulkSlices || counted.step() != 1 || !counted.ascending() || i.type() != Type.INT || record.target().type() != Type.DOUBLE
        || counted.start().type() != Type.INT || counted.bound().type() != Type.INT) {
      return null;
    }
    Expr.Index target = (Expr.Index) record.target();
    if (target.array().type() == Type.MATRIX) {
      return null; // (an EJML matrix's elements are its data array's: recorded one by one)
    }
    Expr shift = offsetOf(target.index(), i);
    if (!records.takesSlice(target, i, shift != null && !(shift instanceof Expr.Literal l && l.isZero()), at(record))) {
      return null;
    }
    Expr to = counted.comparison() == Expr.BinaryOp.LT ? counted.bound() : offset(counted.bound(), 1, Type.INT);
    return new Records.Slice(target.array(), counted.start(), to, i, shift);
  }

  /**
   * The reverse of a counted loop whose record was taken as a slice: restore the slice in one call,
   * then run the loop without its per-element restore. That is the same as restoring element by
   * element only if nothing the loop's reverse reads is in the restored slice; the slice's array
   * shares its alias class with every array it may be (a buffer swap merges them), so whether it
   * is another one is checked at run time: {@code if (array != r1 && array != r2 ...)} for the
   * arrays {@code r} whose elements the reverse reads from the class, each the same in every
   * iteration, else the per-element loop. Null when that cannot be arranged (an array read that
   * changes with the index, a call that may read the array).
   */
  private Stmt sliceRestore(Stmt.For loop, Records.Slice slice, Stmt.Assign record, Stmt.Block rbody, Stmt.For perElement) {
    String contents = effects.aliases().contentsKey(Statements.rootVar(record.target()));
    List<Stmt> rest = new ArrayList<>();
    int restores = 0;
    for (Stmt r : rbody.stmts()) {
      if (Records.isElementRestore(r, record.target())) {
        restores++;
      } else {
        rest.add(r);
      }
    }
    if (restores != 1) {
      return null;
    }
    Set<String> writtenInLoop = new HashSet<>();
    Statements.forEach(rbody, x -> {
      Var v = Statements.assignedVariable(x);
      if (v != null) {
        writtenInLoop.add(v.name());
      }
    });
    writtenInLoop.add(slice.index().name());
    List<Expr> others = new ArrayList<>();
    boolean[] ok = {true};
    Stmt.Block restBlock = new Stmt.Block(rest, rbody.origin());
    Set<String> silentReverses = silentReverses();
    Statements.forEach(restBlock, x -> Statements.ownExpressions(x, e -> Exprs.walk(e, y -> {
      if (y instanceof Expr.StaticCall c && c.owner() == Owner.GENERATED && silentReverses.contains(c.name())) {
        // the reverse of a method whose forward records nothing reads only its arguments (it has
        // no records to read arrays back from) and writes only adjoints: its array arguments of
        // the slice's class join the run-time check like the arrays the loop reads itself
        for (Expr a : c.args()) {
          boolean context = a instanceof Expr.Ref r && r.var().equals(CTX);
          if (!context && !a.type().isArray() && !a.type().isNumeric() && a.type() != Type.BOOLEAN) {
            ok[0] = false; // an object may reach anything
          } else if (a.type().isArray() && !(a instanceof Expr.Literal) && Statements.rootVar(a) != null
              && contents.equals(effects.aliases().contentsKey(Statements.rootVar(a)))) {
            if (a.equals(slice.array()) || a.type() != slice.array().type() // (a matrix whose row the slice may be)
                || Exprs.any(a, z -> z instanceof Expr.Ref r && writtenInLoop.contains(r.var().name()))
                || Exprs.any(a, z -> z instanceof Expr.MethodCall || z instanceof Expr.ContextCall || z instanceof Expr.StaticCall)) {
              ok[0] = false;
            } else if (!others.contains(a)) {
              others.add(a);
            }
          }
        }
      } else if (y instanceof Expr.MethodCall
          || y instanceof Expr.StaticCall c && (c.owner() == Owner.GENERATED || c.owner() == Owner.USER)) {
        ok[0] = false; // may read the slice
      } else if (y instanceof Expr.Index ix && ix.type() == Type.DOUBLE) {
        String root = Statements.rootVar(ix);
        if (root != null && contents.equals(effects.aliases().contentsKey(root))) {
          Expr array = ix.array();
          if (array.equals(slice.array()) || Exprs.any(array, z -> z instanceof Expr.Ref r && writtenInLoop.contains(r.var().name()))
              || Exprs.any(array, z -> z instanceof Expr.MethodCall || z instanceof Expr.ContextCall || z instanceof Expr.StaticCall)) {
            ok[0] = false;
          } else if (!others.contains(array)) {
            others.add(array);
          }
        }
      }
    })));
    if (!ok[0]) {
      return null;
    }
    Stmt.For bulkLoop = new Stmt.For(perElement.init(), perElement.condition(), perElement.update(), restBlock, perElement.origin());
    Stmt.Block fast = Stmt.Block.of(List.of(records.restoreSlice(slice, record.target(), at(record)), bulkLoop));
    if (others.isEmpty()) {
      return fast;
    }
    Expr guard = null;
    for (Expr other : others) {
      Expr ne = new Expr.Binary(Expr.BinaryOp.NE, slice.array(), other, Type.BOOLEAN);
      guard = guard == null ? ne : Exprs.and(guard, ne);
    }
    return new Stmt.If(guard, fast, Stmt.Block.of(List.of(perElement)), loop.origin());
  }

  /**
   * Whether the forward sweep pushes the old value that {@code s} overwrites: the planner asked
   * for it, and the reverse cannot undo {@code s} instead ({@link Inversions}).
   */
  private boolean taped(Stmt s) {
    return pushes.contains(s) && Inversions.inverse(s) == null;
  }

  /** Whether the forward sweep of {@code s} records nothing at all (no push, bit or call record). */
  private boolean recordsNothing(Stmt s) {
    return recordsNothing(s, false);
  }

  private boolean recordsNothing(Stmt s, boolean exceptItsPush) {
    if (s instanceof Stmt.Declare d) {
      return (exceptItsPush || !pushes.contains(d)) && d.init() != null && quiet(new Expr.Ref(d.var()), d.init());
    }
    if (s instanceof Stmt.Assign a) {
      return (exceptItsPush || !pushes.contains(a)) && quiet(a.target(), a.value());
    }
    if (s instanceof Stmt.Step st) {
      return !taped(st);
    }
    return false; // calls, branches and loops may record: keep the loop as it is
  }

  private boolean quiet(Expr target, Expr value) {
    return !Exprs.any(value, e -> e instanceof Expr.MethodCall call && !silentForwards.contains(call.key()))
        && (!propagates(target, value) || adjoints.branchConditions(value).isEmpty());
  }

  /**
   * Methods of the class whose forward sweep records nothing (a stencil helper whose reverse
   * recomputes what it needs from its arguments): a call of one in a loop does not keep the
   * loop's element records from being taken in bulk before it.
   */
  Set<String> silentForwards = Set.of();

  /** The names of the reverse sweeps of {@link #silentForwards}. */
  private Set<String> silentReverses() {
    Set<String> names = silentNames(Sweep.REVERSE);
    names.addAll(silentNames(Sweep.REVERSE_KEPT));
    return names;
  }

  /** The names of the {@code sweep} methods of {@link #silentForwards}. */
  private Set<String> silentNames(Sweep sweep) {
    Set<String> names = new HashSet<>();
    for (String key : silentForwards) {
      CalleeInfo c = callees.get(key);
      if (c != null) {
        names.add(sweep.of(c.name()));
      }
    }
    return names;
  }

  /** Puts the variables a general for loop declares on the index stack; returns the old depth. */
  private int enterLoop(Stmt.For f) {
    int depth = loopIndices.size();
    for (Stmt init : f.init()) {
      if (init instanceof Stmt.Declare d && d.var().type().isIntegral()) {
        loopIndices.addLast(d.var());
      }
    }
    return depth;
  }

  private void exitLoop(int depth) {
    while (loopIndices.size() > depth) {
      loopIndices.removeLast();
    }
  }

  /** Whether the reverse of {@code target = value} propagates an adjoint through {@code value}. */
  private boolean propagates(Expr target, Expr value) {
    if (value instanceof Expr.MethodCall || target.type() != Type.DOUBLE) {
      return false;
    }
    Var root = rootOf(target);
    return activity.isActive(root) && activity.isActive(value);
  }

  /** Pushes one bit per branch decision inside {@code value} that its adjoint depends on. */
  private void recordBranches(Expr target, Expr value, List<Stmt> out) {
    if (!propagates(target, value)) {
      return;
    }
    for (Expr c : adjoints.branchConditions(value)) {
      out.add(records.recordBit(primalExpr(c)));
    }
  }

  /**
   * Pops the bits {@link #recordBranches} pushed into boolean variables, and returns {@code value}
   * with each recorded decision replaced by its bit: {@code c ? a : b} becomes {@code taken ? a : b},
   * {@code Math.max(a, b)} becomes {@code taken ? a : b}. The adjoint and every partial derivative
   * then follow the decision the forward sweep took, never one re-made from restored (possibly
   * sampled) values.
   */
  private Expr restoreBranches(Expr target, Expr value, List<Stmt> out) {
    if (!propagates(target, value)) {
      return value;
    }
    java.util.Map<Expr, Var> bits = new IdentityHashMap<>();
    List<Expr> nodes = adjoints.branchNodes(value);
    for (int k = nodes.size() - 1; k >= 0; k--) {
      Var bit = naming.branch(k);
      out.add(assign(bit, records.restoreBit()));
      bits.put(nodes.get(k), bit);
    }
    return withBits(value, bits);
  }

  private static Expr withBits(Expr e, java.util.Map<Expr, Var> bits) {
    Var bit = bits.get(e);
    if (bit != null) {
      if (e instanceof Expr.Conditional c) {
        return new Expr.Conditional(new Expr.Ref(bit), withBits(c.whenTrue(), bits), withBits(c.whenFalse(), bits), c.type());
      }
      Expr.StaticCall call = (Expr.StaticCall) e;
      return new Expr.Conditional(new Expr.Ref(bit), withBits(call.args().get(0), bits), withBits(call.args().get(1), bits),
          call.type());
    }
    return Exprs.mapChildren(e, c -> withBits(c, bits));
  }

  /** The variable a statement's value goes to, or null when it goes to an array element. */
  private static Var resultOf(Expr target) {
    return target instanceof Expr.Ref r ? r.var() : null;
  }

  /**
   * The value of a statement whose result goes to {@code result} (null: dropped or an element), in
   * the forward sweep: a call of its own becomes a call of the callee's forward sweep (when it
   * carries derivatives) or of its primal copy.
   */
  private Expr forwardExpr(Expr e, Var result) {
    if (e instanceof Expr.MethodCall call && activity.isActiveCall(call, result)) {
      List<Expr> args = new ArrayList<>();
      if (call.receiver() != null) {
        args.add(call.receiver());
      }
      for (Expr a : call.args()) {
        args.add(primalExpr(a));
      }
      args.add(new Expr.Ref(CTX));
      return new Expr.StaticCall(Owner.GENERATED, Sweep.FORWARD.of(call.name()), args, call.type());
    }
    return primalExpr(e);
  }

  /** The original computation, without records: for recomputations in the reverse sweep. */
  static Expr primalExpr(Expr e) {
    if (e instanceof Expr.MethodCall call) {
      List<Expr> args = new ArrayList<>();
      if (call.receiver() != null) {
        args.add(call.receiver());
      }
      for (Expr a : call.args()) {
        args.add(primalExpr(a));
      }
      return new Expr.StaticCall(Owner.GENERATED, Sweep.PRIMAL.of(call.name()), args, call.type());
    }
    return Exprs.mapChildren(e, SweepBuilder::primalExpr);
  }

  // ---- reverse sweep --------------------------------------------------------------------------

  Stmt.Block reverse(Stmt.Block b) {
    findFreshOutputs(b);
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : b.stmts()) {
      if (!(s instanceof Stmt.Declare d) || !plan.isRecomputable(d) || plan.recomputedIn(d) != null) {
        continue;
      }
      boolean primal = needed.contains(d.var().name());
      boolean adjoint = Plan.isRowReference(d) && activity.isActive(d.var()) && needed.contains("bar:" + d.var().name());
      if (primal || adjoint) {
        recomputed.add(d.var());
      }
      if (primal) {
        out.add(assign(d.var(), recomputation(d)));
      }
      if (adjoint) {
        out.add(assign(naming.adjoint(d.var()), shadowOf(d.init())));
      }
    }
    Set<String> header = new HashSet<>();
    for (Stmt r : out) {
      collectReads(r, header);
    }
    headerReads.put(b, header);
    List<Stmt> stmts = b.stmts();
    for (int k = stmts.size() - 1; k >= 0; k--) {
      List<Stmt> restores = new ArrayList<>();
      // the last recorded first: two arrays recorded after one statement share one tape
      List<Var> recorded = records.wholeAfter(stmts.get(k), needed);
      for (int w = recorded.size() - 1; w >= 0; w--) {
        restores.addAll(wholeRestore(recorded.get(w)));
      }
      out.addAll(restores);
      out.addAll(reverse(stmts.get(k), recomputedIn(stmts, stmts.get(k))));
      Set<String> restoreReads = new HashSet<>();
      for (Stmt r : restores) {
        collectReads(r, restoreReads);
      }
      reads.get(stmts.get(k)).addAll(restoreReads);
      ElementDependences.Reads spillElements = elementReads.get(stmts.get(k));
      if (spillElements != null) {
        spillElements.whole().addAll(restoreReads); // (a whole restore's reads are not told apart by element)
      }
    }
    return new Stmt.Block(out, b.origin());
  }

  /** Recomputed calls whose callee keeps its intermediates for its reverse ({@code fReverseKept}). */
  private final Set<Expr.MethodCall> keptCalls = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * The recomputation of a declaration at the start of its block's reverse. A call whose reverse
   * runs later in the block, of a callee that keeps its intermediates, calls {@code fPrimalKeep}
   * (the same value), so that {@code fReverseKept} need not compute them again.
   */
  private Expr recomputation(Stmt.Declare d) {
    if (d.init() instanceof Expr.MethodCall call && activity.isActiveCall(call, d.var())) {
      CalleeInfo callee = callees.get(call.key());
      if (callee != null && callee.keepsIntermediates()) {
        Expr.StaticCall primal = (Expr.StaticCall) primalExpr(call);
        List<Expr> args = new ArrayList<>(primal.args());
        args.add(new Expr.Ref(CTX));
        keptCalls.add(call);
        return new Expr.StaticCall(Owner.GENERATED, Sweep.PRIMAL_KEEP.of(call.name()), args, call.type());
      }
    }
    return primalExpr(d.init());
  }

  /**
   * The recomputations of the declarations of {@code stmts} that the plan recomputes in the
   * reverse of {@code reader} ({@link Plan#recomputedIn}) and that the reverse sweep reads.
   */
  private List<Stmt> recomputedIn(List<Stmt> stmts, Stmt reader) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : stmts) {
      if (s instanceof Stmt.Declare d && plan.recomputedIn(d) == reader && needed.contains(d.var().name())) {
        recomputed.add(d.var());
        out.add(assign(d.var(), recomputation(d)));
      }
    }
    return out;
  }

  /**
   * Recomputations that the reverse of the assignment being built places right after its
   * restore (before its partials read), else at its start; see {@link Plan#recomputedIn}.
   */
  private List<Stmt> afterRestore = List.of();

  private List<Stmt> reverse(Stmt s) {
    return reverse(s, List.of());
  }

  /**
   * The recomputations the restore of the element {@code s} assigns needs first: those of the
   * variables its location reads ({@code int i = c; v[i] = ...; c++;} in a loop, {@code i}
   * recomputed in the reverse of {@code v[i] = ...}), and the recomputations those read. They run
   * before the restore, from the state after {@code s}, which holds what they read (the planner
   * recomputes a declaration there only where {@code s} writes nothing it reads). After the
   * restore, the restore would read the value a later iteration left: a wrong element restored, a
   * wrong gradient (a tester's while loops and counters, ten programs). The others still run after
   * the restore: {@code double before = v[i]}, recomputed with {@code i}, reads the restored
   * element (fuzzer seed 2088, program 723: read before the restore, a wrong gradient).
   */
  private static List<Stmt> locating(Stmt s, List<Stmt> recomputations) {
    if (recomputations.isEmpty() || !(s instanceof Stmt.Assign a)) {
      return List.of();
    }
    Set<Var> wanted = new HashSet<>();
    for (Expr t = a.target(); t instanceof Expr.Index ix; t = ix.array()) {
      for (Stmt r : recomputations) {
        Var v = Statements.assignedVariable(r);
        if (v != null && org.rad.processor.ir.Exprs.mentions(ix.index(), v)) {
          wanted.add(v);
        }
      }
    }
    List<Stmt> first = new ArrayList<>();
    for (int k = recomputations.size() - 1; k >= 0; k--) {
      Stmt r = recomputations.get(k);
      if (wanted.contains(Statements.assignedVariable(r))) {
        first.add(0, r);
        for (Stmt q : recomputations.subList(0, k)) {
          Var v = Statements.assignedVariable(q);
          if (v != null && Statements.mentions(r, v)) {
            wanted.add(v);
          }
        }
      }
    }
    return first;
  }

  private List<Stmt> reverse(Stmt s, List<Stmt> recomputations) {
    tempsInUse = 0;
    current = s;
    Set<String> enclosing = calleeReads;
    calleeReads = new HashSet<>();
    // (only an assignment places them after its restore; nested statements must not take them;
    // those its element's location reads come first: its restore needs them)
    boolean assignment = s instanceof Stmt.Assign || s instanceof Stmt.Declare;
    List<Stmt> first = assignment ? locating(s, recomputations) : List.of();
    List<Stmt> others = new ArrayList<>(recomputations);
    others.removeIf(r -> first.stream().anyMatch(f -> f == r));
    afterRestore = assignment ? others : List.of();
    List<Stmt> out = reverseOf(s);
    List<Stmt> unplaced = new ArrayList<>(first);
    unplaced.addAll(assignment ? afterRestore : recomputations);
    afterRestore = List.of();
    out.addAll(0, unplaced);
    List<Stmt> atStart = assignment ? first : recomputations;
    if (!atStart.isEmpty()) {
      // late recomputations at the start of a loop's, a branch's or a block's reverse (or before
      // an element's restore) read the state after it, as its header does: the planner takes
      // them there (a call after the loop that overwrites what they read must give it back)
      Set<String> late = new HashSet<>(headerReads.getOrDefault(s, Set.of()));
      for (Stmt r : atStart) {
        collectReads(r, late);
      }
      headerReads.put(s, late);
    }
    if (bulkSlices && !(s instanceof Stmt.Block || s instanceof Stmt.If || s instanceof Stmt.For || s instanceof Stmt.While)) {
      // (on the CPU: the GPU planner reads the reverse sweep's statements by their shape)
      out = CommonPartials.share(out, naming::partial);
    }
    Set<String> keys = new HashSet<>(calleeReads);
    ElementDependences.Reads elements = new ElementDependences.Reads(new HashMap<>(), new HashSet<>(calleeReads));
    for (Stmt r : out) {
      collectReads(r, keys, elements);
    }
    reads.put(s, keys);
    elementReads.put(s, elements);
    enclosing.addAll(calleeReads);
    calleeReads = enclosing;
    return out;
  }

  /**
   * Keys that the reverse sweep reads although its code does not name them: the contents of an
   * array a callee returned, which the callee's reverse reads through the reference it handed to
   * itself (overwrites of those contents after the call must then be recorded), and the {@link
   * PushPlanner#lengthKey} of a fresh local, which its restore reads.
   */
  private Set<String> calleeReads = new HashSet<>();

  /**
   * Gives the adjoint assignments and calls just built for {@code s} its origin, so that a message
   * about one of them ({@code [RadBiased]}) can name the user's statement, not only the generated
   * code.
   */
  private static void fromStatement(List<Stmt> out, Stmt s) {
    out.replaceAll(r -> r instanceof Stmt.Assign a && a.origin() == Origin.SYNTHETIC
        ? new Stmt.Assign(a.target(), a.op(), a.value(), s.origin())
        : r instanceof Stmt.Call c && c.origin() == Origin.SYNTHETIC ? new Stmt.Call(c.call(), s.origin()) : r);
  }

  private List<Stmt> reverseOf(Stmt s) {
    List<Stmt> out = new ArrayList<>();
    if (s instanceof Stmt.Block b) {
      Stmt.Block r = reverse(b);
      if (!r.stmts().isEmpty()) {
        out.add(r);
      }
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() != null) {
        assignment(new Expr.Ref(d.var()), AssignOp.SET, d.init(), pushes.contains(d), out);
        fromStatement(out, d);
        if (d.init() instanceof Expr.MethodCall call && !activity.isActiveCall(call, d.var())) {
          restoreContents(d, call, out);
        }
      } else if (pushes.contains(d)) {
        out.add(restore(new Expr.Ref(d.var())));
      }
      // (a row reference assigned another array later is an array reference like any other: the
      // reverse sweep restores it from the tape, and finds its adjoint, a row of the matrix's, by
      // the row's identity)
      if (Plan.isRowReference(d) && !plan.isRecomputable(d) && !plan.isReassigned(d.var())
          && (needed.contains(d.var().name()) || needed.contains("bar:" + d.var().name()))) {
        throw new CompileError(d.origin(), Message.UNSUPPORTED.format(
            "this row reference (" + d.var().name() + "), which the reverse sweep needs but cannot re-derive because what it reads is changed later in its block",
            "declare it where it is used, as double[] row = m[i]; with m and i unchanged while it is in use"));
      }
    } else if (s instanceof Stmt.Assign a) {
      Stmt inverse = pushes.contains(a) ? Inversions.inverse(a) : null;
      if (inverse != null) {
        out.add(inverse);
      } else {
        assignment(a.target(), a.op(), a.value(), pushes.contains(a), out);
        fromStatement(out, a);
      }
    } else if (s instanceof Stmt.Step st) {
      if (pushes.contains(st)) {
        out.add(Inversions.inverse(st));
      }
    } else if (s instanceof Stmt.Call c) {
      Expr.MethodCall call = (Expr.MethodCall) c.call();
      if (activity.isActiveCall(call, null)) {
        callReverse(call, null, out);
      } else {
        restoreContents(c, call, out);
      }
    } else if (s instanceof Stmt.If i) {
      boolean recompute = plan.recomputesCondition(i);
      Stmt.Block t = reverse(i.whenTrue());
      Stmt.Block f = i.whenFalse() == null ? null : reverse(i.whenFalse());
      boolean empty = t.stmts().isEmpty() && (f == null || f.stmts().isEmpty());
      if (recompute && empty) {
        return out;
      }
      Expr cond = recompute ? primalExpr(i.condition()) : records.restoreBit();
      headerReads.put(i, effects.reads(cond));
      if (empty) {
        out.add(new Stmt.Call(cond, Origin.SYNTHETIC));
      } else if (t.stmts().isEmpty()) {
        out.add(new Stmt.If(Exprs.not(cond), f, null, i.origin()));
      } else {
        out.add(new Stmt.If(cond, t, f == null || f.stmts().isEmpty() ? null : f, i.origin()));
      }
    } else if (s instanceof Stmt.For f) {
      loopReverse(f, f.init(), f.update(), f.body(), out);
    } else if (s instanceof Stmt.While w) {
      loopReverse(w, List.of(), List.of(), w.body(), out);
    } else if (s instanceof Stmt.Opaque) {
      // kept as it is (printing): it writes nothing the sweeps track, so it has no adjoint
    } else {
      throw new IllegalStateException("unexpected statement after normalization: " + s);
    }
    return out;
  }

  private void loopReverse(Stmt loop, List<Stmt> init, List<Stmt> update, Stmt.Block body, List<Stmt> out) {
    Plan.CountedLoop counted = loop instanceof Stmt.For f ? plan.countedLoop(f) : null;
    if (counted != null) {
      counted = new Plan.CountedLoop(counted.index(), adjointLengths(counted.start()), adjointLengths(counted.bound()),
          counted.comparison(), counted.step());
      loopIndices.addLast(counted.index());
      Stmt.Block rbody = reverse(body);
      Stmt.Assign hoisted = loop instanceof Stmt.For f ? hoistableRecord(f, counted) : null;
      Records.Slice slice = hoisted == null ? null : slice(counted, hoisted);
      if (rbody.stmts().isEmpty()) {
        loopIndices.removeLast();
        return;
      }
      Var i = counted.index();
      Expr last = lastIndex(counted);
      Set<String> bounds = new HashSet<>(effects.reads(counted.start()));
      bounds.addAll(effects.reads(counted.bound()));
      headerReads.put(loop, bounds);
      Expr.BinaryOp stop = counted.ascending() ? Expr.BinaryOp.GE : Expr.BinaryOp.LE;
      Expr cond = new Expr.Binary(stop, new Expr.Ref(i), counted.start(), Type.BOOLEAN);
      Stmt step = counted.step() == 1
          ? new Stmt.Step(i, !counted.ascending(), Origin.SYNTHETIC)
          : new Stmt.Assign(new Expr.Ref(i), counted.ascending() ? AssignOp.SUB : AssignOp.ADD,
              literal(counted.step(), i.type()), Origin.SYNTHETIC);
      Stmt.For perElement = new Stmt.For(List.of(assign(i, last)), cond, List.of(step), rbody, loop.origin());
      Stmt bulk = slice == null ? null : sliceRestore((Stmt.For) loop, slice, hoisted, rbody, perElement);
      loopIndices.removeLast();
      if (bulk instanceof Stmt.Block b) {
        out.addAll(b.stmts());
      } else {
        out.add(bulk != null ? bulk : perElement);
      }
      return;
    }
    Var trips = naming.tripCounter(loop);
    List<Stmt> rbody = new ArrayList<>();
    int depth = loop instanceof Stmt.For f ? enterLoop(f) : loopIndices.size();
    // the iteration the forward sweep counted first: k + 1 in both sweeps (see loopIndices)
    loopIndices.addLast(trips);
    for (int k = update.size() - 1; k >= 0; k--) {
      rbody.addAll(reverse(update.get(k)));
    }
    rbody.addAll(reverse(body).stmts());
    exitLoop(depth);
    if (rbody.isEmpty()) {
      // nothing to undo or differentiate in any iteration (a scan for a barrier that sets a flag
      // and breaks): the reverse sweep needs no trip count, and the forward sweep records none
      uncountedInReverse.add(loop);
    } else {
      Expr cond = new Expr.Binary(Expr.BinaryOp.GT, new Expr.Ref(trips), Expr.Literal.ofInt(0), Type.BOOLEAN);
      out.add(new Stmt.For(List.of(assign(trips, records.restoreTrips())), cond,
          List.of(new Stmt.Step(trips, false, Origin.SYNTHETIC)), Stmt.Block.of(rbody), loop.origin()));
    }
    for (int k = init.size() - 1; k >= 0; k--) {
      out.addAll(reverse(init.get(k)));
    }
  }

  /**
   * {@code e} with the length of each active fresh local ({@code k < g.length} over a scratch array
   * {@code g}) read from its adjoint, which the reverse sweep allocates with the array's length
   * wherever it restores the local: a loop bound then asks for only that length
   * ({@link PushPlanner#lengthKey}), not for the array to be kept.
   */
  private Expr adjointLengths(Expr e) {
    if (e instanceof Expr.Length l && l.array() instanceof Expr.Ref r && freshLocals.contains(r.var().name())
        && activity.isActive(r.var())) {
      return new Expr.Length(new Expr.Ref(naming.adjoint(r.var())));
    }
    return Exprs.mapChildren(e, this::adjointLengths);
  }

  /** The last index a counted loop reached; the helpers of {@code Loops} handle empty loops. */
  private static Expr lastIndex(Plan.CountedLoop c) {
    Type t = c.index().type();
    if (c.step() == 1) {
      return switch (c.comparison()) {
        case LT -> offset(c.bound(), -1, t);
        case GT -> offset(c.bound(), 1, t);
        default -> c.bound(); // <= and >=
      };
    }
    String helper = switch (c.comparison()) {
      case LT -> "lastBelow";
      case LE -> "lastAtMost";
      case GT -> "lastAbove";
      default -> "lastAtLeast";
    };
    return new Expr.StaticCall(Owner.LOOPS, helper, List.of(c.start(), c.bound(), literal(c.step(), t)), t);
  }

  /** {@code e + delta}, folded into a literal term of {@code e}: {@code n - 1} less 1 is {@code n - 2}. */
  private static Expr offset(Expr e, long delta, Type t) {
    if (e instanceof Expr.Binary b && (b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB)
        && b.right() instanceof Expr.Literal lit && lit.type() == b.type() && b.type() == t) {
      Long k = lit.integerValue();
      if (k != null) {
        long folded = (b.op() == Expr.BinaryOp.ADD ? k : -k) + delta;
        if (folded == 0) {
          return b.left();
        }
        Expr.BinaryOp op = folded > 0 ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB;
        return new Expr.Binary(op, b.left(), literal(Math.abs(folded), t), t);
      }
    }
    return new Expr.Binary(delta > 0 ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB, e, literal(Math.abs(delta), t), t);
  }

  private static Expr literal(long v, Type t) {
    return new Expr.Literal(t == Type.LONG ? v + "L" : Long.toString(v), t);
  }

  /** The reverse of {@code target op= value}: restore, then propagate the adjoint. */
  private void assignment(Expr target, AssignOp op, Expr value, boolean pushed, List<Stmt> out) {
    if (value instanceof Expr.MethodCall call && activity.isActiveCall(call, resultOf(target))) {
      Var result = resultOf(target);
      callReverse(call, result, out);
      if (pushed) {
        out.add(restore(target));
      }
      return;
    }
    if (target.type().isArray()) {
      Var v = ((Expr.Ref) target).var();
      if (activity.isActive(v)) {
        if (value instanceof Expr.ArrayLiteral lit) {
          for (int k = 0; k < lit.elements().size(); k++) {
            adjoints.propagate(lit.elements().get(k),
                new Expr.Index(new Expr.Ref(naming.adjoint(v)), Expr.Literal.ofInt(k)), out);
          }
        }
        if (value instanceof Expr.Clone c && activity.isActive(c.array())) {
          out.add(new Stmt.Call(new Expr.StaticCall(Owner.SHADOWS, "addInto",
              List.of(shadowOf(c.array()), new Expr.Ref(naming.adjoint(v))), Type.VOID), Origin.SYNTHETIC));
        }
        if ((value instanceof Expr.NewArray || value instanceof Expr.ArrayLiteral || value instanceof Expr.Clone)
            && !v.equals(naming.resultAlias())) {
          releaseAdjoint(v, out);
        }
      }
      if (pushed) {
        out.add(restore(target));
      }
      return;
    }
    if (plan.derivesFromResult(current) && activity.isActive(rootOf(target)) && activity.isActive(value)) {
      // y = f(x) with f' a function of y: the partial is taken from y's new value before the
      // restore brings back the old one, so x need not be available here
      Expr bar = adjointLocation(target);
      Var partial = naming.temp(tempsInUse++);
      out.add(assign(partial, Adjoints.fromResult(((Expr.StaticCall) value).name(), bar, target)));
      out.add(new Stmt.Assign(bar, AssignOp.SET, Expr.Literal.ofDouble(0), Origin.SYNTHETIC));
      if (pushed) {
        out.add(restore(target));
      }
      Expr.StaticCall f = (Expr.StaticCall) restoreBranches(target, value, out);
      adjoints.propagate(f.args().get(0), new Expr.Ref(partial), out);
      return;
    }
    if (pushed) {
      out.add(restore(target));
    }
    out.addAll(afterRestore); // the state before this statement: what its last reader's recomputations read
    afterRestore = List.of();
    value = restoreBranches(target, value, out);
    boolean active = target.type() == Type.DOUBLE && activity.isActive(rootOf(target));
    if (!active) {
      return;
    }
    Expr bar = adjointLocation(target);
    // target = target + rest (or - rest) is target += rest: the old value's adjoint is the new
    // value's, so it carries over as it is
    if (op == AssignOp.SET && value instanceof Expr.Binary b && b.left().equals(target)
        && (b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB)) {
      op = b.op() == Expr.BinaryOp.ADD ? AssignOp.ADD : AssignOp.SUB;
      value = b.right();
    }
    if (op == AssignOp.ADD || op == AssignOp.SUB) {
      Expr seed = bar;
      if (readsTarget(value, target)) {
        // what follows may add into the target's own adjoint: take the seed first
        Var t = naming.temp(tempsInUse++);
        out.add(assign(t, bar));
        seed = new Expr.Ref(t);
      }
      adjoints.propagate(value, op == AssignOp.ADD ? seed : Adjoints.neg(seed), out);
      return;
    }
    if (op == AssignOp.MUL || op == AssignOp.DIV) {
      value = new Expr.Binary(op == AssignOp.MUL ? Expr.BinaryOp.MUL : Expr.BinaryOp.DIV, target, value, Type.DOUBLE);
      op = AssignOp.SET;
    }
    if (!activity.isActive(value)) {
      out.add(new Stmt.Assign(bar, AssignOp.SET, Expr.Literal.ofDouble(0), Origin.SYNTHETIC));
    } else if (target instanceof Expr.Ref && !readsTarget(value, target)) {
      adjoints.propagate(value, bar, out);
      out.add(new Stmt.Assign(bar, AssignOp.SET, Expr.Literal.ofDouble(0), Origin.SYNTHETIC));
    } else {
      Var t = naming.temp(tempsInUse++);
      out.add(assign(t, bar));
      out.add(new Stmt.Assign(bar, AssignOp.SET, Expr.Literal.ofDouble(0), Origin.SYNTHETIC));
      adjoints.propagate(value, new Expr.Ref(t), out);
    }
  }

  /** Whether {@code value} may read what {@code target} names (the same variable or array class). */
  private boolean readsTarget(Expr value, Expr target) {
    if (target instanceof Expr.Ref r) {
      return Exprs.any(value, e -> e instanceof Expr.Ref x && x.var().equals(r.var()));
    }
    String key = effects.aliases().contentsKey(Statements.rootVar(target));
    return effects.reads(value).contains(key);
  }

  /** Whether the callee's reverse may read the contents of the array the call returned; learned, else true. */
  private boolean readsResultContents(Expr.MethodCall call, CalleeInfo callee) {
    java.util.BitSet reads = learnedContentsReads.get(Sweep.REVERSE.of(call.name()));
    return reads == null || reads.get((callee.isStatic() ? 0 : 1) + callee.params().size());
  }

  /** After a call's reverse: its double result's adjoint is spent. */
  private void resetResultAdjoint(Var result, List<Stmt> out) {
    if (result != null && result.type() == Type.DOUBLE && activity.isActive(result)) {
      out.add(new Stmt.Assign(new Expr.Ref(naming.adjoint(result)), AssignOp.SET, Expr.Literal.ofDouble(0), Origin.SYNTHETIC));
    }
  }

  /** The reverse of a call: the callee's reverse sweep, then the adjoints it hands back. */
  private void callReverse(Expr.MethodCall call, Var result, List<Stmt> out) {
    CalleeInfo callee = callees.get(call.key());
    List<Expr> args = new ArrayList<>();
    if (call.receiver() != null) {
      args.add(call.receiver());
    }
    java.util.BitSet unread = unreadArguments.get(Sweep.REVERSE.of(call.name()));
    int offset = callee.isStatic() ? 0 : 1; // (the bits count the receiver of an instance method first)
    for (int k = 0; k < call.args().size(); k++) {
      Expr a = call.args().get(k);
      // a fresh output whose value the adjoint does not read is not needed, nor an array the
      // callee's reverse never reaches: pass null, so the reverse sweep does not keep it alive for
      // this call; a double it never reads (u of u = sat(u, m), whose reverse reads only its
      // branches' bits): pass 0.0, so the caller need not restore the value for the call
      boolean unneeded = freshOutputCalls.contains(call) && callee.summary().writesParam(k)
          && !callee.readsContents(k) || unread != null && unread.get(offset + k);
      args.add(!unneeded ? primalExpr(a)
          : callee.params().get(k).type() == Type.DOUBLE ? Expr.Literal.ofDouble(0) : new Expr.Literal("null", a.type()));
    }
    for (int k = 0; k < callee.params().size(); k++) {
      Var p = callee.params().get(k);
      if (callee.isActiveParam(p) && p.type().isArray()) {
        Expr arg = call.args().get(k);
        if (!(arg instanceof Expr.Ref || arg instanceof Expr.Index || arg instanceof Expr.FieldRead)) {
          throw new CompileError(call.origin(), Message.UNSUPPORTED.format(
              "passing the array expression " + arg + " to " + call.name(),
              "assign the array to a local first and pass the local"));
        }
        boolean skip = callee.takesNullAdjoints() && !activity.isActive(arg)
            && !callee.summary().writesParam(k);
        args.add(skip ? new Expr.Literal("null", p.type()) : shadowOf(arg));
      }
    }
    if (callee.takesResultAdjoint()) {
      if (result != null && activity.isActive(result)) {
        args.add(new Expr.Ref(naming.adjoint(result)));
      } else if (call.type() == Type.DOUBLE) {
        args.add(Expr.Literal.ofDouble(0));
      } else if (!callee.resultUsed()) {
        args.add(new Expr.Literal("null", call.type())); // a copy of the callee that ignores it
      } else {
        // the call carries derivatives through the arrays it writes, but its array result reaches
        // nothing: the callee's reverse still reads an adjoint of that result, which is zeros
        // (the call lifter gives every array result a variable)
        args.add(ctx(RuntimeOp.SHADOW, call.type(), new Expr.Ref(result)));
      }
    }
    args.add(new Expr.Ref(CTX));
    if (result != null && result.type().isArray() && readsResultContents(call, callee)) {
      // the callee's reverse reads the array it returned (kept by reference), whether or not its
      // result carries an adjoint: the caller's later overwrites of it must be restored first
      calleeReads.add(effects.aliases().contentsKey(result.name()));
    }
    String reverse = (keptCalls.contains(call) ? Sweep.REVERSE_KEPT : Sweep.REVERSE).of(call.name());
    List<Integer> scalars = new ArrayList<>(callee.scalarAdjointParams());
    if (callee.returnsAdjoint()) {
      // the callee's reverse returns the adjoint of its one double parameter that carries derivatives
      Expr arg = call.args().get(scalars.get(0));
      Expr reverseCall = new Expr.StaticCall(Owner.GENERATED, reverse, args, Type.DOUBLE);
      Var t = activity.isActive(arg) ? naming.temp(tempsInUse++) : null;
      out.add(t == null ? new Stmt.Call(reverseCall, call.origin()) : new Stmt.Assign(new Expr.Ref(t), AssignOp.SET,
          reverseCall, call.origin()));
      resetResultAdjoint(result, out);
      if (t != null) {
        adjoints.propagate(arg, new Expr.Ref(t), out);
      }
      scalars.clear();
    } else {
      out.add(new Stmt.Call(new Expr.StaticCall(Owner.GENERATED, reverse, args, Type.VOID), call.origin()));
      resetResultAdjoint(result, out);
    }
    Collections.reverse(scalars);
    for (int k : scalars) {
      Expr arg = call.args().get(k);
      if (activity.isActive(arg)) {
        Var t = naming.temp(tempsInUse++);
        out.add(assign(t, ctx(RuntimeOp.POP_ADJOINT, Type.DOUBLE)));
        adjoints.propagate(arg, new Expr.Ref(t), out);
      } else {
        out.add(new Stmt.Call(ctx(RuntimeOp.POP_ADJOINT, Type.DOUBLE), Origin.SYNTHETIC));
      }
    }
    if (result != null && result.type().isArray() && activity.isActive(result) && callee.summary().returnsParam().isEmpty()) {
      releaseAdjoint(result, out);
    }
  }

  /**
   * The adjoint of the new array that active local {@code v} took here is done with: its entry in
   * the context's table of adjoints goes ({@code ctx.dropShadow(v)}). A fresh local's arrays are
   * never looked up there (their adjoints are allocated, and the final one, if looked up, is
   * let go with the table at the end of the call), so it needs no entry dropped; what its restore
   * needs is the size of the array it held before, for the zeros of that array's adjoint: it reads
   * the {@link PushPlanner#lengthKey}, which a record of the length satisfies.
   */
  private void releaseAdjoint(Var v, List<Stmt> out) {
    if (freshLocals.contains(v.name())) {
      calleeReads.add(PushPlanner.lengthKey(v.name()));
    } else {
      out.add(new Stmt.Call(ctx(RuntimeOp.DROP_SHADOW, Type.VOID, new Expr.Ref(v)), Origin.SYNTHETIC));
    }
  }

  // ---- records ----------------------------------------------------------------------------------

  /** The array arguments {@code call} may write into. */
  private List<Expr> writtenArrays(Expr.MethodCall call) {
    CalleeInfo callee = callees.get(call.key());
    List<Expr> out = new ArrayList<>();
    for (int k = 0; k < call.args().size(); k++) {
      Expr a = call.args().get(k);
      if (a.type().isArray() && Statements.rootVar(a) != null
          && (callee == null || callee.summary() == null || callee.summary().writesParam(k))) {
        out.add(a);
      }
    }
    return out;
  }

  /** Before a recorded call that runs as it is, the whole contents of the arrays it writes. */
  private void recordContents(Stmt s, List<Stmt> out) {
    if (!recordedCalls.contains(s)) {
      return;
    }
    Expr.MethodCall call = (Expr.MethodCall) (s instanceof Stmt.Declare d ? d.init() : ((Stmt.Call) s).call());
    for (Expr a : writtenArrays(call)) {
      out.add(records.recordContents(primalExpr(a)));
    }
  }

  /**
   * The reverse of a call that runs as it is: nothing to differentiate, but when it writes into
   * arrays it is a candidate for {@link #recordedCalls}, and if recorded, its arrays get their old
   * contents back (in the reverse order of {@link #recordContents}).
   */
  private void restoreContents(Stmt s, Expr.MethodCall call, List<Stmt> out) {
    List<Expr> written = writtenArrays(call);
    if (written.isEmpty()) {
      return;
    }
    primalWriters.add(s);
    if (recordedCalls.contains(s)) {
      for (int k = written.size() - 1; k >= 0; k--) {
        out.add(records.restoreContents(primalExpr(written.get(k))));
      }
    }
  }

  /** The record of the value {@code target} holds, taken before the statement being built overwrites it. */
  private Stmt push(Expr target) {
    if (lengthOnly.contains(current)) {
      return new Stmt.Call(ctx(RuntimeOp.PUSH_FRESH_LENGTH, Type.VOID, target), Origin.SYNTHETIC);
    }
    return inItsIteration(records.record(target, at(current)), false);
  }

  /**
   * Element overwrites that record only in one iteration of their loop ({@link PushPlanner}), with
   * that iteration: their record and restore run where the loop's index is there.
   */
  Map<Stmt, PushPlanner.OneIteration> oneIterationOnly = Map.of();

  /** {@code record} (or its restore), guarded by its one iteration where the current statement records only there. */
  private Stmt inItsIteration(Stmt record, boolean reverse) {
    PushPlanner.OneIteration one = oneIterationOnly.get(current);
    if (one == null) {
      return record;
    }
    Plan.CountedLoop counted = plan.countedLoop(one.loop());
    Expr at = reverse ? primalExpr(one.index()) : one.index();
    return new Stmt.If(new Expr.Binary(Expr.BinaryOp.EQ, new Expr.Ref(counted.index()), at, Type.BOOLEAN),
        Stmt.Block.of(List.of(record)), null, Origin.SYNTHETIC);
  }

  /** Where the record of the statement {@code site} is taken: inside the loops being built. */
  private Records.At at(Stmt site) {
    return new Records.At(site, List.copyOf(loopIndices));
  }

  /** The restore of an array recorded whole ({@link Records#recordWhole}), and its adjoint array. */
  private List<Stmt> wholeRestore(Var v) {
    List<Stmt> out = new ArrayList<>();
    out.add(records.restoreWhole(v, List.copyOf(loopIndices)));
    if (activity.isActive(v)) {
      Var bar = naming.adjoint(v);
      if (v.kind() == Var.Kind.PARAMETER) {
        out.add(new Stmt.Call(ctx(RuntimeOp.BIND_SHADOW, Type.VOID, new Expr.Ref(v), new Expr.Ref(bar)), Origin.SYNTHETIC));
      } else {
        out.add(assign(bar, ctx(RuntimeOp.SHADOW, v.type(), new Expr.Ref(v))));
      }
    }
    return out;
  }

  /**
   * The restore of what {@link #push} recorded ({@code v = ctx.popDouble();}), and for an array
   * local the re-binding of its adjoint array.
   */
  private Stmt restore(Expr target) {
    if (lengthOnly.contains(current)) {
      // the array is not needed, only zeros for its adjoint (the local keeps a later array,
      // which no reverse code before its next restore reads)
      Var v = ((Expr.Ref) target).var();
      return activity.isActive(v)
          ? assign(naming.adjoint(v), ctx(RuntimeOp.POP_FRESH_ADJOINT, Type.DOUBLE_ARRAY))
          : new Stmt.Call(ctx(RuntimeOp.POP_FRESH_ADJOINT, Type.DOUBLE_ARRAY), Origin.SYNTHETIC);
    }
    Stmt pop = inItsIteration(records.restore(target, at(current)), true);
    if (target instanceof Expr.Ref r && r.type().isArray() && activity.isActive(r.var())) {
      Expr adjoint = freshLocals.contains(r.var().name())
          ? new Expr.Conditional(new Expr.Binary(Expr.BinaryOp.EQ, target, new Expr.Literal("null", r.type()), Type.BOOLEAN),
              new Expr.Literal("null", r.type()), new Expr.NewArray(r.type(), List.of(new Expr.Length(target))), r.type())
          : ctx(RuntimeOp.SHADOW, r.type(), target);
      Stmt rebind = assign(naming.adjoint(r.var()), adjoint);
      return Stmt.Block.of(List.of(pop, rebind));
    }
    return pop;
  }

  private static Stmt.Block append(Stmt.Block b, Stmt s) {
    List<Stmt> stmts = new ArrayList<>(b.stmts());
    stmts.add(s);
    return new Stmt.Block(stmts, b.origin());
  }

  private Stmt bit(boolean value) {
    return records.recordBit(new Expr.Literal(Boolean.toString(value), Type.BOOLEAN));
  }

  static Expr.ContextCall ctx(RuntimeOp op, Type type, Expr... args) {
    return new Expr.ContextCall(op, List.of(args), type);
  }

  static Stmt assign(Var v, Expr value) {
    return new Stmt.Assign(new Expr.Ref(v), AssignOp.SET, value, Origin.SYNTHETIC);
  }

  // ---- adjoint locations ------------------------------------------------------------------------

  private static Var rootOf(Expr e) {
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return ((Expr.Ref) e).var();
  }

  /** {@code xBar} for an active double {@code x}; {@code aBar[i][j]} for {@code a[i][j]}. */
  private Expr adjointLocation(Expr e) {
    if (e instanceof Expr.Ref r) {
      return new Expr.Ref(naming.adjoint(r.var()));
    }
    return shadowOf(e);
  }

  /** The adjoint array (or element) that mirrors an array expression. */
  private Expr shadowOf(Expr e) {
    if (e instanceof Expr.Ref r) {
      if (activity.isActive(r.var())) {
        return new Expr.Ref(naming.adjoint(r.var()));
      }
      return ctx(RuntimeOp.SHADOW, r.type(), e);
    }
    if (e instanceof Expr.Index ix) {
      Var root = rootOf(ix);
      if (!activity.isActive(root)) {
        return ctx(RuntimeOp.SHADOW, e.type(), e);
      }
      return new Expr.Index(shadowOf(ix.array()), onShadow(ix.index(), ix.array()));
    }
    if (e instanceof Expr.FieldRead) {
      return ctx(RuntimeOp.SHADOW, e.type(), e); // a constant: its adjoint is scratch that nothing reads
    }
    throw new IllegalStateException("no adjoint array for " + e);
  }

  /**
   * {@code index} with the shape of the matrix {@code array} read from its adjoint, which has the
   * same shape: the adjoint location {@code mBar.data[i * mBar.numCols + j]} then needs no primal
   * reference to the matrix.
   */
  private Expr onShadow(Expr index, Expr array) {
    if (array.type() != Type.MATRIX || !(array instanceof Expr.Ref m) || !activity.isActive(m.var())) {
      return index;
    }
    Expr bar = new Expr.Ref(naming.adjoint(m.var()));
    if (index instanceof Expr.Dim d && d.matrix().equals(array)) {
      return new Expr.Dim(bar, d.member());
    }
    return Exprs.mapChildren(index, c -> onShadow(c, array));
  }

  // ---- reads ------------------------------------------------------------------------------------

  void collectReads(Stmt s, Set<String> keys) {
    collectReads(s, keys, null);
  }

  /** As above, with the element accesses among the reads in {@code elements} (when not null). */
  void collectReads(Stmt s, Set<String> keys, ElementDependences.Reads elements) {
    Statements.forEach(s, x -> {
      if (x instanceof Stmt.Assign a) {
        if (a.target() instanceof Expr.Index ix) {
          effects.locationReads(ix, keys, elements);
        }
        if (a.op() != AssignOp.SET && a.target() instanceof Expr.Ref) {
          effects.reads(a.target(), keys, elements);
        }
        effects.reads(a.value(), keys, elements);
      } else if (x instanceof Stmt.Declare d && d.init() != null) {
        effects.reads(d.init(), keys, elements);
      } else if (x instanceof Stmt.Step st) {
        keys.add(st.var().name());
      } else {
        Statements.ownExpressions(x, e -> effects.reads(e, keys, elements));
      }
    });
  }

}
