package org.rad.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.CompileErrors;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.diagnostics.Reporter.TreeOrigin;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Expr.BinaryOp;
import org.rad.processor.ir.MathRules;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Translates javac expression trees into typed IR expressions. Bodies are not attributed during
 * annotation processing, so types come from declarations: parameters, locals, constants and the
 * rules of Java's numeric promotion.
 */
final class ExpressionTranslator {
  /** Math functions without a rule of their own whose value a supported expression computes. */
  private static final Map<String, String> WRITTEN_OUT = Map.of(
      "fma", "a * b + c",
      "scalb", "x * Math.pow(2, n)",
      "copySign", "(b < 0 || 1 / b < 0 ? -Math.abs(a) : Math.abs(a)) (1 / b < 0 tells b = -0.0)",
      "IEEEremainder", "a - b * Math.rint(a / b)");

  private static final Map<String, Expr.Literal> KNOWN_CONSTANTS = Map.ofEntries(
      Map.entry("Math.PI", new Expr.Literal("Math.PI", Type.DOUBLE)),
      Map.entry("Math.E", new Expr.Literal("Math.E", Type.DOUBLE)),
      Map.entry("Double.MAX_VALUE", new Expr.Literal("Double.MAX_VALUE", Type.DOUBLE)),
      Map.entry("Double.MIN_VALUE", new Expr.Literal("Double.MIN_VALUE", Type.DOUBLE)),
      Map.entry("Double.POSITIVE_INFINITY", new Expr.Literal("Double.POSITIVE_INFINITY", Type.DOUBLE)),
      Map.entry("Double.NEGATIVE_INFINITY", new Expr.Literal("Double.NEGATIVE_INFINITY", Type.DOUBLE)),
      Map.entry("Double.NaN", new Expr.Literal("Double.NaN", Type.DOUBLE)),
      Map.entry("Integer.MAX_VALUE", new Expr.Literal("Integer.MAX_VALUE", Type.INT)),
      Map.entry("Integer.MIN_VALUE", new Expr.Literal("Integer.MIN_VALUE", Type.INT)),
      Map.entry("Long.MAX_VALUE", new Expr.Literal("Long.MAX_VALUE", Type.LONG)));

  private final ClassContext clazz;
  private final CompilationUnitTree unit;
  private final MethodScope scope;
  private final Var self;
  private final Consumer<ExecutableElement> calleeFound;
  private final Library library;
  /** The EJML operations the method calls, by key: added as calls are translated. */
  private final Map<String, org.rad.processor.ir.CustomAdjointMethod> rulesUsed;

  ExpressionTranslator(ClassContext clazz, CompilationUnitTree unit, MethodScope scope, Var self,
      Consumer<ExecutableElement> calleeFound, Library library, Map<String, org.rad.processor.ir.CustomAdjointMethod> rulesUsed) {
    this.rulesUsed = rulesUsed;
    this.clazz = clazz;
    this.unit = unit;
    this.scope = scope;
    this.self = self;
    this.calleeFound = calleeFound;
    this.library = library;
  }

  Origin origin(Tree tree) {
    return new TreeOrigin(tree, unit);
  }

  CompileError unsupported(Tree tree, String what, String instead) {
    return new CompileError(origin(tree), Message.UNSUPPORTED.format(what, instead));
  }

  Expr translate(ExpressionTree tree) {
    switch (tree.getKind()) {
      case PARENTHESIZED:
        return translate(((ParenthesizedTree) tree).getExpression());
      case INT_LITERAL:
        return Expr.Literal.ofInt((Integer) ((LiteralTree) tree).getValue());
      case LONG_LITERAL:
        return new Expr.Literal(((LiteralTree) tree).getValue() + "L", Type.LONG);
      case DOUBLE_LITERAL:
        return Expr.Literal.ofDouble((Double) ((LiteralTree) tree).getValue());
      case BOOLEAN_LITERAL:
        return new Expr.Literal(String.valueOf(((LiteralTree) tree).getValue()), Type.BOOLEAN);
      case FLOAT_LITERAL:
        throw unsupported(tree, "the float literal " + tree, "write a double literal (drop the f suffix)");
      case NULL_LITERAL:
        throw unsupported(tree, "null", "allocate the array (new double[n]) instead");
      case IDENTIFIER:
        return identifier((IdentifierTree) tree);
      case MEMBER_SELECT:
        return memberSelect((MemberSelectTree) tree);
      case ARRAY_ACCESS: {
        ArrayAccessTree a = (ArrayAccessTree) tree;
        Expr data = matrixData(a.getExpression());
        if (data != null) {
          return new Expr.Index(data, integral(a.getIndex())); // m.data[k]: element k of the matrix
        }
        Expr array = translate(a.getExpression());
        if (!array.type().isArray()) {
          throw new CompileError(origin(tree), Message.UNTYPED.format(tree, "it indexes something that is not an array"));
        }
        return new Expr.Index(array, integral(a.getIndex()));
      }
      case UNARY_MINUS:
        return new Expr.Unary(Expr.UnaryOp.NEG, numeric(((UnaryTree) tree).getExpression()));
      case UNARY_PLUS:
        return numeric(((UnaryTree) tree).getExpression());
      case LOGICAL_COMPLEMENT:
        return new Expr.Unary(Expr.UnaryOp.NOT, bool(((UnaryTree) tree).getExpression()));
      case PREFIX_INCREMENT:
      case PREFIX_DECREMENT:
      case POSTFIX_INCREMENT:
      case POSTFIX_DECREMENT:
        throw unsupported(tree, "++ or -- inside an expression (" + tree + ")", "write it as a statement of its own"
            + " (in a loop condition, step in the body: while (n > 0) { n--; ... } for while (n-- > 0) ...)");
      case PLUS:
      case MINUS:
      case MULTIPLY:
      case DIVIDE:
      case REMAINDER:
        return arithmetic((BinaryTree) tree);
      case LESS_THAN:
      case LESS_THAN_EQUAL:
      case GREATER_THAN:
      case GREATER_THAN_EQUAL:
      case EQUAL_TO:
      case NOT_EQUAL_TO:
        return comparison((BinaryTree) tree);
      case CONDITIONAL_AND:
      case CONDITIONAL_OR: {
        BinaryTree b = (BinaryTree) tree;
        BinaryOp op = tree.getKind() == Tree.Kind.CONDITIONAL_AND ? BinaryOp.AND : BinaryOp.OR;
        List<Expr> operands = each(List.of(b.getLeftOperand(), b.getRightOperand()), this::bool);
        return new Expr.Binary(op, operands.get(0), operands.get(1), Type.BOOLEAN);
      }
      case CONDITIONAL_EXPRESSION:
        return conditional((ConditionalExpressionTree) tree);
      case TYPE_CAST:
        return cast((TypeCastTree) tree);
      case METHOD_INVOCATION:
        return invocation((MethodInvocationTree) tree);
      case NEW_ARRAY:
        return newArray((NewArrayTree) tree);
      case ASSIGNMENT:
      case PLUS_ASSIGNMENT:
      case MINUS_ASSIGNMENT:
      case MULTIPLY_ASSIGNMENT:
      case DIVIDE_ASSIGNMENT:
        throw unsupported(tree, "an assignment inside an expression (" + tree + ")", "write the assignment as a statement of its own");
      case LAMBDA_EXPRESSION:
      case MEMBER_REFERENCE:
        throw unsupported(tree, "a lambda or method reference", "write the computation as a loop or a method of this class");
      case NEW_CLASS: {
        Expr matrix = newMatrix((com.sun.source.tree.NewClassTree) tree);
        if (matrix != null) {
          return matrix;
        }
        throw unsupported(tree, "creating an object (" + tree + ")", "pass numbers and arrays of doubles; objects are not differentiated");
      }
      case AND:
      case OR:
      case XOR:
        return bitwise((BinaryTree) tree);
      case LEFT_SHIFT:
      case RIGHT_SHIFT:
      case UNSIGNED_RIGHT_SHIFT:
        return shift((BinaryTree) tree);
      case BITWISE_COMPLEMENT: {
        Expr x = translate(((com.sun.source.tree.UnaryTree) tree).getExpression());
        if (!x.type().isIntegral()) {
          throw unsupported(tree, "~ of a " + x.type().source(), "use ~ on ints and longs");
        }
        return new Expr.Unary(Expr.UnaryOp.BIT_NOT, x);
      }
      case STRING_LITERAL:
      case CHAR_LITERAL:
        throw unsupported(tree, "the literal " + tree, "only numbers and booleans are supported");
      case INSTANCE_OF:
        throw unsupported(tree, "instanceof", "only numbers and arrays of doubles are supported");
      default:
        if (tree instanceof com.sun.source.tree.SwitchExpressionTree s) {
          return switchExpression(s);
        }
        throw unsupported(tree, "the expression " + tree, "rewrite it with arithmetic, Math functions and array accesses");
    }
  }

