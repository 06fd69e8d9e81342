package org.rad.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * Statements kept as the user wrote them ({@link Stmt.Opaque}): printing and string building,
 * which cannot change what is differentiated. Accepted:
 *
 * <ul>
 *   <li>a declaration of a local of an object type ({@code String}, {@code StringBuilder},
 *       {@code String[]}, ...), with or without an initializer: a <em>kept local</em>, which only
 *       kept statements may use;
 *   <li>an expression statement ({@code System.out.println(...)}, {@code sb.append(x)},
 *       {@code s = s + x}, {@code s += x}) that the numeric subset does not cover and that prints,
 *       builds strings or uses a kept local.
 * </ul>
 *
 * A kept statement may read every variable, field and constant; it may assign only kept locals
 * (and their elements); it may use an array of the method only by its elements ({@code a[i]}), its
 * length, {@code a.clone()}, or as an argument of {@code toString}, {@code deepToString},
 * {@code print}, {@code println}, {@code printf}, {@code format}, {@code formatted},
 * {@code valueOf} or {@code append} (so no reference to it escapes into a kept local); a matrix by
 * {@code get}, its dimensions, {@code data[k]}, {@code print()} and {@code toString()}. It may call
 * library methods, not methods of the class (assign their result to a local first), and holds no
 * lambda or anonymous class. Reads of the method's variables become holes printed under their IR
 * names, so the statement sees the values the original sees at that point.
 */
final class KeptStatements {
  /** Methods that may receive an array of the method: they print or format it, and keep no reference. */
  private static final Set<String> PRINTING = Set.of(
      "toString", "deepToString", "print", "println", "printf", "format", "formatted", "valueOf", "append");
  /** Methods of an EJML matrix that only read it. */
  private static final Set<String> MATRIX_READS = Set.of(
      "get", "unsafe_get", "getNumRows", "getNumCols", "getNumElements", "print", "toString");

  private final ExpressionTranslator expressions;
  private final MethodScope scope;
  private final ClassContext clazz;
  private final Library library;
  private final CompilationUnitTree unit;
  private final SourcePositions positions;
  private CharSequence source;

  KeptStatements(ExpressionTranslator expressions, MethodScope scope, ClassContext clazz, Library library,
      CompilationUnitTree unit, SourcePositions positions) {
    this.expressions = expressions;
    this.scope = scope;
    this.clazz = clazz;
    this.library = library;
    this.unit = unit;
    this.positions = positions;
  }

  /**
   * Whether {@code tree} declares a kept local: a local of an object type outside the subset that
   * is a string type ({@code String}, {@code StringBuilder}, {@code StringBuffer}, arrays of them)
   * or whose initializer prints or builds strings ({@link #mentionsOutput}).
   */
  boolean keepsDeclaration(VariableTree tree) {
    Tree type = tree.getType();
    boolean output = tree.getInitializer() != null && mentionsOutput(tree.getInitializer());
    if (type == null || type instanceof IdentifierTree id && id.getName().contentEquals("var")) {
      return output;
    }
    while (type instanceof ArrayTypeTree a) {
      type = a.getType();
    }
    if (type instanceof PrimitiveTypeTree || TypeTrees.typeOf(tree.getType()) != null) {
      return false;
    }
    return output || STRING_TYPES.contains(type.toString());
  }

  /** The types whose locals are kept whatever their initializer. */
  private static final Set<String> STRING_TYPES = Set.of("String", "StringBuilder", "StringBuffer",
      "java.lang.String", "java.lang.StringBuilder", "java.lang.StringBuffer");

