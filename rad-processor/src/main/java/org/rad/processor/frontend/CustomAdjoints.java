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
        expected.add(t == Type.DOUBLE ? "double[]" : t.source());
      }
    }
    if (returnType.isDifferentiable()) {
      expected.add(returnType.source());
    }
    return expected;
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
    List<String> expected = adjointParameters(m, returnType, paramTypes);
    String wanted = "static void " + adjointName + "(" + String.join(", ", expected) + ")";
    ExecutableElement found = null;
    for (Element e : clazz.type().getEnclosedElements()) {
      if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(adjointName)) {
        found = (ExecutableElement) e;
      }
    }
    if (found == null) {
      throw new CompileError(origin, "[RadAdjoint] the adjoint " + adjointName + " named by @CustomAdjoint on " + name
          + " is not a method of " + clazz.simpleName() + "; declare " + wanted);
    }
    List<String> actual = new ArrayList<>();
    for (VariableElement p : found.getParameters()) {
      actual.add(p.asType().toString());
    }
    boolean ok = found.getModifiers().contains(Modifier.STATIC) && !found.getModifiers().contains(Modifier.PRIVATE)
        && found.getReturnType().toString().equals("void") && actual.equals(expected);
    if (!ok) {
      throw new CompileError(origin, "[RadAdjoint] the adjoint of " + name + " must be " + wanted
          + " (adjoints of the differentiable parameters in order, then the result's), not private; found "
          + found.getReturnType() + " " + adjointName + "(" + String.join(", ", actual) + ")");
    }
    return new CustomAdjointMethod(name, adjointName, List.copyOf(params), returnType);
  }

  private static Origin origin(ExecutableElement m, Trees trees) {
    TreePath path = trees.getPath(m);
    return path == null ? null : new TreeOrigin(path.getLeaf(), path.getCompilationUnit());
  }
}
