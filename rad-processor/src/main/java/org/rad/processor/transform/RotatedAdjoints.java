package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Carries the adjoint elements that consecutive iterations of a reverse loop share in locals.
 * The reverse of a stencil {@code out[j] = f(mid[j - 1], mid[j], mid[j + 1])} adds into {@code
 * midBar[j + 1]}, {@code midBar[j]} and {@code midBar[j - 1]}: each element is loaded, added to
 * and stored three times, by three iterations, and each load waits for the store the iteration
 * before made. Here the elements {@code j + c} of such an array (c from the least to the greatest
 * offset the loop uses) live in locals for as long as the loop touches them: the element entering
 * the window is loaded once, the one leaving it stored once, and the locals shift by one each
 * iteration (the register rotation of predictive commoning).
 *
 * <p>Each element sees the same additions in the same order, so the sums are the same doubles.
 * It applies to an innermost counted loop whose index steps by one, whose body is plain
 * assignments without calls (context calls without array arguments aside), and to an adjoint
 * array that is the same in every iteration ({@code midBar}, the adjoint of a row reference, or
 * {@code phiBar[i]}), indexed only at {@code j + c} for two or more constants {@code c} outside any
 * conditional. A row reached through its matrix ({@code phiBar[i][j + 1]}) is carried too, and
 * every row the loop indexes is read into a local before it ({@code row = phiBar[i];}): carried
 * through the matrix expression as written, the JIT ran the loop slower than before. The other
 * arrays the loop indexes may be the
 * same array at run time (two rows of one matrix): the loop is versioned on their references
 * ({@code if (midBar != upBar && ...)}), and on running at least once, since the window's
 * elements are read before the first iteration. That test is made once, so it applies only where
 * each of those arrays is the same in every iteration: a loop that also indexes rows of its own
 * index ({@code k[i] = k[i - 1] + p[i][0]}, with {@code k} a row of {@code p}) is left as it is.
 */
final class RotatedAdjoints extends LoopRewriter {
  /** The widest window carried: offsets from the least to the greatest at most this far apart. */
  private static final int MAX_SPAN = 4;

  private final Supplier<Var> fresh;
  private final Function<Type, Var> freshRow;

  private RotatedAdjoints(Supplier<Var> fresh, Function<Type, Var> freshRow) {
    this.fresh = fresh;
    this.freshRow = freshRow;
  }

  /**
   * {@code reverse} with the shared adjoint elements of its innermost loops carried in fresh
   * double locals ({@code fresh}), and the rows such a loop indexes in fresh locals of their type
   * ({@code freshRow}).
   */
  static Stmt.Block rotate(Stmt.Block reverse, Supplier<Var> fresh, Function<Type, Var> freshRow) {
    return new RotatedAdjoints(fresh, freshRow).block(reverse);
  }

  @Override
  protected boolean rewrites(Stmt.For f) {
    return f.body().stmts().stream().allMatch(x -> x instanceof Stmt.Assign || x instanceof Stmt.Declare);
  }

  /** A loop's index, where it starts, and its step (+1 or -1). */
  private record Counted(Var index, Expr start, int step) {}

  private static Counted counted(Stmt.For f) {
    if (f.init().size() != 1 || !(f.init().get(0) instanceof Stmt.Assign init) || init.op() != Stmt.AssignOp.SET
        || !(init.target() instanceof Expr.Ref index) || f.condition() == null || f.update().size() != 1
        || !(f.update().get(0) instanceof Stmt.Step st) || !st.var().equals(index.var())
        || !plain(init.value()) || !plain(f.condition())) {
      return null;
    }
    return new Counted(index.var(), init.value(), st.increment() ? 1 : -1);
  }

  /** No call with an effect, nothing evaluated only sometimes. */
  private static boolean plain(Expr e) {
    return !Exprs.any(e, x -> x instanceof Expr.MethodCall || x instanceof Expr.Conditional
        || x instanceof Expr.Binary b && b.op().isLogical() && x != e
        || x instanceof Expr.ContextCall c && c.args().stream().anyMatch(a -> a.type().isArray())
        || x instanceof Expr.StaticCall c && (c.owner() == Expr.Owner.GENERATED || c.owner() == Expr.Owner.USER));
  }

