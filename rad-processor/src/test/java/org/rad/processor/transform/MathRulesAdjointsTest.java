package org.rad.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.analysis.Activity;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.MathRules.Rule;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * {@link Adjoints} on hand-built IR: the chain rule through {@code Math.f(x, y)} is the table's, for
 * every entry. {@code r = f(x[, y]); return r;} with x and y active, seeded with the adjoint
 * {@code rBar}: a differentiable entry adds into each argument's adjoint exactly rBar (or a shared
 * copy) times the entry's partial, guarded as the entry says; a piecewise constant adds nothing; a
 * selection adds rBar to one argument under the entry's comparison.
 */
class MathRulesAdjointsTest {
  static final Var X = new Var("x", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var Y = new Var("y", Type.DOUBLE, Var.Kind.PARAMETER);
  static final Var R = Var.local("r", Type.DOUBLE);
  static final Var R_BAR = new Var("rBar", Type.DOUBLE, Var.Kind.ADJOINT);

  static Stream<Rule> rules() {
    return MathRules.all().stream();
  }

  /** The statements that propagate rBar through {@code Math.f(x[, y])}, and the adjoint of each argument. */
  static List<Stmt> reverse(Rule r) {
    List<Var> params = r.arity() == 1 ? List.of(X) : List.of(X, Y);
    List<Expr> args = new ArrayList<>();
    params.forEach(p -> args.add(new Expr.Ref(p)));
    Expr call = new Expr.StaticCall(Expr.Owner.MATH, r.name(), args, Type.DOUBLE);
    Stmt.Block body = Stmt.Block.of(List.of(new Stmt.Declare(R, call, Origin.SYNTHETIC),
        new Stmt.Return(new Expr.Ref(R), Origin.SYNTHETIC)));
    MethodIR m = new MethodIR("f", true, params, Type.DOUBLE, body, List.of(R), params, true, Origin.SYNTHETIC, Map.of());
    Set<String> active = r.arity() == 1 ? Set.of("x") : Set.of("x", "y");
    Activity activity = Activity.of(m, R, active, AliasClasses.of(m, Map.of()), Map.of(), Set.of());
    int[] temps = {0};
    Adjoints adjoints = new Adjoints(activity, e -> new Expr.Ref(new Var(((Expr.Ref) e).var().name() + "Bar", Type.DOUBLE,
        Var.Kind.ADJOINT)), t -> new Var("t" + temps[0]++, t, Var.Kind.ADJOINT));
    List<Stmt> out = new ArrayList<>();
    adjoints.propagate(call, new Expr.Ref(R_BAR), out);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void theReverseIsTheTablesRule(Rule r) {
    List<Stmt> out = reverse(r);
    List<Expr> args = r.arity() == 1 ? List.of(new Expr.Ref(X)) : List.of(new Expr.Ref(X), new Expr.Ref(Y));
    switch (r.kind()) {
      case PIECEWISE_CONSTANT -> assertThat(out).isEmpty();
      case SELECTION -> {
        // if (x OP y) { xBar += rBar; } else { yBar += rBar; }
        Stmt.If branch = (Stmt.If) out.get(out.size() - 1);
        assertEquals(new Expr.Binary(r.firstWins(), args.get(0), args.get(1), Type.BOOLEAN), branch.condition());
        assertThat(branch.whenFalse()).isNotNull();
      }
      case DIFFERENTIABLE -> {
        List<Stmt.Assign> updates = new ArrayList<>();
        out.forEach(s -> {
          if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref ref && ref.var().name().endsWith("Bar")) {
            updates.add(a);
          }
        });
        assertEquals(r.arity(), updates.size(), out.toString());
        for (int i = 0; i < r.arity(); i++) {
          Stmt.Assign a = updates.get(i);
          assertEquals(List.of("xBar", "yBar").get(i), ((Expr.Ref) a.target()).var().name());
          Expr partial = r.partial(i, args);
          boolean negated = partial instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG;
          Expr magnitude = negated ? ((Expr.Unary) partial).operand() : partial;
          assertEquals(negated ? Stmt.AssignOp.SUB : Stmt.AssignOp.ADD, a.op(), r + ": the sign of the partial");
          Expr value = a.value();
          Expr seed = new Expr.Ref(R_BAR); // a seed read by two partials is shared, but a variable already is
          Expr expected = switch (r.partials().get(i).guard()) {
            case NONE -> new Expr.Binary(Expr.BinaryOp.MUL, seed, magnitude, Type.DOUBLE);
            // the seed and these partials are not constants: Derivatives.times
            case UNLESS_CONSTANT, ALWAYS -> Exprs.any(magnitude, e -> e instanceof Expr.Ref)
                ? new Expr.StaticCall(Expr.Owner.DERIVATIVES, "times", List.of(seed, magnitude), Type.DOUBLE)
                : new Expr.Binary(Expr.BinaryOp.MUL, seed, magnitude, Type.DOUBLE);
          };
          assertEquals(expected, value, r + ", argument " + i);
        }
      }
    }
  }
}
