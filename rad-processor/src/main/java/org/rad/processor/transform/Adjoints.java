package org.rad.processor.transform;

import java.util.List;
import java.util.function.Function;
import org.rad.processor.analysis.Activity;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Expr.BinaryOp;
import org.rad.processor.ir.Expr.Owner;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The chain rule on one expression: given the adjoint {@code seed} of an expression's value,
 * emits the statements that add its share to the adjoint of every active value it reads. Partial
 * derivatives are evaluated from the primal values, which the reverse sweep has restored to what
 * they were when the statement ran.
 */
final class Adjoints {
  private final Activity activity;
  private final Function<Expr, Expr> adjointLocation;
  private final Function<Type, Var> temp;
  /** The errors met so far, each once (a statement's reverse may be built more than once). */
  private final java.util.Map<String, CompileError> errors = new java.util.LinkedHashMap<>();

  /**
   * @param adjointLocation maps an active variable or array element to its adjoint location
   * @param temp hands out a fresh temporary of the reverse sweep
   */
  Adjoints(Activity activity, Function<Expr, Expr> adjointLocation, Function<Type, Var> temp) {
    this.activity = activity;
    this.adjointLocation = adjointLocation;
    this.temp = temp;
  }

  /**
   * Keeps {@code error} and goes on without the term it concerns, so that one compile reports
   * every such term of a method ({@link #throwErrors}), not the first the reverse sweep meets.
   */
  private void fail(CompileError error) {
    errors.putIfAbsent(error.origin() + ": " + error.getMessage(), error);
  }

  /**
   * Throws the errors {@link #fail} kept, if any: last met first, as the reverse sweep meets the
   * statements last first, so that they are reported in the order of the source.
   */
  void throwErrors() {
    org.rad.processor.diagnostics.CompileErrors.Collector collector = new org.rad.processor.diagnostics.CompileErrors.Collector();
    List<CompileError> met = new java.util.ArrayList<>(errors.values());
    java.util.Collections.reverse(met);
    met.forEach(collector::add);
    collector.throwIfAny();
  }

  /**
   * The conditions inside {@code e} whose outcome the adjoint depends on ({@code c} of
   * {@code c ? a : b}, the comparison of an active {@code max}/{@code min}), in evaluation order.
   * The forward sweep records each as one bit, so the reverse sweep needs neither the operands nor
   * re-evaluation (a ReLU costs one bit, never the pre-activation).
   */
  List<Expr> branchConditions(Expr e) {
    List<Expr> conditions = new java.util.ArrayList<>();
    collectBranches(e, conditions, new java.util.ArrayList<>());
    return conditions;
  }

  /** Same as {@link #branchConditions} but returns the nodes the conditions belong to. */
  List<Expr> branchNodes(Expr e) {
    List<Expr> nodes = new java.util.ArrayList<>();
    collectBranches(e, new java.util.ArrayList<>(), nodes);
    return nodes;
  }

  private void collectBranches(Expr e, List<Expr> conditions, List<Expr> nodes) {
    if (!activity.isActive(e)) {
      return;
    }
    if (e instanceof Expr.Conditional c) {
      conditions.add(c.condition());
      nodes.add(c);
      collectBranches(c.whenTrue(), conditions, nodes);
      collectBranches(c.whenFalse(), conditions, nodes);
      return;
    }
    if (e instanceof Expr.StaticCall call && call.owner() == Owner.MATH
        && MathRules.find(call.name()).filter(r -> r.kind() == MathRules.Kind.SELECTION).isPresent()) {
      for (Expr a : call.args()) {
        collectBranches(a, conditions, nodes);
      }
      conditions.add(firstWins(call));
      nodes.add(call);
      return;
    }
    for (Expr c : Exprs.children(e)) {
      collectBranches(c, conditions, nodes);
    }
  }

  private static Expr firstWins(Expr.StaticCall call) {
    return new Expr.Binary(MathRules.of(call.name()).firstWins(), call.args().get(0), call.args().get(1), Type.BOOLEAN);
  }

