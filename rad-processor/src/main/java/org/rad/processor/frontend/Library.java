package org.rad.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;
import org.rad.processor.ir.Type;

/**
 * Other classes that code may name ({@code Double}, {@code Integer}, an imported utility class): the
 * front end resolves a name before a dot the way javac would (qualified, imported, same package,
 * {@code java.lang}) to call their static methods of numbers or read their constants.
 */
final class Library {
  private final Elements elements;
  private final CompilationUnitTree unit;
  private final String packageName;

  Library(Elements elements, CompilationUnitTree unit, String packageName) {
    this.elements = elements;
    this.unit = unit;
    this.packageName = packageName;
  }

  /** The class {@code name} (as written in the source) refers to, or null. */
  TypeElement type(String name) {
    if (elements == null || !name.matches("[\\w$.]+")) {
      return null;
    }
    // a simple name names a class of the unnamed package only from the unnamed package (asking for
    // one made javac read a same-named source file on the class path, a "duplicate class" error)
    TypeElement t = name.contains(".") || packageName.isEmpty() ? elements.getTypeElement(name) : null;
    if (t != null) {
      return t;
    }
    String first = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    String rest = name.substring(first.length());
    for (ImportTree i : unit.getImports()) {
      String imported = i.getQualifiedIdentifier().toString();
      if (!i.isStatic() && imported.endsWith("." + first)) {
        return elements.getTypeElement(imported + rest);
      }
    }
    for (String prefix : new String[] {packageName.isEmpty() ? "" : packageName + ".", "java.lang."}) {
      t = elements.getTypeElement(prefix + name);
      if (t != null) {
        return t;
      }
    }
    for (ImportTree i : unit.getImports()) {
      String imported = i.getQualifiedIdentifier().toString();
      if (!i.isStatic() && imported.endsWith(".*")) {
        t = elements.getTypeElement(imported.substring(0, imported.length() - 1) + name);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  /**
   * The class whose static member {@code member} a static import of the compilation unit brings in
   * ({@code import static java.lang.Math.exp;} or {@code import static java.lang.Math.*;}), or null.
   * Single imports come first, as in Java; {@code method} says whether a method or a field is
   * wanted (an on-demand import only counts when the class has such a static member).
   */
  TypeElement staticallyImported(String member, boolean method) {
    if (elements == null) {
      return null;
    }
    for (ImportTree i : unit.getImports()) {
      String imported = i.getQualifiedIdentifier().toString();
      if (i.isStatic() && imported.endsWith("." + member)) {
        TypeElement owner = elements.getTypeElement(imported.substring(0, imported.length() - member.length() - 1));
        if (owner != null && hasStaticMember(owner, member, method)) {
          return owner;
        }
      }
    }
    for (ImportTree i : unit.getImports()) {
      String imported = i.getQualifiedIdentifier().toString();
      if (i.isStatic() && imported.endsWith(".*")) {
        TypeElement owner = elements.getTypeElement(imported.substring(0, imported.length() - 2));
        if (owner != null && hasStaticMember(owner, member, method)) {
          return owner;
        }
      }
    }
    return null;
  }

  private static boolean hasStaticMember(TypeElement owner, String member, boolean method) {
    for (Element e : owner.getEnclosedElements()) {
      if (e.getKind() == (method ? ElementKind.METHOD : ElementKind.FIELD) && e.getSimpleName().contentEquals(member)
          && e.getModifiers().contains(Modifier.STATIC) && !e.getModifiers().contains(Modifier.PRIVATE)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The public static method {@code name} of {@code owner} that takes {@code argTypes} (exactly, or
   * by widening int and long to double and int to long) and whose parameters and result are
   * numbers or booleans; null if there is none.
   */
  static ExecutableElement numericMethod(TypeElement owner, String name, List<Type> argTypes) {
    List<ExecutableElement> numeric = new java.util.ArrayList<>();
    for (Element e : owner.getEnclosedElements()) {
      if (e.getKind() != ElementKind.METHOD || !e.getSimpleName().contentEquals(name)
          || !e.getModifiers().contains(Modifier.STATIC) || !e.getModifiers().contains(Modifier.PUBLIC)) {
        continue;
      }
      ExecutableElement m = (ExecutableElement) e;
      if (numbersInAndOut(m)) {
        numeric.add(m);
      }
    }
    // as Java chooses: the most specific of those the arguments fit (w(long) over w(double) for an int)
    return ClassContext.mostSpecific(ClassContext.applicable(numeric, argTypes));
  }

  /** Whether {@code m}'s parameters and result are numbers or booleans (no arrays, not void). */
  static boolean numbersInAndOut(ExecutableElement m) {
    Type ret = ClassContext.irType(m.getReturnType());
    return ret != null && !ret.isArray() && ret != Type.VOID && m.getParameters().stream().allMatch(p -> {
      Type t = ClassContext.irType(p.asType());
      return t != null && !t.isArray() && t != Type.VOID;
    });
  }

  /** The Java source of a constant value ({@code "a\"b"} for a String). */
  String constantExpression(Object value) {
    return elements.getConstantExpression(value);
  }

  /** The compile-time constant {@code owner.name}, or null. */
  static Object constant(TypeElement owner, String name) {
    for (Element e : owner.getEnclosedElements()) {
      // any constant the user's code may read: the generated code has its value, not the field
      if (e.getKind() == ElementKind.FIELD && e.getSimpleName().contentEquals(name)) {
        return ((VariableElement) e).getConstantValue();
      }
    }
    return null;
  }

  static List<Type> types(List<org.rad.processor.ir.Expr> args) {
    List<Type> types = new ArrayList<>();
    args.forEach(a -> types.add(a.type()));
    return types;
  }
}
