package org.rad.processor.frontend;

import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.Reporter.TreeOrigin;
import org.rad.processor.ir.CustomAdjointMethod;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** Reads and checks {@code @CustomAdjoint} declarations. */
final class CustomAdjoints {
  static final String ANNOTATION = "org.rad.annotations.CustomAdjoint";

  private CustomAdjoints() {}

  /** The adjoint method named by {@code m}'s {@code @CustomAdjoint}, or null. */
  static String declared(ExecutableElement m) {
    for (AnnotationMirror a : m.getAnnotationMirrors()) {
      if (a.getAnnotationType().toString().equals(ANNOTATION)) {
        for (var e : a.getElementValues().entrySet()) {
          if (e.getKey().getSimpleName().contentEquals("value")) {
            return (String) ((AnnotationValue) e.getValue()).getValue();
          }
        }
      }
    }
    return null;
  }

  /** The adjoint's expected parameter types, as they are written, after {@code m}'s own. */
  static List<String> adjointParameters(ExecutableElement m, Type returnType, List<Type> params) {
    List<String> expected = new ArrayList<>();
    for (VariableElement p : m.getParameters()) {
      expected.add(p.asType().toString());
    }
    for (Type t : params) {
      if (t.isDifferentiable()) {
        expected.add(t == Type.DOUBLE ? "double[]" : written(t));
      }
    }
    if (returnType.isDifferentiable()) {
      expected.add(written(returnType));
    }
    return expected;
  }

  /** A type as javac writes a parameter's type ({@code org.ejml.data.DMatrixRMaj}, {@code double[]}). */
  private static String written(Type t) {
    return t == Type.MATRIX ? EjmlRules.MATRIX_CLASS : t.source();
  }

  static CustomAdjointMethod check(ClassContext clazz, ExecutableElement m, String adjointName, Trees trees) {
    Origin origin = origin(m, trees);
    String name = m.getSimpleName().toString();
    if (!m.getModifiers().contains(Modifier.STATIC) || m.getModifiers().contains(Modifier.PRIVATE)) {
      throw new CompileError(origin, "[RadAdjoint] a method with @CustomAdjoint must be static and not private, so the"
          + " generated class can call it; " + name + " is not");
    }
    Type returnType = ClassContext.irType(m.getReturnType());
    List<Type> paramTypes = new ArrayList<>();
    List<Var> params = new ArrayList<>();
    for (VariableElement p : m.getParameters()) {
      Type t = ClassContext.irType(p.asType());
      if (t == null || t == Type.VOID) {
        throw new CompileError(origin, "[RadAdjoint] the parameter " + p.getSimpleName() + " of " + name + " has type "
            + p.asType() + "; use double, int, long, boolean, double[], double[][], double[][][] or int[]");
      }
      paramTypes.add(t);
      params.add(new Var(p.getSimpleName().toString(), t, Var.Kind.PARAMETER));
    }
    if (returnType == null) {
      throw new CompileError(origin, "[RadAdjoint] " + name + " returns " + m.getReturnType()
          + "; a method with @CustomAdjoint returns double, double[], double[][], a number, a boolean or void");
    }
    rejectWritesIntoParameters(m, trees, origin, name);
    List<String> expected = adjointParameters(m, returnType, paramTypes);
    String wanted = "static void " + adjointName + "(" + String.join(", ", expected) + ")";
    ExecutableElement found = null;
    for (Element e : clazz.type().getEnclosedElements()) {
      if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(adjointName)) {
        ExecutableElement candidate = (ExecutableElement) e;
        // among overloads of the name, the one with the expected parameters, else the last
        if (found == null || !parameterTypes(found).equals(expected)) {
          found = candidate;
        }
      }
    }
    if (found == null) {
      throw new CompileError(origin, "[RadAdjoint] the adjoint " + adjointName + " named by @CustomAdjoint on " + name
          + " is not a method of " + clazz.simpleName() + "; declare " + wanted);
    }
    List<String> actual = parameterTypes(found);
    boolean ok = found.getModifiers().contains(Modifier.STATIC) && !found.getModifiers().contains(Modifier.PRIVATE)
        && found.getReturnType().toString().equals("void") && actual.equals(expected);
    if (!ok) {
      // (say "not private" only to a private adjoint: it misled a user whose adjoint lacked a parameter)
      boolean isPrivate = found.getModifiers().contains(Modifier.PRIVATE);
      throw new CompileError(origin, "[RadAdjoint] the adjoint of " + name + " must be " + wanted
          + " (adjoints of the differentiable parameters in order, then the result's)" + (isPrivate ? ", not private" : "")
          + "; found " + (isPrivate ? "private " : "") + (found.getModifiers().contains(Modifier.STATIC) ? "static " : "")
          + found.getReturnType() + " " + adjointName + "(" + String.join(", ", actual) + ")");
    }
    return new CustomAdjointMethod(name, adjointName, List.copyOf(params), returnType);
  }

  private static List<String> parameterTypes(ExecutableElement m) {
    List<String> types = new ArrayList<>();
    for (VariableElement p : m.getParameters()) {
      types.add(p.asType().toString());
    }
    return types;
  }

  /**
   * A method with {@code @CustomAdjoint} runs as it is, and its adjoint gets its array arguments as
   * the call leaves them: one that writes into an array parameter would have its adjoint see the
   * written values, and the writes' own derivatives would be lost. Such a write is an error.
   */
  private static void rejectWritesIntoParameters(ExecutableElement m, Trees trees, Origin origin, String name) {
    TreePath path = trees.getPath(m);
    if (path == null) {
      return;
    }
    java.util.Set<String> arrays = new java.util.HashSet<>();
    for (VariableElement p : m.getParameters()) {
      Type t = ClassContext.irType(p.asType());
      if (t != null && (t.isArray() || t == Type.MATRIX)) {
        arrays.add(p.getSimpleName().toString());
      }
    }
    String[] written = {null};
    new com.sun.source.util.TreeScanner<Void, Void>() {
      private void target(com.sun.source.tree.ExpressionTree t) {
        com.sun.source.tree.ExpressionTree e = t;
        while (e instanceof com.sun.source.tree.ArrayAccessTree a) {
          e = a.getExpression();
        }
        if (e != t && e instanceof com.sun.source.tree.IdentifierTree id && arrays.contains(id.getName().toString())
            && written[0] == null) {
          written[0] = id.getName().toString();
        }
      }

      @Override
      public Void visitAssignment(com.sun.source.tree.AssignmentTree a, Void v) {
        target(a.getVariable());
        return super.visitAssignment(a, v);
      }

      @Override
      public Void visitCompoundAssignment(com.sun.source.tree.CompoundAssignmentTree a, Void v) {
        target(a.getVariable());
        return super.visitCompoundAssignment(a, v);
      }

      @Override
      public Void visitUnary(com.sun.source.tree.UnaryTree u, Void v) {
        target(u.getExpression());
        return super.visitUnary(u, v);
      }
    }.scan(path.getLeaf(), null);
    if (written[0] != null) {
      throw new CompileError(origin, "[RadAdjoint] " + name + " has @CustomAdjoint and writes into its array parameter "
          + written[0] + ": its adjoint would get the array as the call leaves it, and the derivatives of the writes"
          + " would be lost; return a new array instead, or let the processor differentiate the method (drop @CustomAdjoint)");
    }
  }

  private static Origin origin(ExecutableElement m, Trees trees) {
    TreePath path = trees.getPath(m);
    return path == null ? null : new TreeOrigin(path.getLeaf(), path.getCompilationUnit());
  }
}
