package org.rad.processor.frontend;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import org.rad.processor.ir.Type;

/** What the front end knows about the user's class: its methods and fields. */
final class ClassContext {
  private final TypeElement type;

  ClassContext(TypeElement type) {
    this.type = type;
  }

  TypeElement type() {
    return type;
  }

  String simpleName() {
    return type.getSimpleName().toString();
  }

  /**
   * The field of the class with this name, declared in it or inherited from a superclass (whose
   * private fields are not inherited), or null.
   */
  VariableElement field(String name) {
    for (TypeElement t = type; t != null; t = superclass(t)) {
      for (Element e : t.getEnclosedElements()) {
        if (e.getKind() == ElementKind.FIELD && e.getSimpleName().contentEquals(name)
            && (t == type || !isPrivate(e))) {
          return (VariableElement) e;
        }
      }
    }
    return null;
  }

  /**
   * The field {@code name} as Java finds it from this class's code where neither the class nor
   * its superclasses declare it: a constant of an interface it implements, else a field of an
   * enclosing class (declared, inherited, or from its interfaces), nearest first; null where
   * there is none.
   */
  VariableElement outerField(String name) {
    VariableElement own = inheritedField(type, name);
    if (own != null) {
      return own;
    }
    for (Element e = type.getEnclosingElement(); e instanceof TypeElement t; e = t.getEnclosingElement()) {
      VariableElement f = inheritedField(t, name);
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  /**
   * The field {@code name} of {@code t}: its own, else one of its superclasses or interfaces
   * declares (not a private one of those); null where there is none.
   */
  static VariableElement inheritedField(TypeElement t, String name) {
    java.util.ArrayDeque<TypeElement> todo = new java.util.ArrayDeque<>(List.of(t));
    java.util.Set<TypeElement> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      TypeElement c = todo.poll();
      if (!seen.add(c)) {
        continue;
      }
      for (Element e : c.getEnclosedElements()) {
        if (e.getKind() == ElementKind.FIELD && e.getSimpleName().contentEquals(name) && (c == t || !isPrivate(e))) {
          return (VariableElement) e;
        }
      }
      TypeElement s = superclass(c);
      if (s != null) {
        todo.add(s);
      }
      for (TypeMirror i : c.getInterfaces()) {
        if (i instanceof javax.lang.model.type.DeclaredType d) {
          todo.add((TypeElement) d.asElement());
        }
      }
    }
    return null;
  }

  /**
   * The class a simple name in this class's code names: this class, a class it is nested in, or
   * a class nested in one of those; null where there is none.
   */
  TypeElement typeNamed(String simpleName) {
    for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
      if (t.getSimpleName().contentEquals(simpleName)) {
        return t;
      }
      for (Element m : t.getEnclosedElements()) {
        if (m instanceof TypeElement member && m.getSimpleName().contentEquals(simpleName)) {
          return member;
        }
      }
    }
    return null;
  }