  /**
   * Whether {@code tree} prints or builds strings: it holds a string or char literal, names
   * {@code System.out} or {@code System.err}, or uses a kept local. Such a statement, when the
   * numeric subset does not cover it, is kept as it is (or rejected with the reason).
   */
  boolean mentionsOutput(Tree tree) {
    boolean[] found = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitLiteral(LiteralTree t, Void unused) {
        found[0] |= t.getKind() == Tree.Kind.STRING_LITERAL || t.getKind() == Tree.Kind.CHAR_LITERAL;
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree t, Void unused) {
        String text = t.toString();
        found[0] |= text.equals("System.out") || text.equals("System.err") || text.equals("java.lang.System.out")
            || text.equals("java.lang.System.err");
        return super.visitMemberSelect(t, unused);
      }

      @Override
      public Void visitIdentifier(IdentifierTree t, Void unused) {
        found[0] |= scope.isKept(scope.lookup(t.getName().toString()));
        return null;
      }
    }.scan(new TreePath(new TreePath(unit), tree), null);
    return found[0];
  }

  /** The declaration of a kept local, which it declares in the scope. */
  Stmt.Opaque declaration(VariableTree tree) {
    Tree type = tree.getType();
    String typeText;
    if (type == null || type instanceof IdentifierTree id && id.getName().contentEquals("var")) {
      typeText = "var";
    } else {
      Text t = text(type);
      typeText = t.pieces().get(0);
    }
    ExpressionTree init = tree.getInitializer();
    Text value = init == null ? new Text(List.of(""), List.of()) : text(init);
    if (init instanceof NewArrayTree na && na.getType() == null) {
      // String[] names = {"a", "b"}: the generated code puts the initializer in an expression
      List<String> pieces = new ArrayList<>(value.pieces());
      pieces.set(0, "new " + typeText + " " + pieces.get(0));
      value = new Text(pieces, value.holes());
    }
    String name = scope.declareKept(tree.getName().toString());
    return new Stmt.Opaque(typeText + " " + name, value.pieces(), value.holes(), expressions.origin(tree));
  }

  /** An expression statement kept as it is, or the error saying why it cannot be. */
  Stmt.Opaque statement(ExpressionStatementTree tree) {
    Text t = text(tree.getExpression());
    return new Stmt.Opaque(null, t.pieces(), t.holes(), expressions.origin(tree));
  }

  /** Source text with holes: {@code pieces.size() == holes.size() + 1}. */
  private record Text(List<String> pieces, List<Expr> holes) {}

  /** A part of the source replaced: by text, or by a hole. */
  private record Replacement(long start, long end, String text, Expr hole) {}

  private CharSequence source() {
    if (source == null) {
      try {
        source = unit.getSourceFile().getCharContent(true);
      } catch (IOException e) {
        throw new CompileError(null, Message.INTERNAL.format(unit.getSourceFile().getName(), "cannot read the source: " + e));
      }
    }
    return source;
  }

  private CompileError rejected(Tree where, String what, String instead) {
    return expressions.unsupported(where, what + " in a statement that prints or builds strings", instead);
  }

  /** The source of {@code tree} with the method's variables and fields as holes, names resolved. */
  private Text text(Tree tree) {
    long start = positions.getStartPosition(unit, tree);
    long end = positions.getEndPosition(unit, tree);
    if (start < 0 || end < start) {
      throw expressions.unsupported(tree, "this statement, whose source position is unknown,", "write it in the source file");
    }
    List<Replacement> replacements = new ArrayList<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree t, Void unused) {
        replacements.add(identifier(t, getCurrentPath()));
        return null;
      }

      @Override
      public Void visitMemberSelect(MemberSelectTree t, Void unused) {
        if (isQualifiedName(t) && library.type(t.toString()) != null) {
          return null; // java.util.Arrays: a class by its full name
        }
        if (t.getExpression() instanceof IdentifierTree id && id.getName().contentEquals("this")) {
          if (getCurrentPath().getParentPath().getLeaf() instanceof MethodInvocationTree) {
            throw rejected(t, "calling " + t, "assign its result to a local in a statement of its own and use the local");
          }
          VariableElement field = clazz.field(t.getIdentifier().toString());
          if (field == null) {
            throw rejected(t, "the member " + t, "use locals, parameters and fields of " + clazz.simpleName());
          }
          replacements.add(field(field, t, getCurrentPath()));
          return null;
        }
        if (t.getExpression() instanceof IdentifierTree id && id.getName().contentEquals(clazz.simpleName())
            && getCurrentPath().getParentPath().getLeaf() instanceof MethodInvocationTree) {
          throw rejected(t, "calling " + t, "assign its result to a local in a statement of its own and use the local");
        }
        return super.visitMemberSelect(t, unused);
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree t, Void unused) {
        if (t.getMethodSelect() instanceof IdentifierTree id) {
          String name = id.getName().toString();
          TypeElement owner = clazz.declaresMethod(name) ? null : library.staticallyImported(name, true);
          if (owner == null) {
            throw rejected(t, "calling " + name, "assign " + name + "(...) to a local in a statement of its own and use the local");
          }
          replacements.add(new Replacement(start(id), end(id), owner.getQualifiedName() + "." + name, null));
          scan(t.getArguments(), unused);
          return null;
        }
        return super.visitMethodInvocation(t, unused);
      }

      @Override
      public Void visitAssignment(AssignmentTree t, Void unused) {
        checkWrite(t.getVariable());
        return super.visitAssignment(t, unused);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree t, Void unused) {
        checkWrite(t.getVariable());
        return super.visitCompoundAssignment(t, unused);
      }

      @Override
      public Void visitUnary(UnaryTree t, Void unused) {
        switch (t.getKind()) {
          case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT -> checkWrite(t.getExpression());
          default -> { }
        }
        return super.visitUnary(t, unused);
      }

      @Override
      public Void visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree t, Void unused) {
        throw rejected(t, "a lambda", "write a loop");
      }

      @Override
      public Void visitMemberReference(com.sun.source.tree.MemberReferenceTree t, Void unused) {
        throw rejected(t, "a method reference", "write a loop");
      }

      @Override
      public Void visitNewClass(com.sun.source.tree.NewClassTree t, Void unused) {
        if (t.getClassBody() != null) {
          throw rejected(t, "an anonymous class", "use a named class");
        }
        return super.visitNewClass(t, unused);
      }

      @Override
      public Void visitSwitchExpression(com.sun.source.tree.SwitchExpressionTree t, Void unused) {
        throw rejected(t, "a switch expression", "compute the value with if/else before");
      }
    }.scan(new TreePath(new TreePath(unit), tree), null);
    replacements.sort(Comparator.comparingLong(Replacement::start));
    List<String> pieces = new ArrayList<>();
    List<Expr> holes = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    long at = start;
    for (Replacement r : replacements) {
      piece.append(source(), (int) at, (int) r.start());
      if (r.hole() == null) {
        piece.append(r.text());
      } else {
        pieces.add(piece.toString());
        piece.setLength(0);
        holes.add(r.hole());
      }
      at = r.end();
    }
    piece.append(source(), (int) at, (int) end);
    pieces.add(piece.toString());
    return new Text(pieces, holes);
  }

  /** Whether {@code t} is a dotted name ({@code java.util.Arrays}) whose head is no variable or field. */
  private boolean isQualifiedName(MemberSelectTree t) {
    ExpressionTree e = t;
    while (e instanceof MemberSelectTree ms) {
      e = ms.getExpression();
    }
    if (!(e instanceof IdentifierTree id)) {
      return false;
    }
    String head = id.getName().toString();
    return scope.lookup(head) == null && clazz.field(head) == null;
  }

  private long start(Tree t) {
    return positions.getStartPosition(unit, t);
  }

  private long end(Tree t) {
    return positions.getEndPosition(unit, t);
  }

  /** What an identifier of a kept statement becomes: a hole (variable, field), a name, or an error. */
  private Replacement identifier(IdentifierTree t, TreePath path) {
    String name = t.getName().toString();
    Var v = scope.lookup(name);
    if (MethodScope.isBroken(v)) {
      throw CompileError.followOn(expressions.origin(t), "the declaration of " + name + " was rejected");
    }
    if (scope.isKept(v)) {
      return new Replacement(start(t), end(t), v.name(), null);
    }
    if (v != null) {
      checkArrayUse(v.type(), path, t);
      return new Replacement(start(t), end(t), null, new Expr.Ref(v));
    }
    VariableElement field = clazz.field(name);
    if (field != null) {
      return field(field, t, path);
    }
    TypeElement type = library.type(name);
    if (type != null) {
      String qualified = type.getQualifiedName().toString();
      boolean javaLang = qualified.equals("java.lang." + name);
      return new Replacement(start(t), end(t), javaLang ? name : qualified, null);
    }
    TypeElement owner = library.staticallyImported(name, false);
    if (owner != null) {
      return new Replacement(start(t), end(t), owner.getQualifiedName() + "." + name, null);
    }
    throw rejected(t, "the name " + name, "use locals, parameters, fields of " + clazz.simpleName() + " and classes");
  }

  /**
   * A field in a kept statement: a constant (a {@code String} one too) as its value, a field of
   * the subset as a hole (read like any field), an accessible static field of another type by its
   * full name; other fields are rejected.
   */
  private Replacement field(VariableElement field, Tree t, TreePath path) {
    Object constant = field.getConstantValue();
    if (constant != null) {
      return new Replacement(start(t), end(t), library.constantExpression(constant), null);
    }
    if (ClassContext.irType(field.asType()) != null) {
      Expr read = expressions.fieldRead(field, t);
      checkArrayUse(read.type(), path, t);
      return new Replacement(start(t), end(t), null, read);
    }
    if (ClassContext.isStatic(field) && clazz.directlyAccessible(field)) {
      return new Replacement(start(t), end(t),
          ((TypeElement) field.getEnclosingElement()).getQualifiedName() + "." + field.getSimpleName(), null);
    }
    throw rejected(t, "the field " + field.getSimpleName() + " of type " + field.asType(),
        "copy it into a local of the method before (or make it a static field the generated class can read)");
  }

  /**
   * A kept statement may assign only kept locals and their elements: never a variable, array or
   * field that the differentiated code reads.
   */
  private void checkWrite(ExpressionTree target) {
    ExpressionTree root = target;
    while (root instanceof ArrayAccessTree a) {
      root = a.getExpression();
    }
    while (root instanceof ParenthesizedTree p) {
      root = p.getExpression();
    }
    if (root instanceof IdentifierTree id && scope.isKept(scope.lookup(id.getName().toString()))) {
      return;
    }
    if (root instanceof IdentifierTree id && MethodScope.isBroken(scope.lookup(id.getName().toString()))) {
      throw CompileError.followOn(expressions.origin(target), "the declaration of " + id.getName() + " was rejected");
    }
    throw rejected(target, "assigning " + target,
        "compute numbers in statements of their own; a statement that prints or builds strings may assign only its own locals (String, StringBuilder, ...)");
  }

  /**
   * An array or matrix of the method in a kept statement may be used only in ways that read it and
   * keep no reference to it (see the class comment), so that nothing outside the differentiated
   * code can write into it later.
   */
  private void checkArrayUse(Type type, TreePath path, Tree where) {
    if (type == null || !type.isArray()) {
      return;
    }
    TreePath at = path;
    Type current = type;
    while (true) {
      TreePath parentPath = at.getParentPath();
      Tree parent = parentPath.getLeaf();
      Tree leaf = at.getLeaf();
      if (parent instanceof ParenthesizedTree) {
        at = parentPath;
        continue;
      }
      if (parent instanceof ArrayAccessTree a && a.getExpression() == leaf) {
        if (current.isNested()) {
          current = current.element(); // a row or slice: still an array
          at = parentPath;
          continue;
        }
        return; // an element's value
      }
      if (parent instanceof MemberSelectTree ms) {
        String member = ms.getIdentifier().toString();
        Tree grand = parentPath.getParentPath().getLeaf();
        boolean invoked = grand instanceof MethodInvocationTree call && call.getMethodSelect() == parent;
        if (current == Type.MATRIX) {
          if (!invoked && (member.equals("numRows") || member.equals("numCols"))
              || invoked && MATRIX_READS.contains(member)) {
            return;
          }
          if (!invoked && member.equals("data")) {
            current = Type.DOUBLE_ARRAY;
            at = parentPath;
            continue;
          }
        } else if (!invoked && member.equals("length") || invoked && member.equals("clone")) {
          return;
        }
      }
      if (parent instanceof MethodInvocationTree call && call.getArguments().contains(leaf)) {
        ExpressionTree select = call.getMethodSelect();
        String method = select instanceof MemberSelectTree ms ? ms.getIdentifier().toString() : select.toString();
        if (PRINTING.contains(method)) {
          return;
        }
      }
      throw rejected(where, "using the array " + where + " other than by its elements, its length or printing it",
          "print its elements, or java.util.Arrays.toString(" + where + ")");
    }
  }
}