  /**
   * Emits into {@code out} the statements that propagate {@code seed} through {@code e}. The shares
   * of one adjoint are summed before they are added to it ({@link MergedIncrements}): their sum is
   * the partial derivative, and adding large shares that cancel one by one to an accumulated
   * adjoint loses what it held ({@code atan(u * 0.8 + (x - x))} after a long recurrence made u's
   * adjoint 1e38: {@code xBar += 1e38; xBar -= 1e38} wiped out xBar; {@code xBar += adj - adj} keeps it).
   */
  void propagate(Expr e, Expr seed, List<Stmt> out) {
    List<Stmt> own = new java.util.ArrayList<>();
    chain(e, seed, own);
    out.addAll(MergedIncrements.merge(Stmt.Block.of(own)).stmts());
  }

  private void chain(Expr e, Expr seed, List<Stmt> out) {
    if (!activity.isActive(e)) {
      return;
    }
    if (e instanceof Expr.Ref || e instanceof Expr.Index) {
      // xBar += -s is written xBar -= s (the same in floating point)
      boolean negated = seed instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG;
      out.add(new Stmt.Assign(adjointLocation.apply(e), negated ? Stmt.AssignOp.SUB : Stmt.AssignOp.ADD,
          negated ? ((Expr.Unary) seed).operand() : seed, org.rad.processor.ir.Origin.SYNTHETIC));
    } else if (e instanceof Expr.Unary u) {
      chain(u.operand(), neg(seed), out);
    } else if (e instanceof Expr.Cast c) {
      if (c.type() == Type.DOUBLE) {
        chain(c.operand(), seed, out);
      }
    } else if (e instanceof Expr.Binary b) {
      binary(b, seed, out);
    } else if (e instanceof Expr.Conditional c) {
      List<Stmt> whenTrue = new java.util.ArrayList<>();
      List<Stmt> whenFalse = new java.util.ArrayList<>();
      Expr s = shared(seed, out);
      chain(c.whenTrue(), s, whenTrue);
      chain(c.whenFalse(), s, whenFalse);
      if (whenTrue.isEmpty() && !whenFalse.isEmpty()) {
        out.add(new Stmt.If(Exprs.not(c.condition()), Stmt.Block.of(whenFalse), null,
            org.rad.processor.ir.Origin.SYNTHETIC));
      } else if (!whenTrue.isEmpty() || !whenFalse.isEmpty()) {
        out.add(new Stmt.If(c.condition(), Stmt.Block.of(whenTrue), whenFalse.isEmpty() ? null : Stmt.Block.of(whenFalse),
            org.rad.processor.ir.Origin.SYNTHETIC));
      }
    } else if (e instanceof Expr.StaticCall call && call.owner() == Owner.MATH) {
      math(call, seed, out);
    } else if (e instanceof Expr.MethodCall call) {
      fail(new CompileError(call.origin(), Message.UNSUPPORTED.format(
          "a call that carries a derivative in a loop condition or update (" + call.name() + ")",
          "compute it in a statement of its own before, and use the variable")));
    } else if (e instanceof Expr.LibraryCall call) {
      fail(new CompileError(call.origin(), Message.UNKNOWN_CALL.format(
          call.owner().substring(call.owner().lastIndexOf('.') + 1) + "." + call.name(),
          "its arguments carry a derivative, and only methods of the class being differentiated are differentiated"
              + " (not those of other classes, even in the same compile); move it into that class, write it with Math"
              + " functions, or declare its derivative with @CustomAdjoint")));
    } else {
      throw new IllegalStateException("no adjoint rule for " + e);
    }
  }

  private void binary(Expr.Binary b, Expr seed, List<Stmt> out) {
    boolean l = activity.isActive(b.left());
    boolean r = activity.isActive(b.right());
    if (b.op() == BinaryOp.MUL && l && b.left().equals(b.right())) {
      // v * v: one term, 2 v (seed * v * 2.0 rounds exactly like seed * v + seed * v)
      chain(b.left(), mul(scaled(seed, b.right()), new Expr.Literal("2.0", Type.DOUBLE)), out);
      return;
    }
    if (b.op() == BinaryOp.DIV) {
      quotient(b, seed, l, r, out);
      return;
    }
    Expr s = l && r ? shared(seed, out) : seed;
    switch (b.op()) {
      case ADD -> {
        chain(b.left(), s, out);
        chain(b.right(), s, out);
      }
      case SUB -> {
        chain(b.left(), s, out);
        chain(b.right(), neg(s), out);
      }
      case MUL -> {
        chain(b.left(), scaled(s, b.right()), out);
        chain(b.right(), scaled(s, b.left()), out);
      }
      case REM -> {
        chain(b.left(), s, out);
        chain(b.right(), scaled(s, helper("remainderDivisor", b.left(), b.right())), out);
      }
      default -> throw new IllegalStateException("no adjoint for operator " + b.op());
    }
  }

