package org.rad.processor.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Element-level dependence tests between an array element that a statement overwrites and the
 * elements that the reverse sweep of a statement reads: the element-precise half of the
 * to-be-recorded analysis. Contents are tracked per alias class elsewhere ({@code #class} keys),
 * so an overwrite of any element of a class whose contents some reverse reads would record its old
 * value; these tests show where that value is not one the reads can see:
 *
 * <ul>
 *   <li>{@link #noEarlierRead}: no execution of the reader earlier than the writer's current one
 *       reads the element it overwrites (a DP table written {@code r[i][j]} and read {@code
 *       r[i - 1][j]}, {@code r[i][j - 1]}: earlier cells only; a triangular solve writing {@code
 *       z[i]} while earlier rows read {@code z[k]}, {@code k < i});
 *   <li>{@link #distinctInOneExecution}: in one execution, the element an assignment overwrites is
 *       none of the elements its own reverse reads ({@code z[i] -= a[i][k] * z[k]} with {@code k <
 *       i}), so restoring it first changes nothing they read.
 * </ul>
 *
 * <p>Both compare indices that are affine in the indices of counted loops (each loop's range from
 * its start and bound, which may name outer loop indices) and in variables that hold one value for
 * the whole method (parameters and top-level locals never assigned again). Two accesses are through
 * the same such array variable; the earlier executions of the reader are split by the first
 * enclosing loop in which they run an earlier iteration, and in each case one dimension must be
 * shown to differ by bounding the difference of the two indices over every loop index (inner loops
 * first, each replaced by the end of its range that maximizes, or minimizes, the difference). A
 * dimension other than the last counts only where the rows of the array are distinct objects
 * ({@link DistinctRows}): rows of a caller's matrix may be one array. Anything else (a while loop
 * around both, an index through a variable assigned in a loop, a product of loop indices) is a
 * possible dependence.
 */
public final class ElementDependences {
  private final Plan plan;
  private final DistinctRows rows;
  /** The loops around each statement, outermost first. */
  private final Map<Stmt, List<Stmt>> loops = new IdentityHashMap<>();
  /** Each statement's position in a walk of the body that visits a statement before what follows it. */
  private final Map<Stmt, Integer> position = new IdentityHashMap<>();
  /** Variables that hold one value for the whole method. */
  private final Set<String> stable = new HashSet<>();
  /**
   * Per statement, the branch conditions it runs under that still hold there ({@code if (i == j)
   * ... else l[i][j] = s / l[j][j]} runs under {@code i != j}): a condition with its polarity,
   * from the ifs around the statement whose condition reads nothing the branch assigns.
   */
  private final Map<Stmt, List<Guard>> guards = new IdentityHashMap<>();

  /** A branch condition and whether it held. */
  private record Guard(Expr condition, boolean holds) {}

  private void guardsOf(Stmt s, List<Guard> here) {
    if (!here.isEmpty()) {
      guards.put(s, here);
    }
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> guardsOf(c, here));
    } else if (s instanceof Stmt.If i) {
      guardsOf(i.whenTrue(), guarded(here, i.condition(), true, i.whenTrue()));
      if (i.whenFalse() != null) {
        guardsOf(i.whenFalse(), guarded(here, i.condition(), false, i.whenFalse()));
      }
    } else if (s instanceof Stmt.For f) {
      f.init().forEach(c -> guardsOf(c, here));
      guardsOf(f.body(), here);
      f.update().forEach(c -> guardsOf(c, here));
    } else if (s instanceof Stmt.While w) {
      guardsOf(w.body(), here);
    }
  }

  /** {@code here} and the condition of a branch, where the branch assigns nothing the condition reads. */
  private static List<Guard> guarded(List<Guard> here, Expr condition, boolean holds, Stmt.Block branch) {
    Set<String> assigned = new HashSet<>();
    Statements.forEach(branch, x -> {
      Var v = Statements.assignedVariable(x);
      if (v != null) {
        assigned.add(v.name());
      }
      if (x instanceof Stmt.Declare d) {
        assigned.add(d.var().name());
      }
    });
    boolean[] stays = {true};
    org.rad.processor.ir.Exprs.walk(condition, x -> stays[0] &= !(x instanceof Expr.Ref r && assigned.contains(r.var().name()))
        && !(x instanceof Expr.Index) && !(x instanceof Expr.MethodCall));
    if (!stays[0]) {
      return here;
    }
    List<Guard> out = new ArrayList<>(here);
    out.add(new Guard(condition, holds));
    return out;
  }

  /**
   * The differences {@code a - b} that the guards of {@code s} show nonzero ({@code a != b}, {@code
   * a < b}, {@code a > b}, {@code !(a == b)}, {@code !(a <= b)}, ...), or with {@code equal} zero
   * ({@code a == b}, {@code !(a != b)}): the operands of {@code &&} that hold, of {@code ||} that
   * do not.
   */
  private List<Poly> differences(Stmt s, boolean equal) {
    List<Poly> out = new ArrayList<>();
    for (Guard g : guards.getOrDefault(s, List.of())) {
      differences(g.condition(), g.holds(), equal, s, out);
    }
    return out;
  }

  /** The differences {@code a - b} the condition shows nonzero ({@code equal} false) or zero ({@code a == b}). */
  private void differences(Expr c, boolean holds, boolean equal, Stmt at, List<Poly> out) {
    if (c instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NOT) {
      differences(u.operand(), !holds, equal, at, out);
      return;
    }
    if (!(c instanceof Expr.Binary b)) {
      return;
    }
    if (b.op() == Expr.BinaryOp.AND && holds || b.op() == Expr.BinaryOp.OR && !holds) {
      differences(b.left(), holds, equal, at, out);
      differences(b.right(), holds, equal, at, out);
      return;
    }
    boolean shown = equal ? b.op() == Expr.BinaryOp.EQ && holds || b.op() == Expr.BinaryOp.NE && !holds
        : switch (b.op()) {
          case NE, LT, GT -> holds;
          case EQ, LE, GE -> !holds;
          default -> false;
        };
    if (!shown || !b.left().type().isIntegral() || !b.right().type().isIntegral()) {
      return;
    }
    Poly left = affine(b.left(), at);
    Poly right = left == null ? null : affine(b.right(), at);
    if (right != null) {
      out.add(left.minus(right));
    }
  }

  /** Index variables of the counted loops. */
  private final Map<String, Stmt.For> loopOfIndex = new HashMap<>();

  private ElementDependences(Plan plan, DistinctRows rows) {
    this.plan = plan;
    this.rows = rows;
  }

  /** The tests for {@code method}, with its plan's counted loops and its distinct-rows classes. */
  public static ElementDependences of(MethodIR method, Plan plan, DistinctRows rows) {
    ElementDependences d = new ElementDependences(plan, rows);
    Set<String> assigned = new HashSet<>();
    Set<String> declaredInLoops = new HashSet<>();
    method.params().forEach(p -> d.stable.add(p.name()));
    d.walk(method.body(), new ArrayList<>(), assigned, declaredInLoops);
    d.guardsOf(method.body(), List.of());
    d.stable.removeAll(assigned);
    d.stable.removeAll(declaredInLoops);
    d.resolveLocals(method.body(), assigned);
    return d;
  }

  /**
   * The values of the method's top-level integer locals that hold one value for the whole method
   * and are affine in the others ({@code int ld = m + 1}): a flat table's stride is seen to exceed
   * a column index bounded by {@code m} ({@link #withinStride}).
   */
  private final Map<String, Poly> definitions = new HashMap<>();

  /**
   * The locals declared once and never assigned whose values the tests can see through: integer
   * locals at affine expressions ({@link #definitions} at the top level, {@link #indexLocals} in
   * loop bodies), and row references, as the rows they stand for: {@code double[] rr = m[r]} over
   * a matrix that holds one value for the method, at indices affine in stable variables and the
   * indices of counted loops around the declaration. Every use of such a local
   * lies in its declaration's scope, so in the same iterations of those loops: {@code rr[c]} there
   * is {@code m[r][c]} with the same {@code r}. The tests compare rows of one matrix through
   * different references this way ({@code rr[c] -= f * rp[c]} of an elimination, {@code rr = m[r]},
   * {@code rp = m[p]}, {@code r > p}); rows of a nested row reference compose ({@code double[][]
   * plane = t[k]; double[] row = plane[i];} is {@code t[k][i]}).
   */
  private void resolveLocals(Stmt body, Set<String> assigned) {
    Map<String, Integer> declarations = new HashMap<>();
    Statements.forEach(body, s -> {
      if (s instanceof Stmt.Declare d) {
        declarations.merge(d.var().name(), 1, Integer::sum);
      }
    });
    Statements.forEach(body, s -> {
      if (s instanceof Stmt.Declare d && d.var().type().isIntegral() && d.init() != null
          && declarations.get(d.var().name()) == 1 && !assigned.contains(d.var().name())) {
        // a stride at the top level (int ld = m + 1), or an index local of a loop body (int idx =
        // r * cols + c): the expression it holds
        Poly value = affine(d.init(), d);
        if (value != null) {
          (stable.contains(d.var().name()) ? definitions : indexLocals).put(d.var().name(), value);
        }
        return;
      }
      if (!(s instanceof Stmt.Declare d) || !d.var().type().isArray() || !(d.init() instanceof Expr.Index ix)
          || declarations.get(d.var().name()) != 1 || assigned.contains(d.var().name())) {
        return;
      }
      Access row = canonical(Access.of(ix));
      if (row == null || !stable.contains(row.root())) {
        return;
      }
      for (Expr index : row.indices()) {
        if (affine(index, d) == null) {
          return;
        }
      }
      rowReferences.put(d.var().name(), row);
    });
  }

  /**
   * Integer locals declared once in a loop body and never assigned, at an affine expression of
   * stable variables and the indices of counted loops around them ({@code int idx = r * cols +
   * c;}), as that expression: every use lies in the declaration's scope, in the same iterations.
   */
  private final Map<String, Poly> indexLocals = new HashMap<>();

  /** Row references resolved by {@link #resolveLocals}: the local and the row it holds. */
  private final Map<String, Access> rowReferences = new HashMap<>();

  /** {@code a} with a row reference as its root replaced by the row it holds (see {@link #resolveLocals}). */
  private Access canonical(Access a) {
    Access row = a == null ? null : rowReferences.get(a.root());
    if (row == null) {
      return a;
    }
    List<Expr> indices = new ArrayList<>(row.indices());
    indices.addAll(a.indices());
    return new Access(row.root(), List.copyOf(indices));
  }

  /**
   * Records each statement's loops and position; adds the declarations outside loops to {@link
   * #stable}, and collects the variables assigned after their declaration and those declared in a
   * loop (which {@link #of} then takes out of it).
   */
  private void walk(Stmt s, List<Stmt> around, Set<String> assigned, Set<String> declaredInLoops) {
    loops.put(s, List.copyOf(around));
    position.put(s, position.size());
    if (s instanceof Stmt.Declare decl) {
      (around.isEmpty() ? stable : declaredInLoops).add(decl.var().name());
    }
    if (!(s instanceof Stmt.Declare)) {
      Var v = Statements.assignedVariable(s);
      if (v != null) {
        assigned.add(v.name());
      }
    }
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(c -> walk(c, around, assigned, declaredInLoops));
    } else if (s instanceof Stmt.If i) {
      walk(i.whenTrue(), around, assigned, declaredInLoops);
      if (i.whenFalse() != null) {
        walk(i.whenFalse(), around, assigned, declaredInLoops);
      }
    } else if (s instanceof Stmt.For f) {
      Plan.CountedLoop counted = plan.countedLoop(f);
      if (counted != null) {
        loopOfIndex.put(counted.index().name(), f);
      }
      List<Stmt> inside = new ArrayList<>(around);
      inside.add(f);
      // the index is declared and stepped by the loop itself: inside it, not a stable variable
      // (positions in the order of execution: the update after the body)
      f.init().forEach(c -> walk(c, inside, assigned, declaredInLoops));
      walk(f.body(), inside, assigned, declaredInLoops);
      f.update().forEach(c -> walk(c, inside, assigned, declaredInLoops));
    } else if (s instanceof Stmt.While w) {
      List<Stmt> inside = new ArrayList<>(around);
      inside.add(w);
      walk(w.body(), inside, assigned, declaredInLoops);
    }
  }

  /**
   * What the reverse of one statement reads of array contents: element accesses by contents key,
   * and the contents keys it reads as a whole (through calls), whose elements are unknown.
   */
  public record Reads(Map<String, List<Expr.Index>> elements, Set<String> whole) {}

  /** An element access {@code root[i1]...[ik]}: its array variable and its indices, outermost first. */
  public record Access(String root, List<Expr> indices) {
    /** The access {@code ix} denotes, or null when its array is not a variable. */
    public static Access of(Expr.Index ix) {
      List<Expr> indices = new ArrayList<>();
      Expr e = ix;
      while (e instanceof Expr.Index i) {
        indices.add(0, i.index());
        e = i.array();
      }
      return e instanceof Expr.Ref r ? new Access(r.var().name(), List.copyOf(indices)) : null;
    }
  }

  /**
   * Whether no execution of {@code reader} that comes before the current execution of {@code
   * writer} reads, through {@code read}, the element that {@code write} overwrites. False when
   * that cannot be shown.
   */
  public boolean noEarlierRead(Stmt writer, Access write, Stmt reader, Access read) {
    return noEarlierRead(writer, write, reader, read, 0);
  }

  /**
   * Like {@link #noEarlierRead(Stmt, Access, Stmt, Access)}, for the executions of {@code reader}
   * within the current iterations of the writer's {@code from} outermost loops only (the reads of
   * earlier iterations of those are known not to matter: re-established since).
   */
  public boolean noEarlierRead(Stmt writer, Access write, Stmt reader, Access read, int from) {
    write = canonical(write);
    read = canonical(read);
    if (!comparable(write, read) || !loops.containsKey(writer) || !loops.containsKey(reader)) {
      return false;
    }
    List<Stmt> wLoops = loops.get(writer);
    int common = commonLoops(writer, reader);
    // case m < common: the same iterations of the m outer loops, an earlier one of loop m
    for (int m = from; m < common; m++) {
      Plan.CountedLoop counted = wLoops.get(m) instanceof Stmt.For f ? plan.countedLoop(f) : null;
      if (counted == null || !differ(writer, write, reader, read, m, counted)) {
        return false;
      }
    }
    // the same iteration of every loop around both: only a reader before the writer comes first
    if (reader == writer || position.get(reader) > position.get(writer)) {
      return true;
    }
    return differ(writer, write, reader, read, common, null);
  }

  /**
   * Like {@link #noEarlierRead(Stmt, Access, Stmt, Access, int)}, for the writer's executions in
   * the iterations of {@code loop} (one of the loops around it) other than the one where its index
   * equals {@code at} (an expression of variables that hold one value there): where that holds and
   * the plain test does not, only that iteration's write can meet the read. The iterations before
   * it and those after it are asked apart, each as a range of the index. False where {@code at} is
   * not affine.
   */
  public boolean noEarlierReadExceptAt(Stmt writer, Access write, Stmt reader, Access read, Stmt.For loop, Expr at,
      int from) {
    Poly value = loops.containsKey(writer) ? affine(at, writer) : null;
    if (value == null || value.mentions(plan.countedLoop(loop).index().name())) {
      return false;
    }
    narrowed = loop;
    try {
      narrowedLower = null;
      narrowedUpper = value.minus(Poly.constant(1));
      if (!noEarlierRead(writer, write, reader, read, from)) {
        return false;
      }
      narrowedLower = value.plus(Poly.constant(1));
      narrowedUpper = null;
      return noEarlierRead(writer, write, reader, read, from);
    } finally {
      narrowed = null;
    }
  }

  /**
   * A loop whose own index {@link #range} narrows to {@link #narrowedLower} .. {@link
   * #narrowedUpper} (null: that end as the loop has it), for {@link #noEarlierReadExceptAt}; null:
   * none.
   */
  private Stmt.For narrowed;
  private Poly narrowedLower;
  private Poly narrowedUpper;

  /**
   * Whether, in one iteration of every loop around both statements ({@code reader}'s own inner
   * loops in any of theirs), the element that {@code write} of {@code writer} overwrites is not
   * one that {@code read} of {@code reader} reads. False when that cannot be shown.
   */
  public boolean distinctInOneIteration(Stmt writer, Access write, Stmt reader, Access read) {
    write = canonical(write);
    read = canonical(read);
    if (!comparable(write, read) || !loops.containsKey(writer) || !loops.containsKey(reader)) {
      return false;
    }
    return differ(writer, write, reader, read, commonLoops(writer, reader), null);
  }

  /** The loops around {@code s}, outermost first (empty for a statement not in the method). */
  public List<Stmt> loopsAround(Stmt s) {
    return loops.getOrDefault(s, List.of());
  }

  /** How many loops, from the outermost, enclose both statements. */
  private int commonLoops(Stmt writer, Stmt reader) {
    List<Stmt> wLoops = loops.get(writer);
    List<Stmt> rLoops = loops.get(reader);
    int common = 0;
    while (common < wLoops.size() && common < rLoops.size() && wLoops.get(common) == rLoops.get(common)) {
      common++;
    }
    return common;
  }

  /**
   * Whether, in one execution of {@code s}, the element {@code write} overwrites is not the one
   * {@code read} reads.
   */
  public boolean distinctInOneExecution(Stmt s, Access write, Access read) {
    write = canonical(write);
    read = canonical(read);
    if (!comparable(write, read) || !loops.containsKey(s)) {
      return false;
    }
    List<Poly> diffs = new ArrayList<>();
    for (int d : checkedDimensions(write)) {
      Poly w = affine(write.indices().get(d), s);
      Poly r = affine(read.indices().get(d), s);
      if (w == null || r == null) {
        continue;
      }
      Poly diff = r.minus(w);
      diffs.add(diff);
      if (excludesZero(diff, List.of(), loops.get(s))) {
        return true;
      }
    }
    if (apartByGuards(diffs, s, differences(s, true))) {
      return true;
    }
    if (write.indices().size() == 1) {
      Poly w = affine(write.indices().get(0), s);
      Poly r = affine(read.indices().get(0), s);
      if (w != null && r != null) {
        List<Bound> ranges = rangesOf(loops.get(s));
        for (List<Poly> rows : asRows(w, ranges, r, ranges)) {
          for (Poly d : rows) {
            if (excludesZero(d, List.of(), loops.get(s))) {
              return true;
            }
          }
          if (apartByGuards(rows, s, differences(s, true))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean zero(Poly p) {
    Long c = p.constantValue();
    return c != null && c == 0;
  }

  private boolean comparable(Access write, Access read) {
    return write != null && read != null && write.root().equals(read.root()) && stable.contains(write.root())
        && write.indices().size() == read.indices().size();
  }

  /** The dimensions whose difference shows two elements apart: all if rows are distinct, else the last. */
  private List<Integer> checkedDimensions(Access a) {
    int k = a.indices().size();
    if (!rows.distinct(a.root())) {
      return List.of(k - 1);
    }
    List<Integer> all = new ArrayList<>();
    for (int d = 0; d < k; d++) {
      all.add(d);
    }
    return all;
  }

  /**
   * Whether some checked dimension differs between the writer's current execution and every
   * execution of the reader that runs the same iterations of the first {@code m} common loops and,
   * when {@code earlier} is the m-th common loop, an earlier iteration of it (else the same
   * iterations of all common loops).
   */
  private boolean differ(Stmt writer, Access write, Stmt reader, Access read, int m, Plan.CountedLoop earlier) {
    List<Stmt> rLoops = loops.get(reader);
    // the reader's loops from level m on run other iterations: their indices are renamed apart
    Map<String, String> primed = new HashMap<>();
    for (int l = m; l < rLoops.size(); l++) {
      if (rLoops.get(l) instanceof Stmt.For f && plan.countedLoop(f) != null) {
        primed.put(plan.countedLoop(f).index().name(), plan.countedLoop(f).index().name() + "'");
      }
    }
    List<Bound> readerRanges = readerRanges(reader, m, earlier, primed);
    List<Poly> diffs = new ArrayList<>();
    for (int d : checkedDimensions(write)) {
      Poly w = affine(write.indices().get(d), writer);
      Poly r = affine(read.indices().get(d), reader);
      if (w == null || r == null) {
        continue;
      }
      Poly diff = rename(r, primed).minus(w);
      diffs.add(diff);
      if (excludesZero(diff, readerRanges, loops.get(writer))) {
        return true;
      }
    }
    // (the reader's guards that are equalities hold in its executions: with its indices renamed)
    List<Poly> zeros = new ArrayList<>();
    for (Poly z : differences(reader, true)) {
      zeros.add(rename(z, primed));
    }
    if (apartByGuards(diffs, writer, zeros)) {
      return true;
    }
    if (write.indices().size() == 1) {
      Poly w = affine(write.indices().get(0), writer);
      Poly r = affine(read.indices().get(0), reader);
      if (w != null && r != null) {
        List<Bound> writerRanges = rangesOf(loops.get(writer));
        List<Bound> all = new ArrayList<>(readerRanges);
        all.addAll(writerRanges);
        for (List<Poly> rows : asRows(w, writerRanges, rename(r, primed), all)) {
          for (Poly d : rows) {
            if (excludesZero(d, readerRanges, loops.get(writer))) {
              return true;
            }
          }
          if (apartByGuards(rows, writer, zeros)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The ranges of the reader's loops from level {@code m} on, as {@link #differ} takes them. */
  private List<Bound> readerRanges(Stmt reader, int m, Plan.CountedLoop earlier, Map<String, String> primed) {
    List<Stmt> rLoops = loops.get(reader);
    List<Bound> out = new ArrayList<>();
    for (int l = rLoops.size() - 1; l >= m; l--) {
      Bound b = range(rLoops.get(l), primed);
      if (b == null) {
        continue; // a while loop: no index
      }
      if (l == m && earlier != null) {
        // an earlier iteration: below the writer's index when the loop ascends, above it when it descends
        Poly now = Poly.variable(earlier.index().name());
        b = earlier.ascending() ? new Bound(b.var(), b.lower(), now.minus(Poly.constant(1)))
            : new Bound(b.var(), now.plus(Poly.constant(1)), b.upper());
      }
      out.add(b);
    }
    return out;
  }

  /** The ranges of the counted loops {@code around} (a statement's, outermost first), innermost first. */
  private List<Bound> rangesOf(List<Stmt> around) {
    List<Bound> out = new ArrayList<>();
    for (int l = around.size() - 1; l >= 0; l--) {
      Bound b = range(around.get(l), Map.of());
      if (b != null) {
        out.add(b);
      }
    }
    return out;
  }

  /**
   * Flat indices read as rows: for each stride {@code s} (a variable that holds one value for the
   * method, or an array's length) with {@code w = a s + b} and {@code r = a' s + b'} and both
   * {@code b}, {@code b'} within {@code [0, s)} over their ranges ({@code a[i * n + j]} with
   * {@code j < n}), the differences {@code [a' - a, b' - b]}: the elements differ if either does.
   */
  private List<List<Poly>> asRows(Poly w, List<Bound> wRanges, Poly r, List<Bound> rRanges) {
    List<List<Poly>> out = new ArrayList<>();
    java.util.Set<String> strides = new java.util.TreeSet<>(w.productVariables());
    strides.retainAll(r.productVariables());
    for (String s : strides) {
      if (loopOfIndex.containsKey(s) || !(stable.contains(s) || s.endsWith(".length"))) {
        continue;
      }
      Poly[] ws = w.splitBy(s);
      Poly[] rs = r.splitBy(s);
      if (ws == null || rs == null || !withinStride(ws[1], s, wRanges) || !withinStride(rs[1], s, rRanges)) {
        continue;
      }
      out.add(List.of(rs[0].minus(ws[0]), rs[1].minus(ws[1])));
    }
    return out;
  }

  /** Whether {@code 0 <= b < s} over the ranges ({@code s} by its definition where it has one). */
  private boolean withinStride(Poly b, String s, List<Bound> ranges) {
    Long least = extreme(b, ranges, false);
    Long most = extreme(b.minus(Poly.variable(s)), ranges, true);
    if ((most == null || most >= 0) && definitions.containsKey(s)) {
      most = extreme(b.minus(definitions.get(s)), ranges, true);
    }
    return least != null && least >= 0 && most != null && most < 0;
  }

  /**
   * Whether the writer's guards show the elements apart through the differences {@code diffs} of
   * their indices: one of them, or the difference of two (a diagonal read {@code l[j][j]} in any
   * execution against a write {@code l[i][j]} under {@code i != j}: {@code (j' - i) - (j' - j)}),
   * is a guard's nonzero difference.
   */
  private boolean apartByGuards(List<Poly> diffs, Stmt writer, List<Poly> readerZeros) {
    List<Poly> apart = differences(writer, false);
    if (apart.isEmpty()) {
      return false;
    }
    List<Poly> candidates = new ArrayList<>(diffs);
    for (int a = 0; a < diffs.size(); a++) {
      for (int b = a + 1; b < diffs.size(); b++) {
        candidates.add(diffs.get(a).minus(diffs.get(b)));
      }
    }
    List<Poly> zeros = new ArrayList<>(readerZeros);
    zeros.add(Poly.constant(0));
    for (Poly c : candidates) {
      for (Poly p : apart) {
        for (Poly z : zeros) {
          // (c = +-p + z with z zero in the reader's execution: c is nonzero where p is)
          if (zero(c.minus(p).minus(z)) || zero(c.plus(p).minus(z)) || zero(c.minus(p).plus(z))
              || zero(c.plus(p).plus(z))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * The range of a counted loop's index (renamed by {@code primed}); an end that is not an affine
   * expression of outer indices and stable variables is null (unknown). Null for a while loop.
   */
  private Bound range(Stmt loop, Map<String, String> primed) {
    if (!(loop instanceof Stmt.For f) || plan.countedLoop(f) == null) {
      return null;
    }
    Plan.CountedLoop c = plan.countedLoop(f);
    String own = c.index().name();
    Poly start = affine(c.start(), loop);
    Poly bound = affine(c.bound(), loop);
    start = start == null || start.mentions(own) ? null : rename(start, primed);
    bound = bound == null || bound.mentions(own) ? null : rename(bound, primed);
    String var = primed.getOrDefault(own, own);
    Bound full = switch (c.comparison()) {
      case LT -> new Bound(var, start, bound == null ? null : bound.minus(Poly.constant(1)));
      case LE -> new Bound(var, start, bound);
      case GT -> new Bound(var, bound == null ? null : bound.plus(Poly.constant(1)), start);
      case GE -> new Bound(var, bound, start);
      default -> new Bound(var, null, null);
    };
    if (loop == narrowed && !primed.containsKey(own)) {
      // (the writer's own index, in the part of its range asked about)
      return new Bound(var, narrowedLower != null ? narrowedLower : full.lower(),
          narrowedUpper != null ? narrowedUpper : full.upper());
    }
    return full;
  }

  /** An index variable and its least and greatest values (null where unknown). */
  private record Bound(String var, Poly lower, Poly upper) {}

  /**
   * Whether {@code diff} is never 0: its greatest value is below 0 or its least above 0, once the
   * reader's renamed indices ({@code readerRanges}, innermost first) and then the indices of the
   * loops {@code writerLoops} (innermost first) are replaced by the ends of their ranges.
   */
  private boolean excludesZero(Poly diff, List<Bound> readerRanges, List<Stmt> writerLoops) {
    List<Bound> all = new ArrayList<>(readerRanges);
    all.addAll(rangesOf(writerLoops));
    Long most = extreme(diff, all, true);
    if (most != null && most < 0) {
      return true;
    }
    Long least = extreme(diff, all, false);
    return least != null && least > 0;
  }

  /** The greatest (or least) value of {@code p} over the ranges, eliminated in order; null if not a constant. */
  private static Long extreme(Poly p, List<Bound> ranges, boolean greatest) {
    for (Bound b : ranges) {
      Long c = p.linearCoefficient(b.var());
      if (c == null) {
        return null; // a product with the index
      }
      if (c != 0) {
        Poly end = (c > 0) == greatest ? b.upper() : b.lower();
        if (end == null) {
          return null;
        }
        p = p.substitute(b.var(), end);
      }
    }
    return p.constantValue();
  }

  private static Poly rename(Poly p, Map<String, String> names) {
    for (var e : names.entrySet()) {
      if (p.mentions(e.getKey())) {
        p = p.substitute(e.getKey(), Poly.variable(e.getValue()));
      }
    }
    return p;
  }

  /**
   * {@code e} as a polynomial in the indices of the counted loops around {@code at} (or that are
   * {@code at}), stable int variables and the lengths of stable arrays ({@code a.length}, a symbol
   * of its own), or null when it is not one.
   */
  private Poly affine(Expr e, Stmt at) {
    if (e instanceof Expr.Literal l) {
      Long v = l.integerValue();
      return v == null ? null : Poly.constant(v);
    }
    if (e instanceof Expr.Ref r) {
      String name = r.var().name();
      if (indexLocals.containsKey(name)) {
        return indexLocals.get(name);
      }
      if (stable.contains(name)) {
        return r.var().type().isIntegral() ? Poly.variable(name) : null;
      }
      Stmt.For loop = loopOfIndex.get(name);
      return loop != null && (loop == at || loops.get(at).contains(loop)) ? Poly.variable(name) : null;
    }
    if (e instanceof Expr.Length len && len.array() instanceof Expr.Ref r && stable.contains(r.var().name())) {
      return Poly.variable(r.var().name() + ".length"); // an array's length never changes
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      Poly p = affine(u.operand(), at);
      return p == null ? null : Poly.constant(0).minus(p);
    }
    if (e instanceof Expr.Binary b && b.type().isIntegral()) {
      Poly left = affine(b.left(), at);
      Poly right = left == null ? null : affine(b.right(), at);
      if (right == null) {
        return null;
      }
      return switch (b.op()) {
        case ADD -> left.plus(right);
        case SUB -> left.minus(right);
        case MUL -> left.times(right);
        default -> null;
      };
    }
    return null;
  }
}