  Expr numeric(ExpressionTree tree) {
    Expr e = translate(tree);
    if (!e.type().isNumeric()) {
      throw new CompileError(origin(tree), Message.UNTYPED.format(tree, "a number was expected but it is " + e.type().source()));
    }
    return e;
  }

  Expr integral(ExpressionTree tree) {
    Expr e = translate(tree);
    if (!e.type().isIntegral()) {
      throw new CompileError(origin(tree), Message.UNTYPED.format(tree, "an int index was expected but it is " + e.type().source()));
    }
    return e;
  }

  Expr bool(ExpressionTree tree) {
    Expr e = translate(tree);
    if (e.type() != Type.BOOLEAN) {
      throw new CompileError(origin(tree), Message.UNTYPED.format(tree, "a boolean was expected but it is " + e.type().source()));
    }
    return e;
  }

  /** {@code e} converted to {@code target} the way Java's assignment conversion does. */
  Expr coerce(Expr e, Type target, Tree where) {
    if (e.type() == target) {
      return e;
    }
    if (target == Type.DOUBLE && e.type().isIntegral()) {
      if (e instanceof Expr.Literal lit && lit.type() == Type.INT) {
        return new Expr.Literal(lit.text() + ".0", Type.DOUBLE);
      }
      return new Expr.Cast(Type.DOUBLE, e);
    }
    if (target == Type.LONG && e.type() == Type.INT) {
      return new Expr.Cast(Type.LONG, e);
    }
    throw new CompileError(origin(where),
        Message.UNTYPED.format(where, "a " + e.type().source() + " cannot be assigned to a " + target.source()));
  }

  private Expr identifier(IdentifierTree tree) {
    String name = tree.getName().toString();
    Var v = scope.lookup(name);
    if (MethodScope.isBroken(v)) {
      throw CompileError.followOn(origin(tree), "the declaration of " + name + " was rejected");
    }
    if (scope.isKept(v)) {
      throw unsupported(tree, "using the object " + name + " in a computation",
          "a local of an object type (String, StringBuilder, ...) may only be used by statements that print or build strings,"
              + " which are kept as they are; compute numbers from numbers");
    }
    if (v != null) {
      return new Expr.Ref(v);
    }
    VariableElement field = clazz.field(name);
    if (field != null) {
      return fieldRead(field, tree);
    }
    VariableElement outer = clazz.outerField(name);
    if (outer != null) {
      // an interface constant, or a field of a class this one is nested in
      return otherClassField(outer, tree);
    }
    TypeElement imported = library.staticallyImported(name, false);
    if (imported != null) {
      // a constant a static import brings in: PI after import static java.lang.Math.*
      String qualified = imported.getQualifiedName().toString();
      Expr.Literal known = KNOWN_CONSTANTS.get(qualified.replace("java.lang.StrictMath", "Math").replace("java.lang.", "") + "." + name);
      if (known != null) {
        return known;
      }
      Object constant = Library.constant(imported, name);
      if (constant != null) {
        return constantLiteral(constant, tree);
      }
    }
    throw new CompileError(origin(tree), Message.UNTYPED.format(name, "it is neither a local, a parameter nor a field of "
        + clazz.simpleName() + (name.equals("this") || Character.isUpperCase(name.charAt(0))
            ? "; a differentiated method computes with numbers, arrays of them and constants, not with objects or enum"
                + " constants: select the case by an int or boolean (a field or a parameter) instead" : "")));
  }

  /** The read of {@code field} (a constant's literal, or a field read the generated code can do). */
  Expr fieldRead(VariableElement field, Tree tree) {
    Type type = ClassContext.irType(field.asType());
    Object constant = field.getConstantValue();
    if (constant != null) {
      return constantLiteral(constant, tree);
    }
    if (type == null) {
      throw unsupported(tree, "the field " + field.getSimpleName() + " of type " + field.asType(),
          "only fields of type double, int, long, boolean, double[], double[][], double[][][] and int[] can be read");
    }
    boolean isStatic = field.getModifiers().contains(Modifier.STATIC);
    // a private field, or a protected one of a superclass in another package: the generated class
    // reads it through a VarHandle (see GradClassWriter)
    boolean viaHandle = !clazz.directlyAccessible(field);
    if (isStatic) {
      return new Expr.FieldRead(clazz.simpleName(), field.getSimpleName().toString(), type, true, viaHandle);
    }
    if (self == null) {
      throw new CompileError(origin(tree), Message.UNTYPED.format(field.getSimpleName(), "an instance field read from a static method"));
    }
    return new Expr.FieldRead(self.name(), field.getSimpleName().toString(), type, false, viaHandle);
  }