  @Override
  protected void loop(Stmt.For f, List<Stmt> out) {
    Counted counted = counted(f);
    if (counted == null) {
      out.add(f);
      return;
    }
    Set<String> written = new HashSet<>(List.of(counted.index().name()));
    boolean[] plainBody = {true};
    for (Stmt s : f.body().stmts()) {
      Var target = s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r ? r.var()
          : s instanceof Stmt.Declare d ? d.var() : null;
      if (target != null) {
        written.add(target.name());
        plainBody[0] &= !target.type().isArray(); // no array changes its name in the loop
      }
      // nor is a row of a matrix replaced (m[k] = ...), which the row locals would miss
      plainBody[0] &= !(s instanceof Stmt.Assign a && a.target() instanceof Expr.Index ix && ix.type().isArray());
      Statements.ownExpressions(s, e -> plainBody[0] &= plain(e));
    }
    if (!plainBody[0]) {
      out.add(f);
      return;
    }
    // every array expression indexed in the body, and the offsets from the index of each
    Map<Expr, TreeSet<Long>> offsets = new LinkedHashMap<>();
    Set<Expr> irregular = new HashSet<>();
    for (Stmt s : f.body().stmts()) {
      Statements.ownExpressions(s, e -> Exprs.walk(e, x -> {
        if (x instanceof Expr.Index ix && ix.type() == Type.DOUBLE) {
          Long c = offset(ix.index(), counted.index());
          offsets.computeIfAbsent(ix.array(), k -> new TreeSet<>());
          if (c == null) {
            irregular.add(ix.array());
          } else {
            offsets.get(ix.array()).add(c);
          }
        } else if (x instanceof Expr.Ref r && r.type().isArray() && !isIndexBase(e, x)) {
          irregular.add(x); // an array used otherwise than indexed
        }
      }));
    }
    if (irregular.stream().anyMatch(x -> x instanceof Expr.Ref)) {
      out.add(f); // an array used otherwise than indexed might be any of them
      return;
    }
    Map<Expr, TreeMap<Long, Var>> windows = new LinkedHashMap<>();
    for (var e : offsets.entrySet()) {
      TreeSet<Long> c = e.getValue();
      if (!irregular.contains(e.getKey()) && c.size() >= 2 && c.last() - c.first() <= MAX_SPAN
          && isAdjoint(e.getKey()) && unchanged(e.getKey(), written)) {
        TreeMap<Long, Var> w = new TreeMap<>();
        for (long k = c.first(); k <= c.last(); k++) {
          w.put(k, fresh.get());
        }
        windows.put(e.getKey(), w);
      }
    }
    // the distinctness test runs once, before the loop: every array the body indexes must name
    // the same array in every iteration (a row pBar[i] or p[i - 1] of the loop's own index may be
    // the carried array at some iteration only, and evaluated before the loop it is not even a row)
    if (windows.isEmpty() || !offsets.keySet().stream().allMatch(a -> unchanged(a, written))) {
      out.add(f);
      return;
    }
    Var j = counted.index();
    int step = counted.step();
    List<Stmt> pre = new ArrayList<>();
    List<Stmt> post = new ArrayList<>();
    List<Stmt> body = new ArrayList<>();
    List<Stmt> tail = new ArrayList<>();
    Expr test = Exprs.substitute(f.condition(), java.util.Map.of(j, counted.start()));
    // the rows the loop indexes ({@code phiBar[i]}) in locals, read once before it: measured on the
    // zoo's indexed reactor, the loop carrying phiBar[i][j + c] as written ran slower than the loop as
    // it was (18 ms -> 22 ms), with the rows in locals faster (18 ms -> 17 ms)
    Map<Expr, Expr> named = new LinkedHashMap<>();
    for (Expr array : offsets.keySet()) {
      if (array instanceof Expr.Index) {
        Var row = freshRow.apply(array.type());
        pre.add(set(row, array));
        named.put(array, new Expr.Ref(row));
      }
    }
    java.util.function.UnaryOperator<Expr> local = a -> named.getOrDefault(a, a);
    Map<Expr, TreeMap<Long, Var>> carriedWindows = new LinkedHashMap<>();
    windows.forEach((a, w) -> carriedWindows.put(local.apply(a), w));
    for (var w : windows.entrySet()) {
      Expr array = local.apply(w.getKey());
      TreeMap<Long, Var> slots = w.getValue();
      long entering = step < 0 ? slots.firstKey() : slots.lastKey();
      long leaving = step < 0 ? slots.lastKey() : slots.firstKey();
      for (var slot : slots.entrySet()) {
        if (slot.getKey() != entering) {
          pre.add(set(slot.getValue(), element(array, counted.start(), slot.getKey())));
          post.add(store(array, new Expr.Ref(j), slot.getKey(), slot.getValue()));
        }
      }
      body.add(set(slots.get(entering), element(array, new Expr.Ref(j), entering)));
      tail.add(store(array, new Expr.Ref(j), leaving, slots.get(leaving)));
      // the next iteration's element j + c is this one's j + c + step
      for (long c = leaving; c != entering; c += step) {
        tail.add(set(slots.get(c), new Expr.Ref(slots.get(c + step))));
      }
      for (Expr other : offsets.keySet()) {
        if (!other.equals(w.getKey())) {
          test = Exprs.and(test, new Expr.Binary(Expr.BinaryOp.NE, w.getKey(), other, Type.BOOLEAN));
        }
      }
    }
    for (Stmt s : f.body().stmts()) {
      body.add(Statements.mapExpressions(Stmt.Block.of(List.of(s)),
          x -> carried(local.apply(x), carriedWindows, j)).stmts().get(0));
    }
    body.addAll(tail);
    List<Stmt> rotated = new ArrayList<>(pre);
    rotated.add(new Stmt.For(f.init(), f.condition(), f.update(), new Stmt.Block(body, f.body().origin()), f.origin()));
    rotated.addAll(post);
    out.add(new Stmt.If(test, new Stmt.Block(rotated, f.origin()), Stmt.Block.of(List.of(f)), Origin.SYNTHETIC));
  }

