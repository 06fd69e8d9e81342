package org.rad.processor;

import com.google.auto.service.AutoService;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import org.rad.processor.diagnostics.Message;

/**
 * Makes {@code @Differentiable} on a method of a local or anonymous class (a class declared inside
 * a method, a lambda or an initializer, or any class nested in one) a compile error at that
 * method.
 *
 * <p>javac hands annotation processors only the members of top-level classes and of their member
 * classes, never what is declared inside a method body, so {@link RadProcessor} would otherwise
 * skip such a method without a word and no gradient class would exist. This check reads the
 * compilation units' trees instead, where those methods are. It runs as its own processor because
 * it must see every round, also one in which javac found no rad annotation at all (a file whose
 * only {@code @Differentiable} is in a local class): that needs the supported type {@code "*"},
 * and such a processor claims nothing ({@link #process} returns false), so other processors still
 * get their annotations. {@code RadProcessor} claims the rad annotations.
 */
@AutoService(Processor.class)
public final class LocalClassCheck extends AbstractProcessor {
  private static final String PACKAGE = "org.rad.annotations";
  private static final String DIFFERENTIABLE = PACKAGE + ".Differentiable";

  private Trees trees;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    trees = RadProcessor.treesOf(env);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (trees == null) {
      return false; // not javac: RadProcessor reports that it cannot run here
    }
    // several root elements may share a unit; a later round's roots are new (generated) files,
    // so nothing is held across rounds
    Set<CompilationUnitTree> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Element root : round.getRootElements()) {
      TreePath path = trees.getPath(root);
      if (path != null && seen.add(path.getCompilationUnit())) {
        new Scanner(path.getCompilationUnit()).scan(new TreePath(path.getCompilationUnit()), null);
      }
    }
    return false;
  }

  /** Finds {@code @Differentiable} methods whose class sits inside a method, lambda or initializer. */
  private final class Scanner extends TreePathScanner<Void, Void> {
    private final CompilationUnitTree unit;
    private final boolean simpleNameIsRad;

    Scanner(CompilationUnitTree unit) {
      this.unit = unit;
      this.simpleNameIsRad = simpleNameMeansDifferentiable(unit);
    }

    @Override
    public Void visitMethod(MethodTree method, Void unused) {
      if (isDifferentiable(method) && insideCode(getCurrentPath())) {
        trees.printMessage(Diagnostic.Kind.ERROR, Message.INACCESSIBLE.format("@Differentiable on " + method.getName()
            + " has no effect: its class is declared inside a method (a local or anonymous class), whose methods javac"
            + " never gives to annotation processors, so no gradient would be generated; declare the class as a"
            + " (static) member class or a top-level class"), method, unit);
      }
      return super.visitMethod(method, unused);
    }

    private boolean isDifferentiable(MethodTree method) {
      for (AnnotationTree a : method.getModifiers().getAnnotations()) {
        String name = a.getAnnotationType().toString();
        if (name.equals(DIFFERENTIABLE) || (simpleNameIsRad && name.equals("Differentiable"))) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Whether the method at {@code method} is in a class nested, at some depth, in something other
   * than a class: a method body, a lambda, an initializer, an anonymous class's {@code new}.
   */
  private static boolean insideCode(TreePath method) {
    for (TreePath p = method.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf.getKind() == Tree.Kind.COMPILATION_UNIT) {
        return false;
      }
      if (!(leaf instanceof ClassTree)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the simple name {@code Differentiable} in {@code unit} means rad's annotation: it is
   * imported by name, or by {@code org.rad.annotations.*} with no class of that name in the unit's
   * own package (which would shadow it), or the unit is in {@code org.rad.annotations}.
   */
  private boolean simpleNameMeansDifferentiable(CompilationUnitTree unit) {
    String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
    if (pkg.equals(PACKAGE)) {
      return true;
    }
    boolean onDemand = false;
    for (ImportTree i : unit.getImports()) {
      if (i.isStatic()) {
        continue;
      }
      String imported = i.getQualifiedIdentifier().toString();
      if (imported.equals(DIFFERENTIABLE)) {
        return true;
      }
      if (imported.endsWith(".Differentiable")) {
        return false; // another Differentiable, imported by name
      }
      onDemand |= imported.equals(PACKAGE + ".*");
    }
    return onDemand && processingEnv.getElementUtils().getTypeElement(pkg.isEmpty() ? "Differentiable" : pkg + ".Differentiable") == null;
  }
}