  /**
   * The read of a field of another class: a constant's literal, or a static field the generated
   * class can name ({@code demo.Outer.LOG_2PI}, a value computed once at class initialization).
   */
  private Expr otherClassField(VariableElement field, Tree tree) {
    Object constant = field.getConstantValue();
    if (constant != null) {
      return constantLiteral(constant, tree);
    }
    TypeElement owner = (TypeElement) field.getEnclosingElement();
    Type type = ClassContext.irType(field.asType());
    if (!field.getModifiers().contains(Modifier.STATIC)) {
      throw unsupported(tree, "the instance field " + field.getSimpleName() + " of " + owner.getSimpleName(),
          "read fields of " + clazz.simpleName() + ", static fields and constants of other classes, or pass the value as"
              + " a parameter");
    }
    if (type == null || type == Type.VOID) {
      throw unsupported(tree, "the field " + field.getSimpleName() + " of type " + field.asType(),
          "only fields of type double, int, long, boolean, double[], double[][], double[][][] and int[] can be read");
    }
    if (!clazz.directlyAccessible(field)) {
      throw unsupported(tree, "the private field " + owner.getSimpleName() + "." + field.getSimpleName() + " of another class",
          "the generated class, a top-level class of the package, cannot read it: make it package-private, or pass the"
              + " value as a parameter");
    }
    return new Expr.FieldRead(owner.getQualifiedName().toString(), field.getSimpleName().toString(), type, true, false);
  }

  private Expr constantLiteral(Object constant, Tree tree) {
    if (constant instanceof Double d) {
      return Expr.Literal.ofDouble(d);
    }
    if (constant instanceof Integer i) {
      return Expr.Literal.ofInt(i);
    }
    if (constant instanceof Long l) {
      return new Expr.Literal(l + "L", Type.LONG);
    }
    if (constant instanceof Boolean b) {
      return new Expr.Literal(b.toString(), Type.BOOLEAN);
    }
    throw unsupported(tree, "the constant " + tree + " of type " + constant.getClass().getSimpleName(),
        "use a double, int, long or boolean constant");
  }

  private Expr memberSelect(MemberSelectTree tree) {
    String member = tree.getIdentifier().toString();
    ExpressionTree target = tree.getExpression();
    if (target instanceof IdentifierTree id && MethodScope.isBroken(scope.lookup(id.getName().toString()))) {
      // a.x of an object local whose declaration was already reported
      throw CompileError.followOn(origin(tree), "the declaration of " + id.getName() + " was rejected");
    }
    String text = target + "." + member;
    Expr.Literal known = KNOWN_CONSTANTS.get(text.startsWith("java.lang.") ? text.substring(10) : text);
    if (known != null) {
      return known;
    }
    if (matrixData(tree) != null) {
      throw unsupported(tree, "the array " + tree + " of a matrix on its own",
          "index it directly (" + tree + "[k]) or use get(i, j) and set(i, j, v)");
    }
    if (member.equals("numRows") || member.equals("numCols")) {
      Expr m = translate(target);
      if (m.type() == Type.MATRIX) {
        return new Expr.Dim(m, member);
      }
    }
    if (member.equals("length")) {
      Expr array = translate(target);
      if (!array.type().isArray()) {
        throw new CompileError(origin(tree), Message.UNTYPED.format(tree, "length of something that is not an array"));
      }
      return new Expr.Length(array);
    }
    if (target instanceof IdentifierTree id && id.getName().contentEquals("this")) {
      VariableElement field = clazz.field(member);
      if (field != null) {
        return fieldRead(field, tree);
      }
    }
    if (target instanceof IdentifierTree id && id.getName().contentEquals(clazz.simpleName())) {
      VariableElement field = clazz.field(member);
      if (field != null) {
        return fieldRead(field, tree);
      }
    }
    TypeElement named = nestedType(target);
    if (named != null) {
      // Outer.SCALE in a class nested in Outer, Hyper.BETA of a nested class, P.Q.G deeper down
      VariableElement field = ClassContext.inheritedField(named, member);
      if (field != null) {
        return otherClassField(field, tree);
      }
    }
    TypeElement other = library.type(target.toString());
    if (other != null) {
      Object constant = Library.constant(other, member);
      if (constant != null) {
        return constantLiteral(constant, tree);
      }
    }
    throw unsupported(tree, "the member access " + tree,
        "read locals, parameters, fields of " + clazz.simpleName() + ", fields of the classes nested in it or around"
            + " it, and compile-time constants (static final fields with a constant value)");
  }

  /**
   * The class that {@code target} names where it is one of this class's nest, written as Java
   * allows: {@code P}, {@code Outer.P}, {@code P.Q} (a class nested in one nested here), else null.
   */
  private TypeElement nestedType(ExpressionTree target) {
    if (target instanceof IdentifierTree id) {
      return scope.lookup(id.getName().toString()) == null ? clazz.typeNamed(id.getName().toString()) : null;
    }
    if (target instanceof MemberSelectTree ms) {
      TypeElement outer = nestedType(ms.getExpression());
      if (outer != null) {
        for (javax.lang.model.element.Element e : outer.getEnclosedElements()) {
          if (e instanceof TypeElement member && e.getSimpleName().contentEquals(ms.getIdentifier())) {
            return member;
          }
        }
      }
    }
    return null;
  }

  /**
   * Translates each of {@code trees} with {@code translate}, going on after one that is rejected,
   * so that an expression with two rejected parts ({@code Math.copySign(x, y) + Math.fma(x, y, 1)})
   * reports both in one compile; throws the errors, if any, when all are done.
   */
  private List<Expr> each(List<? extends ExpressionTree> trees, java.util.function.Function<ExpressionTree, Expr> translate) {
    org.rad.processor.diagnostics.CompileErrors.Collector errors = new org.rad.processor.diagnostics.CompileErrors.Collector();
    List<Expr> out = new ArrayList<>();
    RuntimeException first = null;
    for (ExpressionTree t : trees) {
      try {
        out.add(translate.apply(t));
      } catch (CompileError | org.rad.processor.diagnostics.CompileErrors e) {
        first = first == null ? e : first;
        errors.attempt(() -> {
          throw e;
        });
      }
    }
    errors.throwIfAny();
    if (first != null) {
      throw first; // only errors that follow from one reported already (the collector keeps none)
    }
    return out;
  }

  private Expr arithmetic(BinaryTree tree) {
    List<Expr> operands = each(List.of(tree.getLeftOperand(), tree.getRightOperand()), this::numeric);
    Expr l = operands.get(0);
    Expr r = operands.get(1);
    BinaryOp op = switch (tree.getKind()) {
      case PLUS -> BinaryOp.ADD;
      case MINUS -> BinaryOp.SUB;
      case MULTIPLY -> BinaryOp.MUL;
      case DIVIDE -> BinaryOp.DIV;
      default -> BinaryOp.REM;
    };
    return new Expr.Binary(op, l, r, Type.promote(l.type(), r.type()));
  }