  /**
   * {@code l / r}: d/dl = 1/r, d/dr = -(l/r) / r. Unless r is a constant, 1/r is infinite where
   * r = 0, so the partials go through {@code Derivatives.times}: a value that does not reach the
   * result (adjoint 0) must not turn the gradient into NaN there. Where r carries a derivative,
   * its reciprocal is computed once and the partials multiply by it: a division costs several
   * multiplications, and a quotient's reverse took two ({@code 1.0 / r}, {@code l / r}) or, for
   * a constant numerator, two in a row. (Where 1/r overflows, d/dl is infinite already.)
   */
  private void quotient(Expr.Binary b, Expr seed, boolean l, boolean r, List<Stmt> out) {
    Expr one = new Expr.Literal("1.0", Type.DOUBLE);
    if (isConstant(b.right())) {
      chain(b.left(), div(seed, b.right()), out);
    } else if (!r) {
      chain(b.left(), times(seed, div(one, b.right())), out);
    } else {
      Expr reciprocal = shared(div(one, b.right()), out); // 1 / r, computed once
      Expr quotient = mul(b.left(), reciprocal); // l / r
      if (!l) {
        chain(b.right(), neg(times(seed, mul(quotient, reciprocal))), out);
      } else {
        Expr perDivisor = shared(times(seed, reciprocal), out); // seed / r
        chain(b.left(), perDivisor, out);
        chain(b.right(), neg(times(perDivisor, quotient)), out);
      }
    }
  }

  /** The chain rule through {@code Math.f(args)}, as {@link MathRules} states it for f. */
  private void math(Expr.StaticCall call, Expr seed, List<Stmt> out) {
    MathRules.Rule rule = MathRules.of(call.name());
    List<Expr> a = call.args();
    switch (rule.kind()) {
      case PIECEWISE_CONSTANT -> { } // derivative 0
      case SELECTION -> select(call, seed, out);
      case DIFFERENTIABLE -> {
        // a seed that reaches several arguments is computed once
        long active = a.stream().filter(activity::isActive).count();
        Expr s = active > 1 ? shared(seed, out) : seed;
        for (int i = 0; i < a.size(); i++) {
          if (activity.isActive(a.get(i))) {
            chain(a.get(i), scale(s, rule.partial(i, a), rule.partials().get(i).guard()), out);
          }
        }
      }
    }
  }

  /** max or min: the adjoint goes to the argument that is the result; ties go to the first. */
  private void select(Expr.StaticCall call, Expr seed, List<Stmt> out) {
    List<Expr> a = call.args();
    Expr s = shared(seed, out);
    List<Stmt> first = new java.util.ArrayList<>();
    List<Stmt> second = new java.util.ArrayList<>();
    chain(a.get(0), s, first);
    chain(a.get(1), s, second);
    Expr firstTaken = firstWins(call);
    if (first.isEmpty()) {
      out.add(new Stmt.If(Exprs.not(firstTaken), Stmt.Block.of(second), null, org.rad.processor.ir.Origin.SYNTHETIC));
    } else {
      out.add(new Stmt.If(firstTaken, Stmt.Block.of(first),
          second.isEmpty() ? null : Stmt.Block.of(second), org.rad.processor.ir.Origin.SYNTHETIC));
    }
  }