  /** Whether a class named {@code simpleName} is nested in this class or in a class it is nested in. */
  boolean hasMemberType(String simpleName) {
    for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
      for (Element m : t.getEnclosedElements()) {
        if (m instanceof TypeElement && m.getSimpleName().contentEquals(simpleName)) {
          return true;
        }
      }
    }
    return false;
  }

  private static TypeElement superclass(TypeElement t) {
    TypeMirror s = t.getSuperclass();
    return s instanceof javax.lang.model.type.DeclaredType d ? (TypeElement) d.asElement() : null;
  }

  /**
   * Whether the generated class, a top-level class in the user's package, can name {@code member}
   * (a field or a method) directly: public, or package-private or protected and declared in that
   * package.
   */
  boolean directlyAccessible(Element member) {
    if (member.getModifiers().contains(Modifier.PUBLIC)) {
      return true;
    }
    return !isPrivate(member) && packageOf(member).equals(packageOf(type));
  }

  private static String packageOf(Element e) {
    while (e != null && !(e instanceof javax.lang.model.element.PackageElement)) {
      e = e.getEnclosingElement();
    }
    return e == null ? "" : ((javax.lang.model.element.PackageElement) e).getQualifiedName().toString();
  }

  /** Whether the class declares a varargs method with this name. */
  boolean declaresVarargs(String name) {
    return varargsMethod(name) != null;
  }

  /** Whether the class declares a generic method of this name ({@code <T> T pick(boolean c, T a, T b)}). */
  boolean declaresGeneric(String name) {
    return type.getEnclosedElements().stream().anyMatch(e -> e.getKind() == ElementKind.METHOD
        && e.getSimpleName().contentEquals(name) && !((ExecutableElement) e).getTypeParameters().isEmpty());
  }

  /** A varargs method of this name that the class declares, or null. */
  ExecutableElement varargsMethod(String name) {
    return (ExecutableElement) type.getEnclosedElements().stream().filter(e -> e.getKind() == ElementKind.METHOD
        && e.getSimpleName().contentEquals(name) && ((ExecutableElement) e).isVarArgs()).findFirst().orElse(null);
  }

  /** Whether the class declares no method with this name and a class it is nested in does. */
  boolean enclosingDeclares(String name) {
    if (declaresMethod(name)) {
      return false;
    }
    for (Element e = type.getEnclosingElement(); e instanceof TypeElement t; e = t.getEnclosingElement()) {
      if (t.getEnclosedElements().stream().anyMatch(m -> m.getKind() == ElementKind.METHOD
          && m.getSimpleName().contentEquals(name))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the class declares a method with this name (which hides statically imported ones). */
  boolean declaresMethod(String name) {
    for (Element e : type.getEnclosedElements()) {
      if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Methods of the class with this name and number of parameters. */
  List<ExecutableElement> methods(String name, int arity) {
    List<ExecutableElement> found = new ArrayList<>();
    for (Element e : type.getEnclosedElements()) {
      if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(name)) {
        ExecutableElement m = (ExecutableElement) e;
        if (m.getParameters().size() == arity) {
          found.add(m);
        }
      }
    }
    return found;
  }

  /**
   * The method a call with these argument types runs, as Java chooses it: among the methods of the
   * name that accept the arguments (by identity, or widening int to long to double), the most
   * specific (f(long) over f(double) for an int). Null where there is none, or where that method
   * is one the class inherits ({@link #inheritedMethod}), not one it declares.
   */
  ExecutableElement method(String name, List<Type> argTypes) {
    ExecutableElement best = resolve(name, argTypes);
    return best == null || !best.getEnclosingElement().equals(type) ? null : best;
  }

  /**
   * The method a call with these argument types runs where that is one the class inherits (from
   * a superclass, not overridden), else null: its body is not read, and a static one runs as it
   * is, like a static method of another class.
   */
  ExecutableElement inheritedMethod(String name, List<Type> argTypes) {
    ExecutableElement best = resolve(name, argTypes);
    return best == null || best.getEnclosingElement().equals(type) ? null : best;
  }

  private ExecutableElement resolve(String name, List<Type> argTypes) {
    List<ExecutableElement> own = applicable(methods(name, argTypes.size()), argTypes);
    List<ExecutableElement> candidates = new ArrayList<>(own);
    for (TypeElement t = superclass(type); t != null; t = superclass(t)) {
      List<ExecutableElement> declared = new ArrayList<>();
      for (Element e : t.getEnclosedElements()) {
        if (e.getKind() == ElementKind.METHOD && e.getSimpleName().contentEquals(name) && !isPrivate(e)
            && ((ExecutableElement) e).getParameters().size() == argTypes.size()) {
          declared.add((ExecutableElement) e);
        }
      }
      for (ExecutableElement m : applicable(declared, argTypes)) {
        // (one the class, or a class between, declares again with the same parameters overrides it)
        if (candidates.stream().noneMatch(c -> sameParameters(c, m))) {
          candidates.add(m);
        }
      }
    }
    return mostSpecific(candidates);
  }

  /** Those of {@code methods} whose parameters accept {@code argTypes} (identity or widening). */
  static List<ExecutableElement> applicable(List<ExecutableElement> methods, List<Type> argTypes) {
    List<ExecutableElement> out = new ArrayList<>();
    for (ExecutableElement m : methods) {
      boolean ok = m.getParameters().size() == argTypes.size();
      for (int i = 0; ok && i < argTypes.size(); i++) {
        ok = accepts(irType(m.getParameters().get(i).asType()), argTypes.get(i));
      }
      if (ok) {
        out.add(m);
      }
    }
    return out;
  }

  /** The method of {@code applicable} more specific than each other one (JLS 15.12.2.5), or null. */
  static ExecutableElement mostSpecific(List<ExecutableElement> applicable) {
    for (ExecutableElement m : applicable) {
      boolean best = true;
      for (ExecutableElement o : applicable) {
        if (o != m && !moreSpecific(m, o)) {
          best = false;
        }
      }
      if (best) {
        return m;
      }
    }
    return null;
  }

  private static boolean moreSpecific(ExecutableElement m, ExecutableElement o) {
    for (int i = 0; i < m.getParameters().size(); i++) {
      if (!accepts(irType(o.getParameters().get(i).asType()), irType(m.getParameters().get(i).asType()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameParameters(ExecutableElement a, ExecutableElement b) {
    for (int i = 0; i < a.getParameters().size(); i++) {
      if (irType(a.getParameters().get(i).asType()) != irType(b.getParameters().get(i).asType())) {
        return false;
      }
    }
    return true;
  }

  /** Whether a parameter of type {@code p} accepts an argument of type {@code a}: identity, or int to long to double. */
  static boolean accepts(Type p, Type a) {
    return p != null && a != null && (p == a || p == Type.DOUBLE && a.isIntegral() || p == Type.LONG && a == Type.INT);
  }

  static boolean isStatic(Element e) {
    return e.getModifiers().contains(Modifier.STATIC);
  }

  static boolean isPrivate(Element e) {
    return e.getModifiers().contains(Modifier.PRIVATE);
  }

  /** The IR type of a Java type, or null when it is outside the subset. */
  static Type irType(TypeMirror t) {
    switch (t.getKind()) {
      case DOUBLE:
        return Type.DOUBLE;
      case INT:
        return Type.INT;
      case LONG:
        return Type.LONG;
      case BOOLEAN:
        return Type.BOOLEAN;
      case VOID:
        return Type.VOID;
      case ARRAY:
        TypeMirror c = ((ArrayType) t).getComponentType();
        if (c.getKind() == TypeKind.DOUBLE) {
          return Type.DOUBLE_ARRAY;
        }
        if (c.getKind() == TypeKind.INT) {
          return Type.INT_ARRAY;
        }
        Type element = irType(c);
        return element != null && element.isDoubleArray() ? Type.doubleArray(element.rank() + 1) : null;
      case DECLARED:
        return t.toString().equals(EjmlRules.MATRIX_CLASS) ? Type.MATRIX : null;
      default:
        return null;
    }
  }
}