  /**
   * {@code &}, {@code |}, {@code ^}: bitwise on ints and longs (which carry no derivative), or on
   * two booleans, where both operands are evaluated.
   */
  private Expr bitwise(BinaryTree tree) {
    BinaryOp op = switch (tree.getKind()) {
      case AND -> BinaryOp.BIT_AND;
      case OR -> BinaryOp.BIT_OR;
      default -> BinaryOp.BIT_XOR;
    };
    List<Expr> operands = each(List.of(tree.getLeftOperand(), tree.getRightOperand()), this::translate);
    Expr l = operands.get(0);
    Expr r = operands.get(1);
    if (l.type() == Type.BOOLEAN && r.type() == Type.BOOLEAN) {
      return new Expr.Binary(op, l, r, Type.BOOLEAN);
    }
    if (!l.type().isIntegral() || !r.type().isIntegral()) {
      throw unsupported(tree, "the bitwise operator in " + tree + " on a " + (l.type().isIntegral() ? r : l).type().source(),
          "use &, | and ^ on ints, longs or booleans");
    }
    return new Expr.Binary(op, l, r, Type.promote(l.type(), r.type()));
  }

  /** {@code <<}, {@code >>}, {@code >>>} of an int or long: the type of the left operand. */
  private Expr shift(BinaryTree tree) {
    BinaryOp op = switch (tree.getKind()) {
      case LEFT_SHIFT -> BinaryOp.SHL;
      case RIGHT_SHIFT -> BinaryOp.SHR;
      default -> BinaryOp.USHR;
    };
    List<Expr> operands = each(List.of(tree.getLeftOperand(), tree.getRightOperand()), this::translate);
    Expr l = operands.get(0);
    Expr r = operands.get(1);
    if (!l.type().isIntegral() || !r.type().isIntegral()) {
      throw unsupported(tree, "the shift " + tree + " of a " + (l.type().isIntegral() ? r : l).type().source(),
          "shift ints and longs by an int");
    }
    return new Expr.Binary(op, l, r, l.type());
  }

  private Expr comparison(BinaryTree tree) {
    BinaryOp op = switch (tree.getKind()) {
      case LESS_THAN -> BinaryOp.LT;
      case LESS_THAN_EQUAL -> BinaryOp.LE;
      case GREATER_THAN -> BinaryOp.GT;
      case GREATER_THAN_EQUAL -> BinaryOp.GE;
      case EQUAL_TO -> BinaryOp.EQ;
      default -> BinaryOp.NE;
    };
    List<Expr> operands = each(List.of(tree.getLeftOperand(), tree.getRightOperand()), this::translate);
    Expr l = operands.get(0);
    Expr r = operands.get(1);
    boolean numeric = l.type().isNumeric() && r.type().isNumeric();
    boolean booleans = l.type() == Type.BOOLEAN && r.type() == Type.BOOLEAN && (op == BinaryOp.EQ || op == BinaryOp.NE);
    if (!numeric && !booleans) {
      throw unsupported(tree, "the comparison " + tree, l.type().isArray() && r.type().isArray()
          ? "compare the indices the arrays were taken at (for double[] rr = m[r] and double[] rp = m[p]: r == p),"
              + " or keep a boolean that says which array a variable holds; array references cannot be compared"
          : "compare numbers (array references cannot be compared)");
    }
    return new Expr.Binary(op, l, r, Type.BOOLEAN);
  }

  private Expr conditional(ConditionalExpressionTree tree) {
    Expr c = bool(tree.getCondition());
    Expr t = translate(tree.getTrueExpression());
    Expr f = translate(tree.getFalseExpression());
    Type type = branchType(t.type(), f.type(), tree);
    return new Expr.Conditional(c, coerce(t, type, tree), coerce(f, type, tree), type);
  }

  /** The type of a {@code ?:} whose branches have types {@code a} and {@code b}: the same, or promoted numbers. */
  private Type branchType(Type a, Type b, Tree tree) {
    if (a == b) {
      return a;
    }
    if (a.isNumeric() && b.isNumeric()) {
      return Type.promote(a, b);
    }
    throw new CompileError(origin(tree), Message.UNTYPED.format(tree, "its branches have different types"));
  }

  /**
   * A switch expression on an int whose cases are one expression each ({@code case 1 -> a * x;}),
   * as the chain of {@code ?:} it is: the labels tested in order, the default's value last. Its
   * selector is evaluated once per label, so it may not call a method (assign it to a local
   * first).
   */
  private Expr switchExpression(com.sun.source.tree.SwitchExpressionTree tree) {
    Expr selector = translate(tree.getExpression());
    if (selector.type() != Type.INT) {
      throw unsupported(tree.getExpression(), "a switch on a " + selector.type().source(), "switch on an int, or write a chain of ?:");
    }
    if (!SwitchCases.pure(selector)) {
      throw unsupported(tree.getExpression(), "a switch expression whose selector calls a method (" + tree.getExpression() + ")",
          "assign the selector to a local first: int k = " + tree.getExpression() + "; then switch (k)");
    }
    List<Expr> tests = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    Expr otherwise = null;
    List<Expr> shared = new ArrayList<>();
    for (com.sun.source.tree.CaseTree c : tree.getCases()) {
      for (ExpressionTree label : c.getExpressions()) {
        shared.add(caseLabel(label));
      }
      ExpressionTree body = caseValue(c);
      if (body == null) {
        continue; // case 1: case 2: yield ...; shares the next case's value
      }
      Expr value = translate(body);
      if (c.getExpressions().isEmpty()) {
        otherwise = value;
      } else {
        tests.add(SwitchCases.matches(selector, shared));
        values.add(value);
      }
      shared = new ArrayList<>();
    }
    if (otherwise == null) {
      throw unsupported(tree, "a switch expression without a default", "add default -> ...;");
    }
    Type type = otherwise.type();
    for (Expr v : values) {
      type = branchType(type, v.type(), tree);
    }
    Expr result = coerce(otherwise, type, tree);
    for (int k = tests.size() - 1; k >= 0; k--) {
      result = new Expr.Conditional(tests.get(k), coerce(values.get(k), type, tree), result, type);
    }
    return result;
  }

