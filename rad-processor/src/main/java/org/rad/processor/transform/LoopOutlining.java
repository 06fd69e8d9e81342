package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.analysis.Liveness;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Moves the innermost loop nests of a reverse sweep that run inside an outer loop into methods of
 * their own: {@code reactionBar = lossReverseLoop1(mid, midBar, outBar, ..., reactionBar);}.
 *
 * <p>Why: a reverse sweep keeps many values live across its inner loops (the arrays and adjoints of
 * every step, the scalar adjoints it accumulates), more than the machine has registers. In one
 * method the JIT spills the inner loop's own arrays and reloads them on every iteration, and keeps
 * range checks it could otherwise hoist: on a stencil's reverse, 25 of 49 instructions per element.
 * In a method of its own, the loop's values have the registers to themselves; the spills happen
 * once per call. (Measured on the reactor with row references: the reverse sweep 22 ms to 17 ms.)
 *
 * <p>A region is a statement inside a loop that contains loops, none of them with a loop inside:
 * the largest such statement (a loop, or the branches that version one), of {@link
 * #MIN_STATEMENTS} statements or more, that calls the context only inside its loops. It moves when
 * it jumps nowhere outside itself ({@code return}, a {@code break} or {@code continue} of an outer loop),
 * keeps no user text ({@link Stmt.Opaque}) or receiver field, declares nothing, and sets at most one
 * variable that is read after it: that one the method returns. Its parameters are the variables
 * it reads before setting them ({@link Liveness}); the others it mentions are its locals.
 */
public final class LoopOutlining {
  /**
   * The fewest statements (each nested one counted) a region must hold to move: a small loop keeps
   * few values live and reads better where it stands (and the JIT would inline its method back).
   */
  static final int MIN_STATEMENTS = 8;

  /**
   * A method made of a region: {@code returned} (null for void) is the variable it hands back,
   * {@code locals} are declared at its top, {@code body} is the region as it was.
   */
  public record Helper(String name, List<Var> params, Var returned, List<Var> locals, Stmt.Block body) {}

  /** The sweep with its regions replaced by calls, and the methods made of them, in order. */
  public record Result(Stmt.Block body, List<Helper> helpers) {}

  private final Liveness liveness;
  private final String baseName;
  private final Set<String> taken;
  private final List<Helper> helpers = new ArrayList<>();

  private LoopOutlining(Liveness liveness, String baseName, Set<String> taken) {
    this.liveness = liveness;
    this.baseName = baseName;
    this.taken = taken;
  }

  /**
   * Outlines the regions of {@code reverse}, whose code is followed by reads of {@code liveAtEnd}.
   * Methods are named {@code baseName + "Loop" + k}, avoiding {@code taken}.
   */
  public static Result outline(Stmt.Block reverse, Set<String> liveAtEnd, String baseName, Set<String> taken) {
    LoopOutlining o = new LoopOutlining(Liveness.of(reverse, liveAtEnd), baseName, taken);
    Stmt.Block body = (Stmt.Block) o.rewrite(reverse, false);
    return new Result(body, List.copyOf(o.helpers));
  }

  private Stmt rewrite(Stmt s, boolean inLoop) {
    if (inLoop && !(s instanceof Stmt.Block) && isRegion(s)) {
      Stmt call = outlined(s);
      if (call != null) {
        return call;
      }
    }
    if (s instanceof Stmt.Block b) {
      List<Stmt> out = new ArrayList<>(b.stmts().size());
      b.stmts().forEach(c -> out.add(rewrite(c, inLoop)));
      return new Stmt.Block(out, b.origin());
    }
    if (s instanceof Stmt.If i) {
      return new Stmt.If(i.condition(), (Stmt.Block) rewrite(i.whenTrue(), inLoop),
          i.whenFalse() == null ? null : (Stmt.Block) rewrite(i.whenFalse(), inLoop), i.origin());
    }
    if (s instanceof Stmt.For f) {
      return new Stmt.For(f.init(), f.condition(), f.update(), (Stmt.Block) rewrite(f.body(), true), f.origin());
    }
    if (s instanceof Stmt.While w) {
      return new Stmt.While(w.condition(), (Stmt.Block) rewrite(w.body(), true), w.origin());
    }
    return s;
  }

  /**
   * Contains a loop, every loop in it is innermost, it holds {@link #MIN_STATEMENTS} or more, and
   * it calls the context only inside its loops.
   */
  private static boolean isRegion(Stmt s) {
    if (callsContextOutsideLoops(s)) {
      return false;
    }
    boolean[] loop = {false};
    boolean[] nested = {false};
    int[] statements = {0};
    Statements.forEach(s, x -> {
      statements[0] += x instanceof Stmt.Block ? 0 : 1;
      if (isLoop(x)) {
        loop[0] = true;
        Stmt.Block body = x instanceof Stmt.For f ? f.body() : ((Stmt.While) x).body();
        Statements.forEach(body, y -> nested[0] |= isLoop(y));
      }
    });
    return loop[0] && !nested[0] && statements[0] >= MIN_STATEMENTS;
  }

  /**
   * Whether {@code s} calls the context outside its loops ({@code ctx.popSampledRange(...)} before
   * a row's loop). Such a call stays in the sweep: the JIT inlines the runtime's code for it into
   * the method that calls it, and in the loop's method that code crowded the loop's own values out
   * of registers (a running sum spilled to the stack: the reactor's randomized reverse sweep 14 ms
   * to 19 ms, in about half of the runs).
   */
  private static boolean callsContextOutsideLoops(Stmt s) {
    if (isLoop(s)) {
      return false;
    }
    boolean[] calls = {false};
    Statements.ownExpressions(s, e -> calls[0] |= Exprs.any(e, x -> x instanceof Expr.ContextCall));
    if (calls[0]) {
      return true;
    }
    if (s instanceof Stmt.Block b) {
      return b.stmts().stream().anyMatch(LoopOutlining::callsContextOutsideLoops);
    }
    if (s instanceof Stmt.If i) {
      return callsContextOutsideLoops(i.whenTrue()) || i.whenFalse() != null && callsContextOutsideLoops(i.whenFalse());
    }
    return false;
  }

  private static boolean isLoop(Stmt s) {
    return s instanceof Stmt.For || s instanceof Stmt.While;
  }

  /** The call that replaces region {@code s}, recording its method; null if it cannot move. */
  private Stmt outlined(Stmt s) {
    if (!movable(s, 0)) {
      return null;
    }
    Set<String> after = liveness.after(s);
    Map<String, Var> mentioned = mentioned(s);
    List<Var> setAndRead = new ArrayList<>();
    Statements.forEach(s, x -> {
      Var v = Statements.assignedVariable(x);
      if (v != null && after.contains(v.name()) && !setAndRead.contains(v)) {
        setAndRead.add(v);
      }
    });
    if (setAndRead.size() > 1) {
      return null;
    }
    Set<String> in = Liveness.before(s, after);
    List<Var> params = new ArrayList<>();
    List<Var> locals = new ArrayList<>();
    for (Var v : mentioned.values()) {
      (in.contains(v.name()) ? params : locals).add(v);
    }
    if (in.contains(Liveness.CONTEXT) && Liveness.mentions(s).contains(Liveness.CONTEXT)) {
      params.add(SweepBuilder.CTX);
    }
    String name = freshName();
    Var returned = setAndRead.isEmpty() ? null : setAndRead.get(0);
    Stmt.Block body = s instanceof Stmt.Block b ? b : Stmt.Block.of(List.of(s));
    helpers.add(new Helper(name, params, returned, locals, body));
    List<Expr> args = new ArrayList<>();
    params.forEach(p -> args.add(new Expr.Ref(p)));
    Expr call = new Expr.StaticCall(Expr.Owner.GENERATED, name, args, returned == null ? Type.VOID : returned.type());
    return returned == null ? new Stmt.Call(call, org.rad.processor.ir.Origin.SYNTHETIC)
        : new Stmt.Assign(new Expr.Ref(returned), Stmt.AssignOp.SET, call, org.rad.processor.ir.Origin.SYNTHETIC);
  }

  /**
   * Whether {@code s} can run in a method of its own: no jump out of it ({@code loops} is the
   * number of its own loops around {@code s}), no declaration, no user text, no receiver field.
   */
  private static boolean movable(Stmt s, int loops) {
    if (s instanceof Stmt.Return || s instanceof Stmt.Declare || s instanceof Stmt.Opaque) {
      return false;
    }
    if ((s instanceof Stmt.Break || s instanceof Stmt.Continue) && loops == 0) {
      return false;
    }
    boolean[] field = {false};
    Statements.ownExpressions(s, e -> field[0] |= Exprs.any(e, x -> x instanceof Expr.FieldRead f && !f.isStatic()));
    if (field[0]) {
      return false;
    }
    if (s instanceof Stmt.Block b) {
      return b.stmts().stream().allMatch(c -> movable(c, loops));
    }
    if (s instanceof Stmt.If i) {
      return movable(i.whenTrue(), loops) && (i.whenFalse() == null || movable(i.whenFalse(), loops));
    }
    if (s instanceof Stmt.For f) {
      return f.init().stream().allMatch(c -> movable(c, loops)) && f.update().stream().allMatch(c -> movable(c, loops))
          && movable(f.body(), loops + 1);
    }
    if (s instanceof Stmt.While w) {
      return movable(w.body(), loops + 1);
    }
    return true;
  }

  /** The variables {@code s} mentions (the context aside), in order of first mention. */
  private static Map<String, Var> mentioned(Stmt s) {
    Map<String, Var> vars = new LinkedHashMap<>();
    Statements.forEach(s, x -> {
      Var set = Statements.assignedVariable(x);
      Statements.ownExpressions(x, e -> Exprs.walk(e, y -> {
        if (y instanceof Expr.Ref r && !r.var().name().equals(Liveness.CONTEXT)) {
          vars.putIfAbsent(r.var().name(), r.var());
        }
      }));
      if (set != null) {
        vars.putIfAbsent(set.name(), set);
      }
    });
    return vars;
  }

  private String freshName() {
    for (int k = helpers.size() + 1;; k++) {
      String name = baseName + "Loop" + k;
      if (!taken.contains(name) && helpers.stream().noneMatch(h -> h.name().equals(name))) {
        return name;
      }
    }
  }
}