  /** {@code x} with the window elements replaced by their locals (applied bottom-up by the caller). */
  private static Expr carried(Expr x, Map<Expr, TreeMap<Long, Var>> windows, Var j) {
    if (x instanceof Expr.Index ix && windows.containsKey(ix.array())) {
      return new Expr.Ref(windows.get(ix.array()).get(offset(ix.index(), j)));
    }
    return x;
  }

  /** {@code c} where {@code index} is {@code j}, {@code j + c} or {@code j - c} for an int literal c; else null. */
  private static Long offset(Expr index, Var j) {
    if (index instanceof Expr.Ref r && r.var().equals(j)) {
      return 0L;
    }
    if (index instanceof Expr.Binary b && b.left() instanceof Expr.Ref r && r.var().equals(j)
        && b.right() instanceof Expr.Literal lit && lit.integerValue() != null
        && (b.op() == Expr.BinaryOp.ADD || b.op() == Expr.BinaryOp.SUB)) {
      return b.op() == Expr.BinaryOp.ADD ? lit.integerValue() : -lit.integerValue();
    }
    return null;
  }

  /** Whether {@code x} occurs in {@code e} only as the array of an element access. */
  private static boolean isIndexBase(Expr e, Expr x) {
    boolean[] base = {false};
    Exprs.walk(e, y -> {
      if (y instanceof Expr.Index ix && ix.array() == x) {
        base[0] = true;
      }
    });
    return base[0];
  }

  private static boolean isAdjoint(Expr array) {
    Expr root = array;
    while (root instanceof Expr.Index ix) {
      root = ix.array();
    }
    return root instanceof Expr.Ref r && r.var().kind() == Var.Kind.ADJOINT;
  }

  /** Whether {@code array} names the same array in every iteration: nothing along its path is written. */
  private static boolean unchanged(Expr array, Set<String> written) {
    return !Exprs.any(array, x -> x instanceof Expr.Ref r && written.contains(r.var().name())
        || !(x instanceof Expr.Ref || x instanceof Expr.Index || x instanceof Expr.Literal
            || x instanceof Expr.Binary b && !b.op().isLogical()));
  }

  private static Expr element(Expr array, Expr at, long c) {
    Expr index = c == 0 ? at : new Expr.Binary(c > 0 ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB, at,
        Expr.Literal.ofInt((int) Math.abs(c)), Type.INT);
    return new Expr.Index(array, index);
  }

  private static Stmt set(Var v, Expr value) {
    return new Stmt.Assign(new Expr.Ref(v), Stmt.AssignOp.SET, value, Origin.SYNTHETIC);
  }

  private static Stmt store(Expr array, Expr at, long c, Var v) {
    return new Stmt.Assign(element(array, at, c), Stmt.AssignOp.SET, new Expr.Ref(v), Origin.SYNTHETIC);
  }
}