  /**
   * The value of a switch expression's case: a rule's expression ({@code case 1 -> a * x;}) or a
   * classic case's one {@code yield} ({@code case 1: yield a * x;}); null for a classic case with
   * no statements (it shares the next one's).
   */
  private ExpressionTree caseValue(com.sun.source.tree.CaseTree c) {
    if (c.getCaseKind() == com.sun.source.tree.CaseTree.CaseKind.RULE && c.getBody() instanceof ExpressionTree e) {
      return e;
    }
    if (c.getCaseKind() == com.sun.source.tree.CaseTree.CaseKind.STATEMENT) {
      List<? extends com.sun.source.tree.StatementTree> stmts = c.getStatements();
      if (stmts.isEmpty()) {
        return null;
      }
      if (stmts.size() == 1 && stmts.get(0) instanceof com.sun.source.tree.YieldTree y) {
        return y.getValue();
      }
    }
    Tree body = c.getCaseKind() == com.sun.source.tree.CaseTree.CaseKind.RULE ? c.getBody()
        : c.getStatements().isEmpty() ? c : c.getStatements().get(0);
    if (body instanceof com.sun.source.tree.ThrowTree) {
      throw unsupported(body, "throw in a case of a switch expression",
          "validate the arguments before calling the differentiable method, and give every case a value");
    }
    throw unsupported(c, "a case of a switch expression that is not one expression",
        "give each case one expression (case 1 -> a * x;), or write the switch as a statement that assigns a local");
  }

  /** A case label: an int constant (a char literal is refused with its code). */
  Expr caseLabel(ExpressionTree label) {
    if (label instanceof com.sun.source.tree.LiteralTree lit && lit.getValue() instanceof Character ch) {
      throw unsupported(label, "the char label " + label, "label the case with the char's code, case " + (int) ch + ":");
    }
    Expr l = translate(label);
    if (l.type() != Type.INT) {
      throw unsupported(label, "the case label " + label, "label cases with int constants");
    }
    return l;
  }

  private Expr cast(TypeCastTree tree) {
    Type to = TypeTrees.typeOf(tree.getType());
    Expr e = translate(tree.getExpression());
    if (to == null || !to.isNumeric() || !e.type().isNumeric()) {
      throw unsupported(tree, "the cast " + tree, "only casts between int, long and double are supported");
    }
    return to == e.type() ? e : new Expr.Cast(to, e);
  }

  private Expr newArray(NewArrayTree tree) {
    Type type = tree.getType() == null ? null : TypeTrees.arrayOf(TypeTrees.typeOf(tree.getType()), tree.getDimensions().size());
    if (tree.getInitializers() != null) {
      if (tree.getDimensions().isEmpty() && tree.getType() != null) {
        type = TypeTrees.arrayOf(TypeTrees.typeOf(tree.getType()), 1);
      }
      if (type != Type.DOUBLE_ARRAY && type != Type.INT_ARRAY) {
        throw unsupported(tree, "the array initializer " + tree, "initialize a double[] or int[] this way, or allocate and fill it in a loop");
      }
      List<Expr> elements = new ArrayList<>();
      for (ExpressionTree e : tree.getInitializers()) {
        elements.add(coerce(translate(e), type.element(), e));
      }
      return new Expr.ArrayLiteral(type, elements);
    }
    if (type == null) {
      throw unsupported(tree, "the array creation " + tree, "allocate double[], double[][], double[][][] or int[] arrays");
    }
    List<Expr> dims = new ArrayList<>();
    for (ExpressionTree d : tree.getDimensions()) {
      dims.add(integral(d));
    }
    return new Expr.NewArray(type, dims);
  }

