package org.rad.processor.frontend;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.RandomizeSpec;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Reads a {@code @Randomize} annotation from a declaration's tree. Annotations on locals are not
 * visible through the element API during annotation processing, so the arguments are read from the
 * source: the fraction as a constant expression, the sampling as a {@code Sampling} constant, and
 * {@code sameAcross} as string literals naming enclosing loop variables.
 */
final class RandomizeReader {
  static final Set<String> SAMPLINGS = Set.of("BERNOULLI", "WITH_REPLACEMENT", "WITHOUT_REPLACEMENT", "RADEMACHER");

  private final ExpressionTranslator expressions;

  RandomizeReader(ExpressionTranslator expressions) {
    this.expressions = expressions;
  }

  static boolean isRandomize(AnnotationTree a) {
    String name = a.getAnnotationType().toString();
    return name.equals("Randomize") || name.equals("org.rad.annotations.Randomize");
  }

  private CompileError error(Tree where, String message) {
    return new CompileError(expressions.origin(where), "[RadRandomize] " + message);
  }

  /**
   * The request on {@code var}, or null if none of {@code annotations} is {@code @Randomize}.
   *
   * @param loopVariable maps a source name to the enclosing loop variable it names, or null
   */
  RandomizeSpec read(List<? extends AnnotationTree> annotations, Var var, Tree declaration,
      Function<String, Var> loopVariable) {
    AnnotationTree annotation = null;
    for (AnnotationTree a : annotations) {
      if (isRandomize(a)) {
        annotation = a;
      }
    }
    if (annotation == null) {
      return null;
    }
    if (!var.type().isDifferentiable()) {
      throw error(annotation, "@Randomize applies to double, double[], double[][] and double[][][] values, not to the "
          + var.type().source() + " " + var.name());
    }
    Double fraction = null;
    String sampling = "BERNOULLI";
    List<String> sameAcross = new ArrayList<>();
    for (ExpressionTree arg : annotation.getArguments()) {
      if (!(arg instanceof AssignmentTree assign)) {
        throw error(arg, "write the arguments of @Randomize by name, e.g. @Randomize(fraction = 0.1)");
      }
      String name = assign.getVariable().toString();
      ExpressionTree value = assign.getExpression();
      switch (name) {
        case "fraction" -> fraction = constant(value);
        case "sampling" -> {
          String text = value.toString();
          sampling = text.substring(text.lastIndexOf('.') + 1);
          if (!SAMPLINGS.contains(sampling)) {
            throw error(value, "unknown sampling " + text + "; use one of " + SAMPLINGS);
          }
        }
        case "sameAcross" -> {
          List<ExpressionTree> names = value instanceof NewArrayTree na ? List.copyOf(na.getInitializers()) : List.of(value);
          for (ExpressionTree n : names) {
            String text = n.toString();
            if (text.equals("Randomize.ROWS") || text.equals("org.rad.annotations.Randomize.ROWS")) {
              if (!var.type().isNested() && var.type() != Type.MATRIX) {
                throw error(n, "sameAcross = Randomize.ROWS applies to a double[][], a double[][][] or a DMatrixRMaj, not to the " + var.type().source() + " " + var.name());
              }
              sameAcross.add(RandomizeSpec.ROWS);
              continue;
            }
            if (!(n instanceof LiteralTree lit) || !(lit.getValue() instanceof String s)) {
              throw error(n, "sameAcross takes names of enclosing loop variables as string literals, or Randomize.ROWS");
            }
            Var loop = loopVariable.apply(s);
            if (loop == null) {
              throw error(n, "sameAcross names \"" + s + "\", which is not the variable of a for loop enclosing "
                  + var.name() + "; name the loop over the mini-batch whose iterations should share one sample");
            }
            sameAcross.add(loop.name());
          }
        }
        default -> throw error(arg, "@Randomize has no element " + name);
      }
    }
    if (fraction == null) {
      throw error(annotation, "@Randomize needs a fraction, e.g. @Randomize(fraction = 0.1)");
    }
    if (!(fraction > 0 && fraction <= 1)) {
      throw error(annotation, "the fraction must be in (0, 1], not " + fraction);
    }
    return new RandomizeSpec(var.name(), fraction, sampling, List.copyOf(sameAcross), expressions.origin(declaration));
  }

  /** The value of a constant expression of literals, constants and arithmetic. */
  private double constant(ExpressionTree tree) {
    Double v = evaluate(expressions.translate(tree));
    if (v == null) {
      throw error(tree, "the fraction must be a constant expression, not " + tree);
    }
    return v;
  }

  private static Double evaluate(Expr e) {
    if (e instanceof Expr.Literal l) {
      try {
        return Double.parseDouble(l.text().replace("L", ""));
      } catch (NumberFormatException notANumber) {
        return null;
      }
    }
    if (e instanceof Expr.Cast c && c.type() == Type.DOUBLE) {
      return evaluate(c.operand());
    }
    if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEG) {
      Double v = evaluate(u.operand());
      return v == null ? null : -v;
    }
    if (e instanceof Expr.Binary b) {
      Double l = evaluate(b.left());
      Double r = evaluate(b.right());
      if (l == null || r == null) {
        return null;
      }
      return switch (b.op()) {
        case ADD -> l + r;
        case SUB -> l - r;
        case MUL -> l * r;
        case DIV -> b.type() == Type.DOUBLE ? l / r : (double) ((long) (double) l / (long) (double) r);
        default -> null;
      };
    }
    return null;
  }
}