  /**
   * {@code seed} times {@code partial}, guarded as the rule says ({@link MathRules.Guard}). A
   * negated partial ({@code -sin(x)}) negates the product, so the update becomes {@code xBar -= ...}.
   */
  private static Expr scale(Expr seed, Expr partial, MathRules.Guard guard) {
    if (partial instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return neg(scale(seed, u.operand(), guard));
    }
    return switch (guard) {
      case NONE -> mul(seed, partial);
      case UNLESS_CONSTANT -> scaled(seed, partial);
      case ALWAYS -> times(seed, partial);
    };
  }

  /** A seed used more than once is computed once into a temporary, unless it is already simple. */
  private Expr shared(Expr seed, List<Stmt> out) {
    if (isSimple(seed)) {
      return seed;
    }
    Var t = temp.apply(Type.DOUBLE);
    out.add(new Stmt.Assign(new Expr.Ref(t), Stmt.AssignOp.SET, seed, org.rad.processor.ir.Origin.SYNTHETIC));
    return new Expr.Ref(t);
  }

  private static boolean isSimple(Expr e) {
    if (e instanceof Expr.Unary u) {
      return isSimple(u.operand());
    }
    if (e instanceof Expr.Index ix) {
      return isSimple(ix.array()) && (ix.index() instanceof Expr.Ref || ix.index() instanceof Expr.Literal);
    }
    return e instanceof Expr.Ref || e instanceof Expr.Literal;
  }

  /** Whether {@code e} reads no variable and no array: a literal or an expression of literals. */
  private static boolean isConstant(Expr e) {
    return !org.rad.processor.ir.Exprs.any(e, x -> x instanceof Expr.Ref || x instanceof Expr.Index
        || x instanceof Expr.FieldRead || x instanceof Expr.MethodCall || x instanceof Expr.LibraryCall);
  }

  static Expr neg(Expr e) {
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      return u.operand();
    }
    return new Expr.Unary(Expr.UnaryOp.NEG, e);
  }

  static Expr mul(Expr a, Expr b) {
    if (a instanceof Expr.Literal la && la.isOne()) {
      return b.type() == Type.DOUBLE ? b : new Expr.Cast(Type.DOUBLE, b);
    }
    if (b instanceof Expr.Literal lb && lb.isOne()) {
      return a;
    }
    return new Expr.Binary(BinaryOp.MUL, a, b, Type.DOUBLE);
  }

  static Expr div(Expr a, Expr b) {
    return new Expr.Binary(BinaryOp.DIV, a, b, Type.DOUBLE);
  }

  /**
   * {@code seed} times the partial {@code partial}: a plain product where either is a constant,
   * else {@code Derivatives.times}, so that an adjoint of exactly 0 gives 0 even where the partial
   * is infinite or not a number. Not only poles make partials infinite: a primal value that
   * overflows (an element grown to 1e300 in an array the result never reads, {@code exp} of a
   * value used only on a branch not taken) is a partial of the statements that read it, its
   * adjoint is 0, and a plain product would put NaN into every gradient it is added to.
   */
  private static Expr scaled(Expr seed, Expr partial) {
    // a constant seed is not 0 (ZeroAdjoints drops the terms of zero seeds): the plain product
    return isConstant(partial) || isConstant(seed) ? mul(seed, partial) : times(seed, partial);
  }

  /**
   * {@code Derivatives.times(seed, partial)}: 0 when the seed is 0, even if the partial is not
   * finite ({@link GuardOperands} makes it {@code scaled}, the same number from a test of the
   * partial, where that test is the steadier).
   */
  private static Expr times(Expr seed, Expr partial) {
    return new Expr.StaticCall(Owner.DERIVATIVES, "times", List.of(seed, partial), Type.DOUBLE);
  }

  /**
   * The partial of {@code y = f(x)} times {@code seed}, from the result {@code y}, for f with a
   * {@link MathRules.Rule#resultPartial()}.
   */
  static Expr fromResult(String f, Expr seed, Expr y) {
    MathRules.Partial p = MathRules.of(f).resultPartial();
    if (p == null) {
      throw new IllegalArgumentException("no rule from the result for " + f);
    }
    return scale(seed, p.at(List.of(y)), p.guard());
  }

  private static Expr helper(String name, Expr... args) {
    return new Expr.StaticCall(Owner.DERIVATIVES, name, List.of(args), Type.DOUBLE);
  }
}