  private Expr invocation(MethodInvocationTree tree) {
    ExpressionTree select = tree.getMethodSelect();
    List<Expr> args = new ArrayList<>(each(tree.getArguments(), this::translate));
    if (select instanceof MemberSelectTree ms) {
      if (ms.getExpression() instanceof IdentifierTree id) {
        Var v = scope.lookup(id.getName().toString());
        if (scope.isKept(v) || MethodScope.isBroken(v)) {
          // s.length() of a String s: kept locals serve printing only; a rejected local: said already
          translate(id);
        }
      }
      String owner = ms.getExpression().toString();
      String name = ms.getIdentifier().toString();
      if (isJavaLangMath(owner)) {
        return math(tree, name, args);
      }
      if (EjmlRules.isOpsClass(owner)) {
        return matrixOperation(tree, name, args);
      }
      Var receiver = ms.getExpression() instanceof IdentifierTree id ? scope.lookup(id.getName().toString()) : null;
      if (receiver != null && receiver.type() == Type.MATRIX) {
        return matrixMethod(tree, new Expr.Ref(receiver), name, args);
      }
      if (!(ms.getExpression() instanceof IdentifierTree) && (name.equals("get") || name.equals("unsafe_get"))) {
        // (flip ? a : b).get(0, 0), a.copy().get(0, 1), twice(a).get(i, j): an element of a
        // matrix that no variable holds (the call lifter puts the matrix into a local first)
        Expr matrix = matrixOrNull(ms.getExpression());
        if (matrix != null) {
          return matrixMethod(tree, matrix, name, args);
        }
      }
      if (name.equals("clone") && args.isEmpty()) {
        Expr array = translate(ms.getExpression());
        if (array.type().isNested()) {
          throw unsupported(tree, "clone() of a " + array.type().source()
                  + " (in Java it copies only the references to its " + (array.type().rank() == 2 ? "rows" : "slices") + ", so both share them)",
              array.type().rank() == 2 ? "allocate a new double[n][m] and copy it element by element (m2[i][j] = m[i][j])"
                  : "allocate a new " + array.type().source() + " of the same shape and copy it element by element");
        }
        if (!array.type().isArray()) {
          throw unsupported(tree, "clone() of " + array.type().source(), "clone arrays only");
        }
        return new Expr.Clone(array);
      }
      if (owner.equals("this") || owner.equals(clazz.simpleName())) {
        return sameClassCall(tree, name, args, owner.equals("this"));
      }
      TypeElement other = owner.contains(".") ? library.type(owner) : memberClass(owner);
      if (other == null) {
        other = library.type(owner);
      }
      if (other != null && !other.equals(clazz.type())) {
        return libraryCall(tree, other, name, args);
      }
      rejectLambdas(ms.getExpression());
      if (isName(ms.getExpression()) && (ms.getExpression() instanceof MemberSelectTree
          || Character.isUpperCase(owner.charAt(0)) && scope.lookup(owner) == null && clazz.field(owner) == null)) {
        // Acts.gelu(x) where no class Acts is visible: a misspelt name or a missing import, which
        // javac reports only after rad's errors are fixed
        throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree, owner.contains(".")
            ? "no class " + owner + " is on the class path rad compiles with: check the name's spelling and that its"
                + " library is on the compile class path"
            : "no class " + owner + " is visible to rad here: check the name's spelling and its import (or write its"
                + " full name, pkg." + owner + ")"));
      }
      throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree,
          "only Math functions, methods of " + clazz.simpleName() + " and static methods of other classes that take and return numbers can be called;"
              + " move the computation into a method of " + clazz.simpleName() + " so it can be differentiated"));
    }
    String name = ((IdentifierTree) select).getName().toString();
    TypeElement imported = clazz.declaresMethod(name) ? null : library.staticallyImported(name, true);
    if (imported != null) {
      return staticallyImportedCall(tree, imported, name, args);
    }
    return sameClassCall(tree, name, args, false);
  }

  /**
   * The member class a simple name names inside the class ({@code Vec} of {@code Vec.dot(x, x)}
   * with {@code static class Vec} declared in it or in a class around it), which shadows a class
   * of the same name elsewhere; null if none.
   */
  private TypeElement memberClass(String name) {
    for (javax.lang.model.element.Element e = clazz.type(); e instanceof TypeElement t; e = t.getEnclosingElement()) {
      for (javax.lang.model.element.Element member : t.getEnclosedElements()) {
        if (member instanceof TypeElement m && m.getSimpleName().contentEquals(name)) {
          return m;
        }
      }
    }
    return null;
  }

  /**
   * An unqualified call of a method a static import brings in ({@code exp(x)} after
   * {@code import static java.lang.Math.*}): the same as the qualified call.
   */
  private Expr staticallyImportedCall(MethodInvocationTree tree, TypeElement owner, String name, List<Expr> args) {
    String qualified = owner.getQualifiedName().toString();
    if (qualified.equals("java.lang.Math") || qualified.equals("java.lang.StrictMath")) {
      return math(tree, name, args);
    }
    if (EjmlRules.isOpsClass(qualified)) {
      return matrixOperation(tree, name, args);
    }
    if (owner.equals(clazz.type())) {
      return sameClassCall(tree, name, args, false);
    }
    return libraryCall(tree, owner, name, args);
  }

  // ---- EJML matrices ----------------------------------------------------------------------------

  /** The matrix whose {@code data} array {@code tree} reads ({@code m.data}), or null. */
  private Expr matrixData(ExpressionTree tree) {
    if (tree instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("data")
        && ms.getExpression() instanceof IdentifierTree id) {
      Var v = scope.lookup(id.getName().toString());
      if (v != null && v.type() == Type.MATRIX) {
        return new Expr.Ref(v);
      }
    }
    return null;
  }

  /** {@code new DMatrixRMaj(rows, cols)}, or null for another class. */
  private Expr newMatrix(com.sun.source.tree.NewClassTree tree) {
    Type t = TypeTrees.typeOf(tree.getIdentifier());
    if (t != Type.MATRIX) {
      return null;
    }
    if (tree.getArguments().size() != 2 || tree.getClassBody() != null) {
      throw unsupported(tree, "this DMatrixRMaj constructor (" + tree + ")", "allocate a matrix of zeros with new DMatrixRMaj(rows, cols)");
    }
    return new Expr.NewArray(Type.MATRIX, List.of(integral(tree.getArguments().get(0)), integral(tree.getArguments().get(1))));
  }

  /** A call of {@code CommonOps_DDRM.name}: an operation of the rule table. */
  private Expr matrixOperation(MethodInvocationTree tree, String name, List<Expr> args) {
    List<Type> types = new ArrayList<>();
    List<Expr> coerced = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Expr a = args.get(i);
      Type t = a.type() == Type.MATRIX ? Type.MATRIX : a.type().isNumeric() ? Type.DOUBLE : a.type();
      types.add(t);
      coerced.add(t == Type.DOUBLE ? coerce(a, Type.DOUBLE, tree.getArguments().get(i)) : a);
    }
    org.rad.processor.ir.CustomAdjointMethod rule = EjmlRules.find(name, types);
    if (rule == null) {
      throw unsupported(tree, "CommonOps_DDRM." + name + " with these arguments, which has no adjoint rule",
          "use one of the operations with adjoint rules: " + EjmlRules.supported()
              + "; or write the computation as loops over get(i, j) and set(i, j, v)");
    }
    for (int w : rule.written()) {
      Expr out = coerced.get(w);
      if (!(out instanceof Expr.Ref)) {
        throw unsupported(tree.getArguments().get(w), "writing the result of CommonOps_DDRM." + name + " into " + tree.getArguments().get(w),
            "allocate the result in a local first: DMatrixRMaj c = new DMatrixRMaj(rows, cols);");
      }
      for (int d : rule.distinct()) {
        if (coerced.get(d).equals(out)) {
          throw unsupported(tree, "CommonOps_DDRM." + name + " writing into its own input " + tree.getArguments().get(w),
              "write the result into a new DMatrixRMaj, so the input keeps the value the gradient needs");
        }
      }
    }
    String key = EjmlRules.key(name, types);
    rulesUsed.put(key, rule);
    return new Expr.MethodCall(rule.helperName(), key, null, coerced, rule.returnType(), origin(tree));
  }

  /**
   * Whether {@code owner} names java.lang.Math (or StrictMath) here: not where a class of the
   * user's (nested in the class, or in its package, or imported) takes the name {@code Math}, as in
   * Java, whose call then is a call of that class's method.
   */
  private boolean isJavaLangMath(String owner) {
    if (owner.equals("java.lang.Math") || owner.equals("java.lang.StrictMath")) {
      return true;
    }
    if (!owner.equals("Math") && !owner.equals("StrictMath")) {
      return false;
    }
    if (clazz.hasMemberType(owner)) {
      return false;
    }
    TypeElement t = library.type(owner);
    return t == null || t.getQualifiedName().contentEquals("java.lang." + owner);
  }

  /** {@code e} translated where it is a DMatrixRMaj expression, else null (and nothing reported). */
  private Expr matrixOrNull(ExpressionTree e) {
    try {
      Expr m = translate(e);
      return m.type() == Type.MATRIX ? m : null;
    } catch (CompileError | CompileErrors err) {
      return null;
    }
  }

  /** {@code m.get(i, j)}, {@code m.getNumRows()}, {@code m.copy()}, ...: methods of a matrix that read it. */
  private Expr matrixMethod(MethodInvocationTree tree, Expr m, String name, List<Expr> args) {
    if ((name.equals("get") || name.equals("unsafe_get")) && (args.size() == 1 || args.size() == 2)) {
      return new Expr.Index(m, elementIndex(m, args, tree));
    }
    if (args.isEmpty()) {
      switch (name) {
        case "getNumRows":
          return new Expr.Dim(m, "numRows");
        case "getNumCols":
          return new Expr.Dim(m, "numCols");
        case "getNumElements":
          return new Expr.Length(m);
        case "copy":
          return new Expr.Clone(m);
        default:
          break;
      }
    }
    if (name.equals("set") || name.equals("unsafe_set") || name.equals("add")) {
      throw unsupported(tree, "the call " + tree + " inside an expression", "write it as a statement of its own");
    }
    throw unsupported(tree, "the DMatrixRMaj method " + name + " with " + args.size() + " argument(s)",
        "read elements with get(i, j) or data[k], write them with set(i, j, v), and use numRows, numCols, copy() and the CommonOps_DDRM operations with adjoint rules");
  }

  /** The row-major index of element {@code (i, j)} (or {@code k}) of the matrix {@code m}. */
  Expr elementIndex(Expr m, List<Expr> indices, Tree where) {
    for (Expr i : indices) {
      if (!i.type().isIntegral()) {
        throw new CompileError(origin(where), Message.UNTYPED.format(where, "an int index was expected but it is " + i.type().source()));
      }
    }
    if (indices.size() == 1) {
      return indices.get(0);
    }
    Expr row = new Expr.Binary(BinaryOp.MUL, indices.get(0), new Expr.Dim(m, "numCols"), Type.INT);
    return new Expr.Binary(BinaryOp.ADD, row, indices.get(1), Type.INT);
  }

  /**
   * {@code m.set(i, j, v)}, {@code m.add(i, j, v)} as statements: assignments to an element, or
   * null when {@code tree} is not such a call.
   */
  org.rad.processor.ir.Stmt matrixUpdate(MethodInvocationTree tree) {
    if (!(tree.getMethodSelect() instanceof MemberSelectTree ms) || !(ms.getExpression() instanceof IdentifierTree id)) {
      return null;
    }
    Var v = scope.lookup(id.getName().toString());
    String name = ms.getIdentifier().toString();
    if (v == null || v.type() != Type.MATRIX || !(name.equals("set") || name.equals("unsafe_set") || name.equals("add"))) {
      return null;
    }
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : tree.getArguments()) {
      args.add(translate(a));
    }
    if (args.size() != 2 && args.size() != 3) {
      throw unsupported(tree, "the DMatrixRMaj method " + name + " with " + args.size() + " argument(s)",
          "write m.set(i, j, v), m.set(k, v) or m.add(i, j, v)");
    }
    Expr m = new Expr.Ref(v);
    Expr value = coerce(args.get(args.size() - 1), Type.DOUBLE, tree.getArguments().get(args.size() - 1));
    Expr target = new Expr.Index(m, elementIndex(m, args.subList(0, args.size() - 1), tree));
    org.rad.processor.ir.Stmt.AssignOp op = name.equals("add") ? org.rad.processor.ir.Stmt.AssignOp.ADD : org.rad.processor.ir.Stmt.AssignOp.SET;
    return new org.rad.processor.ir.Stmt.Assign(target, op, value, origin(tree));
  }

  /**
   * Whether {@code tree} calls {@code java.util.Arrays.fill}: qualified ({@code Arrays.fill},
   * {@code java.util.Arrays.fill}) or statically imported, where the class declares no method of
   * that name (which would take precedence, as in Java).
   */
  boolean callsArraysFill(MethodInvocationTree tree) {
    TypeElement owner = null;
    if (tree.getMethodSelect() instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("fill")) {
      owner = library.type(ms.getExpression().toString());
    } else if (tree.getMethodSelect() instanceof IdentifierTree id && id.getName().contentEquals("fill")
        && !clazz.declaresMethod("fill")) {
      owner = library.staticallyImported("fill", true);
    }
    return owner != null && owner.getQualifiedName().contentEquals("java.util.Arrays");
  }

  /** Reports a lambda or method reference in {@code tree} (a chain of calls) at its position. */
  private void rejectLambdas(Tree tree) {
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree t, Void unused) {
        if (t != null && (t.getKind() == Tree.Kind.LAMBDA_EXPRESSION || t.getKind() == Tree.Kind.MEMBER_REFERENCE)) {
          translate((ExpressionTree) t);
        }
        return super.scan(t, unused);
      }
    }.scan(tree, null);
  }

  /**
   * A static method of another class with number parameters: it runs as it is, and the activity
   * analysis rejects it later if a derivative would have to flow through it.
   */
  private Expr libraryCall(MethodInvocationTree tree, TypeElement owner, String name, List<Expr> args) {
    ExecutableElement m = Library.numericMethod(owner, name, Library.types(args));
    if (m == null && owner.getQualifiedName().contentEquals("java.lang.System") && name.equals("arraycopy")) {
      throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree,
          "write the copy as a loop, for (int k = 0; k < length; k++) dst[dstPos + k] = src[srcPos + k];"
              + " or copy a whole array with src.clone()"));
    }
    if (m == null && owner.getQualifiedName().contentEquals("java.util.Arrays")
        && (name.equals("copyOf") || name.equals("copyOfRange"))) {
      throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree,
          "copy a whole array with a.clone() (what copyOf(a, a.length) gives), or allocate the copy and fill it in a"
              + " loop, double[] b = new double[n]; for (int k = 0; k < n; k++) b[k] = a[from + k];"));
    }
    if (m == null) {
      // both ways out in one message: making the method public only helps where no derivative
      // flows through the call
      throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree,
          "a method of another class runs as it is, and only a public static one whose parameters and result are"
              + " numbers or booleans can; where its arguments carry a derivative it must be differentiated instead:"
              + " move the computation into a method of " + clazz.simpleName()
              + ", write it with Math functions, or declare its derivative with @CustomAdjoint"));
    }
    return libraryCallTo(tree, owner, m, args);
  }

  /** A call of {@code m}, a static method of {@code owner} with number parameters and result, run as it is. */
  private Expr libraryCallTo(MethodInvocationTree tree, TypeElement owner, ExecutableElement m, List<Expr> args) {
    List<Expr> coerced = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      coerced.add(coerce(args.get(i), ClassContext.irType(m.getParameters().get(i).asType()), tree.getArguments().get(i)));
    }
    return new Expr.LibraryCall(owner.getQualifiedName().toString(), m.getSimpleName().toString(), coerced,
        ClassContext.irType(m.getReturnType()), origin(tree));
  }

  /**
   * Whether {@code m}, a method the class inherits, is static with number parameters and result,
   * and callable from the generated class.
   */
  private boolean inheritedNumericStatic(ExecutableElement m) {
    return Library.numbersInAndOut(m) && clazz.directlyAccessible(m) && m.getModifiers().contains(Modifier.STATIC);
  }

  /** The call {@code tree} with its trailing arguments in an array: {@code sumAt(x, new int[] {0, 2})}. */
  private static String varargsAdvice(MethodInvocationTree tree, String name, ExecutableElement varargs) {
    int fixed = varargs.getParameters().size() - 1;
    List<String> args = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (int k = 0; k < tree.getArguments().size(); k++) {
      (k < fixed ? args : rest).add(tree.getArguments().get(k).toString());
    }
    javax.lang.model.type.TypeMirror array = varargs.getParameters().get(fixed).asType();
    String component = array instanceof javax.lang.model.type.ArrayType a ? a.getComponentType().toString() : "double";
    args.add("new " + component + "[] {" + String.join(", ", rest) + "}");
    return name + "(" + String.join(", ", args) + ")";
  }

  private Expr sameClassCall(MethodInvocationTree tree, String name, List<Expr> args, boolean viaThis) {
    List<Type> types = args.stream().map(Expr::type).toList();
    ExecutableElement m = clazz.method(name, types);
    ExecutableElement inherited = m == null ? clazz.inheritedMethod(name, types) : null;
    if (inherited != null && !viaThis && inheritedNumericStatic(inherited)) {
      // an inherited static method runs as it is, as Other.coef(i) would: the activity analysis
      // rejects it where a derivative would have to flow through it
      return libraryCallTo(tree, (TypeElement) inherited.getEnclosingElement(), inherited, args);
    }
    if (m == null && clazz.declaresVarargs(name)) {
      throw unsupported(tree, "a call of the varargs method " + name + " with a list of values",
          "pass the array yourself: " + varargsAdvice(tree, name, clazz.varargsMethod(name)));
    }
    if (m == null && clazz.declaresGeneric(name)) {
      throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree,
          "it is a generic method (it has a type parameter), and only methods with parameters of the supported types"
              + " are differentiated; write it for the types you call it with (double[] for T)"));
    }
    if (m == null && clazz.enclosingDeclares(name)) {
      throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree,
          "it is a method of a class " + clazz.simpleName() + " is nested in, and only methods " + clazz.simpleName()
              + " declares are differentiated; move the @Differentiable method into that class, or the helper into "
              + clazz.simpleName()));
    }
    if (m == null) {
      throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree,
          "the method Java calls with these argument types is not one " + clazz.simpleName() + " declares (inherited"
              + " methods are not read, also where an inherited overload is more specific than the class's own);"
              + " only methods declared in " + clazz.simpleName() + ", with parameters of the supported types, can be called"));
    }
    if (m.getModifiers().contains(Modifier.ABSTRACT) || m.getModifiers().contains(Modifier.NATIVE)) {
      throw new CompileError(origin(tree), Message.UNKNOWN_CALL.format(tree,
          "it has no body the processor can read; call a method of " + clazz.simpleName() + " that has one"));
    }
    Type ret = ClassContext.irType(m.getReturnType());
    if (ret == null) {
      throw unsupported(tree, "calling " + name + ", which returns " + m.getReturnType(),
          "return double, int, long, boolean, double[], double[][], double[][][], int[] or void");
    }
    boolean isStatic = ClassContext.isStatic(m);
    if (!isStatic && self == null) {
      throw unsupported(tree, "calling the instance method " + name + " from a static method", "make " + name + " static");
    }
    List<Expr> coerced = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Type p = ClassContext.irType(m.getParameters().get(i).asType());
      if (p == null) {
        throw unsupported(tree, "calling " + name + ", whose parameter " + m.getParameters().get(i) + " has type " + m.getParameters().get(i).asType(),
            "use parameters of type double, int, long, boolean, double[], double[][], double[][][] or int[]");
      }
      coerced.add(coerce(args.get(i), p, tree.getArguments().get(i)));
    }
    calleeFound.accept(m);
    return new Expr.MethodCall(name, FrontEnd.key(m), isStatic ? null : new Expr.Ref(self), coerced, ret, origin(tree));
  }

  /** Whether {@code e} is a name, simple or qualified ({@code Acts}, {@code other.Util}). */
  private static boolean isName(ExpressionTree e) {
    return e instanceof IdentifierTree || e instanceof MemberSelectTree m && isName(m.getExpression());
  }

  /** Math functions of integers only: they carry no derivative and run as they are. */
  private static final Map<String, Integer> INTEGER_MATH = Map.of("floorMod", 2, "floorDiv", 2, "addExact", 2,
      "subtractExact", 2, "multiplyExact", 2, "negateExact", 1, "incrementExact", 1, "decrementExact", 1,
      "toIntExact", 1, "absExact", 1);

  /** Math functions with no derivative to speak of, and what to write instead of calling them. */
  private static final Map<String, String> PASSED_IN = Map.of(
      "random", "draw the random numbers outside and pass them in (a double[] of noise, or a mask the caller fills;"
          + " org.rad.runtime.CounterRng gives reproducible draws)",
      "ulp", "compute it outside and pass it in as a parameter",
      "nextUp", "compute it outside and pass it in as a parameter",
      "nextDown", "compute it outside and pass it in as a parameter",
      "nextAfter", "compute it outside and pass it in as a parameter",
      "getExponent", "compute it outside and pass it in as a parameter");

  private Expr math(MethodInvocationTree tree, String name, List<Expr> args) {
    boolean allIntegral = !args.isEmpty() && args.stream().allMatch(a -> a.type().isIntegral());
    MathRules.Rule rule = MathRules.find(name).orElse(null);
    boolean integralOverload = rule != null && rule.integralOverload();
    Integer integerArity = INTEGER_MATH.get(name);
    boolean arityKnown = rule != null && rule.arity() == args.size()
        || integerArity != null && integerArity == args.size();
    if (!arityKnown && (integerArity != null || rule != null)) {
      // Math.max(a, b, c): javac's own error would come after rad's, in the generated class too
      int arity = integerArity != null ? integerArity : rule.arity();
      throw unsupported(tree, "Math." + name + " with " + args.size() + " argument(s)", "Math." + name + " takes " + arity + (arity == 1 ? " argument" : " arguments")
          + (name.equals("max") || name.equals("min") ? "; nest the calls: Math." + name + "(a, Math." + name + "(b, c))" : ""));
    }
    if (allIntegral && integralOverload || allIntegral && integerArity != null) {
      // (toIntExact narrows a long; the others have the type of their promoted arguments)
      Type t = name.equals("toIntExact") ? Type.INT : args.stream().map(Expr::type).reduce(Type.INT, Type::promote);
      return new Expr.StaticCall(Expr.Owner.MATH, name, args, t);
    }
    if (name.equals("round") && args.size() == 1) {
      return new Expr.StaticCall(Expr.Owner.MATH, name, List.of(coerce(args.get(0), Type.DOUBLE, tree)), Type.LONG);
    }
    // the double functions are those of the table, each with its derivative rule
    if (rule == null || rule.arity() != args.size()) {
      String arithmetic = WRITTEN_OUT.get(name);
      throw unsupported(tree, "Math." + name + " with " + args.size() + " argument(s)", arithmetic != null
          ? "write it out as " + arithmetic
          : PASSED_IN.containsKey(name) ? PASSED_IN.get(name)
          : "use one of Math." + String.join(", Math.", MathRules.names(1)) + ", " + String.join(", ", MathRules.names(2)));
    }
    List<Expr> doubles = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      doubles.add(coerce(args.get(i), Type.DOUBLE, tree.getArguments().get(i)));
    }
    return new Expr.StaticCall(Expr.Owner.MATH, name, doubles, Type.DOUBLE);
  }
}
