package org.rad.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;
import org.rad.processor.ir.Origin;

/**
 * Reports errors at elements or at the exact tree of a statement, and counts them, so that every
 * error of a class is shown at once and no code is written for a class that had one.
 */
public final class Reporter {
  private final Messager messager;
  private final Trees trees;
  private int errors;

  public Reporter(Messager messager, Trees trees) {
    this.messager = messager;
    this.trees = trees;
  }

  /** An origin that points at a tree of a compilation unit. */
  public record TreeOrigin(Tree tree, CompilationUnitTree unit) implements Origin {
    @Override
    public String sourceText() {
      return tree.toString().replaceAll("\\s+", " ").replaceAll(";$", "").trim();
    }

    @Override
    public String toString() {
      return "TreeOrigin[" + sourceText() + "]"; // not the record's, which prints the whole unit
    }
  }

  public void error(Element element, String message) {
    errors++;
    messager.printMessage(Diagnostic.Kind.ERROR, message, element);
  }

  public void warning(Origin origin, Element fallback, String message) {
    print(Diagnostic.Kind.WARNING, origin, fallback, message);
  }

  /** Reports at the origin's tree when it has one, else at {@code fallback}. */
  public void error(Origin origin, Element fallback, String message) {
    errors++;
    print(Diagnostic.Kind.ERROR, origin, fallback, message);
  }

  private void print(Diagnostic.Kind kind, Origin origin, Element fallback, String message) {
    if (origin instanceof TreeOrigin t) {
      trees.printMessage(kind, message, t.tree(), t.unit());
    } else {
      messager.printMessage(kind, message, fallback);
    }
  }

  public int errorCount() {
    return errors;
  }
}
