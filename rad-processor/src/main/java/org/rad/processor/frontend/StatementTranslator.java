package org.rad.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Name;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.CompileErrors;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Stmt.AssignOp;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** Translates javac statement trees into IR statements, rejecting what the subset lacks. */
final class StatementTranslator {
  private final ExpressionTranslator expressions;
  private final MethodScope scope;
  private final Type returnType;
  private final RandomizeReader randomizeReader;
  /** {@code @Randomize} requests found so far, by IR name. */
  final java.util.Map<String, org.rad.processor.ir.RandomizeSpec> randomized = new java.util.LinkedHashMap<>();
  /** Variables of the for loops enclosing the statement being translated, innermost last. */
  private final java.util.Deque<Var> loopVariables = new java.util.ArrayDeque<>();

  /** The errors of the method's statements: each statement is translated on its own. */
  private final CompileErrors.Collector errors;

  /** Statements that print or build strings, kept as they are. */
  private final KeptStatements kept;

  StatementTranslator(ExpressionTranslator expressions, MethodScope scope, Type returnType, CompileErrors.Collector errors,
      KeptStatements kept) {
    this.kept = kept;
    this.errors = errors;
    this.randomizeReader = new RandomizeReader(expressions);
    this.expressions = expressions;
    this.scope = scope;
    this.returnType = returnType;
  }

  Stmt.Block block(BlockTree tree) {
    scope.enter();
    try {
      List<Stmt> out = new ArrayList<>();
      for (StatementTree s : tree.getStatements()) {
        errors.attempt(() -> statement(s, out));
      }
      return new Stmt.Block(out, expressions.origin(tree));
    } finally {
      scope.exit();
    }
  }

  /** A statement used as a body (of if, for, while): always a block with its own scope. */
  private Stmt.Block body(StatementTree tree) {
    if (tree instanceof BlockTree b) {
      return block(b);
    }
    scope.enter();
    try {
      List<Stmt> out = new ArrayList<>();
      errors.attempt(() -> statement(tree, out));
      return new Stmt.Block(out, expressions.origin(tree));
    } finally {
      scope.exit();
    }
  }

  /** The value of {@code step}, or null when it failed (its error kept). */
  private <T> T attempt(java.util.function.Supplier<T> step) {
    Object[] value = new Object[1];
    errors.attempt(() -> value[0] = step.get());
    @SuppressWarnings("unchecked")
    T t = (T) value[0];
    return t;
  }

  private CompileError unsupported(Tree tree, String what, String instead) {
    return expressions.unsupported(tree, what, instead);
  }

  private void statement(StatementTree tree, List<Stmt> out) {
    switch (tree.getKind()) {
      case BLOCK -> out.add(block((BlockTree) tree));
      case VARIABLE -> out.add(declaration((VariableTree) tree));
      case EXPRESSION_STATEMENT -> out.add(expressionOrKept((ExpressionStatementTree) tree));
      case IF -> {
        IfTree i = (IfTree) tree;
        // the condition's error does not hide those of the branches
        Expr c = attempt(() -> expressions.bool(i.getCondition()));
        Stmt.Block t = body(i.getThenStatement());
        Stmt.Block f = i.getElseStatement() == null ? null : body(i.getElseStatement());
        if (c != null) {
          out.add(new Stmt.If(c, t, f, expressions.origin(tree)));
        }
      }
      case FOR_LOOP -> out.add(forLoop((ForLoopTree) tree));
      case ENHANCED_FOR_LOOP -> out.add(enhancedFor((EnhancedForLoopTree) tree));
      case WHILE_LOOP -> {
        WhileLoopTree w = (WhileLoopTree) tree;
        Expr c = attempt(() -> expressions.bool(w.getCondition()));
        Stmt.Block b = loopBody(w.getStatement());
        if (c != null) {
          out.add(new Stmt.While(c, b, expressions.origin(tree)));
        }
      }
      case RETURN -> out.add(returnStatement((ReturnTree) tree));
      case BREAK -> {
        if (tailBreaks.contains(tree)) {
          return; // a break that ends a switch's case: the if/else chain ends the case there
        }
        rejectOuterJump(tree, "break", ((BreakTree) tree).getLabel());
        out.add(new Stmt.Break(expressions.origin(tree)));
      }
      case CONTINUE -> {
        rejectOuterJump(tree, "continue", ((ContinueTree) tree).getLabel());
        out.add(new Stmt.Continue(expressions.origin(tree)));
      }
      case EMPTY_STATEMENT -> { }
      case DO_WHILE_LOOP -> {
        // (the body's and the condition's own errors are reported in the same compile)
        com.sun.source.tree.DoWhileLoopTree d = (com.sun.source.tree.DoWhileLoopTree) tree;
        loopBody(d.getStatement());
        attempt(() -> expressions.bool(d.getCondition()));
        throw unsupported(tree, "a do-while loop", "write it as a while loop, while (true) { body; if (!(condition)) break; }");
      }
      case TRY -> {
        com.sun.source.tree.TryTree t = (com.sun.source.tree.TryTree) tree;
        body(t.getBlock());
        if (t.getFinallyBlock() != null) {
          body(t.getFinallyBlock());
        }
        throw t.getCatches().isEmpty()
            ? unsupported(tree, "try/finally", "write the block's statements and then the finally block's, one after the"
                + " other (a differentiable method throws nothing to clean up after)")
            : unsupported(tree, "try/catch", "check the input before the call instead of catching exceptions");
      }
      case THROW -> throw unsupported(tree, "throw", "validate the arguments before calling the differentiable method");
      case SWITCH -> switchStatement((SwitchTree) tree, out);
      case LABELED_STATEMENT -> labeledStatement((LabeledStatementTree) tree, out);
      case SYNCHRONIZED -> {
        body(((com.sun.source.tree.SynchronizedTree) tree).getBlock());
        throw unsupported(tree, "synchronized", "remove the synchronization");
      }
      case ASSERT -> throw unsupported(tree, "assert", "check the condition before calling the differentiable method");
      case CLASS -> throw unsupported(tree, "a local class", "move it out of the method");
      default -> throw unsupported(tree, "this statement (" + tree.getKind() + ")", "use declarations, assignments, if, for and while");
    }
  }

  /**
   * A {@code switch} on an int, as the if/else chain it is ({@link SwitchCases}): each case's
   * labels tested in order ({@code k == 1 || k == 2}), the default last. A selector with a call
   * is evaluated once, into a local ({@code int selected = pick(i);}), as Java evaluates it.
   */
  private void switchStatement(SwitchTree tree, List<Stmt> out) {
    Expr selector = attempt(() -> expressions.translate(tree.getExpression()));
    if (selector != null && selector.type() != Type.INT) {
      throw unsupported(tree.getExpression(), "a switch on a " + selector.type().source(), "switch on an int, or write if/else");
    }
    List<SwitchCases.Group> groups = SwitchCases.of(tree.getCases(), this::unsupported);
    org.rad.processor.ir.Origin origin = expressions.origin(tree);
    if (selector != null && !SwitchCases.pure(selector)) {
      Var selected = scope.fresh("selected", Type.INT);
      out.add(new Stmt.Declare(selected, selector, origin));
      selector = new Expr.Ref(selected);
    }
    List<Expr> tests = new ArrayList<>();
    List<Stmt.Block> bodies = new ArrayList<>();
    Stmt.Block otherwise = null;
    for (SwitchCases.Group g : groups) {
      List<Expr> labels = new ArrayList<>();
      for (ExpressionTree label : g.labels()) {
        labels.add(attempt(() -> expressions.caseLabel(label)));
      }
      Stmt.Block body = caseBody(g);
      if (g.isDefault()) {
        otherwise = body; // Java takes the default only where no label matches: last
      } else if (selector != null && !labels.contains(null)) {
        tests.add(SwitchCases.matches(selector, labels));
        bodies.add(body);
      }
    }
    if (selector == null) {
      return; // its error is kept; the cases were checked for theirs
    }
    Stmt.Block chain = otherwise;
    for (int k = tests.size() - 1; k >= 0; k--) {
      Stmt.If branch = new Stmt.If(tests.get(k), bodies.get(k), chain, origin);
      chain = new Stmt.Block(List.of(branch), origin);
    }
    if (chain != null) {
      out.add(tests.isEmpty() ? chain : chain.stmts().get(0)); // the default alone: its block
    }
  }

  /** The breaks that end the cases of the switches being translated (see {@link SwitchCases}). */
  private final java.util.Set<BreakTree> tailBreaks =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  /** The switches around the statement being translated, inside the innermost loop. */
  private int switchesInLoop;

  /** A case's statements, in a scope of their own. */
  private Stmt.Block caseBody(SwitchCases.Group g) {
    tailBreaks.addAll(g.tailBreaks());
    scope.enter();
    switchesInLoop++;
    try {
      List<Stmt> out = new ArrayList<>();
      for (StatementTree s : g.statements()) {
        errors.attempt(() -> statement(s, out));
      }
      return new Stmt.Block(out, expressions.origin(g.at()));
    } finally {
      switchesInLoop--;
      scope.exit();
    }
  }

  /**
   * The label of the loop whose body is being translated, where that loop is labeled: a {@code
   * break} or {@code continue} naming it is a plain one. (A jump naming an outer loop is rejected
   * at the jump, with the rest of the statement still checked.)
   */
  private Name innermostLoopLabel;
  /** The label of the statement being translated, for the loop it labels. */
  private Name labelOfNextLoop;
  /** The labels of the loops around the statement being translated (a jump naming another label leaves a block). */
  private final java.util.Set<Name> loopLabels = new java.util.HashSet<>();

  /** The error for a {@code break} or {@code continue} naming a label other than the innermost loop's. */
  private void rejectOuterJump(Tree jump, String keyword, Name label) {
    if (label != null && !loopLabels.contains(label)) {
      // the label is a block's, not a loop's
      throw unsupported(jump, "a break out of a labeled block (" + keyword + " " + label + ")",
          "write the block's rest under an if: if (!condition) { ... }");
    }
    if (label != null && !label.equals(innermostLoopLabel)) {
      throw unsupported(jump, "a labeled " + keyword + " (" + keyword + " " + label + ")",
          (switchesInLoop > 0
              ? "set a boolean flag and end the case; after the switch, leave the inner loop with a plain break when"
                  + " the flag is set (a break in a case leaves only the switch), and test the flag in the outer loop"
              : "set a boolean flag, leave the inner loop with a plain break, and test the flag in the outer loop")
              + " (a break or continue naming the innermost loop's own label is accepted)");
    }
  }

  /** A labeled statement: the statement itself, the label known to the loop it labels. */
  private void labeledStatement(LabeledStatementTree tree, List<Stmt> out) {
    Tree.Kind kind = tree.getStatement().getKind();
    boolean loop = kind == Tree.Kind.FOR_LOOP || kind == Tree.Kind.ENHANCED_FOR_LOOP || kind == Tree.Kind.WHILE_LOOP;
    labelOfNextLoop = loop ? tree.getLabel() : null;
    try {
      statement(tree.getStatement(), out);
    } finally {
      labelOfNextLoop = null;
    }
  }

  /** The body of a loop, where a jump naming the loop's label (if any) is a plain jump. */
  private Stmt.Block loopBody(StatementTree tree) {
    Name enclosing = innermostLoopLabel;
    innermostLoopLabel = labelOfNextLoop;
    labelOfNextLoop = null;
    boolean added = innermostLoopLabel != null && loopLabels.add(innermostLoopLabel);
    int switches = switchesInLoop;
    switchesInLoop = 0;
    try {
      return body(tree);
    } finally {
      switchesInLoop = switches;
      if (added) {
        loopLabels.remove(innermostLoopLabel);
      }
      innermostLoopLabel = enclosing;
    }
  }

  private Stmt declaration(VariableTree tree) {
    try {
      return declared(tree);
    } catch (CompileError | CompileErrors e) {
      Type type = kept.keepsDeclaration(tree) || isVar(tree) ? null : TypeTrees.typeOf(tree.getType());
      if (type != null && tree.getInitializer() != null) {
        // only the initializer was rejected: the local still has its type, so the statements
        // that use it are checked too, and their own errors reported in this compile
        scope.declareLocal(tree.getName().toString(), type);
      } else {
        // later uses of the name are follow-on errors, not "unknown variable"
        scope.declareBroken(tree.getName().toString());
      }
      throw e;
    }
  }

  private Stmt declared(VariableTree tree) {
    if (kept.keepsDeclaration(tree)) {
      return kept.declaration(tree);
    }
    Type type = TypeTrees.typeOf(tree.getType());
    ExpressionTree initTree = tree.getInitializer();
    Expr init = null;
    if (type == null && isVar(tree)) {
      if (initTree == null) {
        throw new CompileError(expressions.origin(tree), Message.UNTYPED.format("var " + tree.getName(), "it has no initializer"));
      }
      init = expressions.translate(initTree);
      type = init.type();
    } else if (type == null) {
      if (initTree != null) {
        rejectObjectInitializer(initTree);
      }
      throw unsupported(tree, "a local of type " + tree.getType(), "use double, int, long, boolean, double[], double[][], double[][][] or int[]"
          + " (locals of type String, StringBuilder or StringBuffer, for printing, are kept as they are)");
    } else if (initTree != null) {
      init = initializer(initTree, type);
    }
    Var v = scope.declareLocal(tree.getName().toString(), type);
    org.rad.processor.ir.RandomizeSpec spec =
        randomizeReader.read(tree.getModifiers().getAnnotations(), v, tree, this::loopVariable);
    if (spec != null) {
      randomized.put(v.name(), spec);
    }
    return new Stmt.Declare(v, init, expressions.origin(tree));
  }

  /**
   * Whether {@code tree} declares its type with {@code var}: javac leaves the type tree out (or,
   * in some versions, keeps the identifier {@code var}) until attribution.
   */
  private static boolean isVar(VariableTree tree) {
    Tree t = tree.getType();
    return t == null || t instanceof IdentifierTree id && id.getName().contentEquals("var");
  }

  /**
   * For a local whose type is outside the subset, reports what its initializer does when that is
   * the real problem ({@code Runnable r = () -> ...}, {@code Object o = new Object()}), rather than
   * the type alone.
   */
  private void rejectObjectInitializer(ExpressionTree init) {
    switch (init.getKind()) {
      case LAMBDA_EXPRESSION, MEMBER_REFERENCE, NEW_CLASS -> expressions.translate(init);
      default -> { }
    }
  }

  private Expr initializer(ExpressionTree tree, Type declared) {
    if (tree instanceof NewArrayTree na && na.getType() == null && na.getInitializers() != null) {
      if (declared != Type.DOUBLE_ARRAY && declared != Type.INT_ARRAY) {
        throw unsupported(tree, "the array initializer " + tree, "initialize a double[] or int[] this way, or allocate and fill it in a loop");
      }
      List<Expr> elements = new ArrayList<>();
      for (ExpressionTree e : na.getInitializers()) {
        elements.add(expressions.coerce(expressions.translate(e), declared.element(), e));
      }
      return new Expr.ArrayLiteral(declared, elements);
    }
    return expressions.coerce(expressions.translate(tree), declared, tree);
  }

  /**
   * An expression statement of the numeric subset, or else, when it prints or builds strings, the
   * statement kept as it is ({@link KeptStatements}); the error says why when it can be neither.
   */
  private Stmt expressionOrKept(ExpressionStatementTree tree) {
    try {
      return expressionStatement(tree);
    } catch (CompileError | CompileErrors e) {
      if (!kept.mentionsOutput(tree)) {
        throw e;
      }
      return kept.statement(tree);
    }
  }

  private Stmt expressionStatement(ExpressionStatementTree tree) {
    ExpressionTree e = tree.getExpression();
    switch (e.getKind()) {
      case ASSIGNMENT: {
        AssignmentTree a = (AssignmentTree) e;
        Expr target = target(a.getVariable());
        return new Stmt.Assign(target, AssignOp.SET, initializer(a.getExpression(), target.type()), expressions.origin(tree));
      }
      case PLUS_ASSIGNMENT:
      case MINUS_ASSIGNMENT:
      case MULTIPLY_ASSIGNMENT:
      case DIVIDE_ASSIGNMENT: {
        CompoundAssignmentTree a = (CompoundAssignmentTree) e;
        Expr target = target(a.getVariable());
        if (!target.type().isNumeric()) {
          throw unsupported(tree, "a compound assignment to a " + target.type().source(), "assign numbers");
        }
        AssignOp op = switch (e.getKind()) {
          case PLUS_ASSIGNMENT -> AssignOp.ADD;
          case MINUS_ASSIGNMENT -> AssignOp.SUB;
          case MULTIPLY_ASSIGNMENT -> AssignOp.MUL;
          default -> AssignOp.DIV;
        };
        Expr value = expressions.numeric(a.getExpression());
        if (target.type().isIntegral() && value.type() == Type.DOUBLE) {
          // i += x with x a double is i = (int) (i + x) in Java: the value through the cast
          // carries no derivative
          return desugared(a, tree, target, value);
        }
        return new Stmt.Assign(target, op, value, expressions.origin(tree));
      }
      case REMAINDER_ASSIGNMENT:
      case AND_ASSIGNMENT:
      case OR_ASSIGNMENT:
      case XOR_ASSIGNMENT:
      case LEFT_SHIFT_ASSIGNMENT:
      case RIGHT_SHIFT_ASSIGNMENT:
      case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT:
      {
        CompoundAssignmentTree a = (CompoundAssignmentTree) e;
        return desugared(a, tree, target(a.getVariable()), expressions.translate(a.getExpression()));
      }
      case POSTFIX_INCREMENT:
      case PREFIX_INCREMENT:
      case POSTFIX_DECREMENT:
      case PREFIX_DECREMENT: {
        Expr target = target(((UnaryTree) e).getExpression());
        boolean inc = e.getKind() == Tree.Kind.POSTFIX_INCREMENT || e.getKind() == Tree.Kind.PREFIX_INCREMENT;
        if (target instanceof Expr.Ref r && r.type().isIntegral()) {
          return new Stmt.Step(r.var(), inc, expressions.origin(tree));
        }
        if (target.type() == Type.DOUBLE || target.type().isIntegral()) {
          Expr one = target.type() == Type.DOUBLE ? new Expr.Literal("1.0", Type.DOUBLE) : Expr.Literal.ofInt(1);
          return new Stmt.Assign(target, inc ? AssignOp.ADD : AssignOp.SUB, one, expressions.origin(tree));
        }
        throw unsupported(tree, "++/-- on " + target.type().source(), "use it on int or long variables");
      }
      case METHOD_INVOCATION: {
        if (expressions.callsArraysFill((com.sun.source.tree.MethodInvocationTree) e)) {
          return arraysFill((com.sun.source.tree.MethodInvocationTree) e);
        }
        Stmt update = expressions.matrixUpdate((com.sun.source.tree.MethodInvocationTree) e);
        if (update != null) {
          return update;
        }
        Expr call = expressions.translate(e);
        if (!(call instanceof Expr.MethodCall)) {
          throw unsupported(tree, "a call whose result is discarded (" + e + ")", "assign its result or remove the call");
        }
        return new Stmt.Call(call, expressions.origin(tree));
      }
      default:
        throw unsupported(tree, "the statement " + tree, "use assignments, ++/-- and calls as statements");
    }
  }

  /**
   * {@code t %= v}, {@code t &= v}, {@code t <<= v}, ... and {@code i += x} of a double into an
   * integer, as {@code t = (T) (t op v)}, what Java
   * computes. The location is evaluated twice, so it may call nothing.
   */
  private Stmt desugared(CompoundAssignmentTree a, StatementTree tree, Expr target, Expr value) {
    if (Exprs.any(target, x -> x instanceof Expr.MethodCall)) {
      throw unsupported(tree, "the compound assignment " + a + " to an element whose index calls a method",
          "compute the index into a local first");
    }
    Expr.BinaryOp op = switch (a.getKind()) {
      case PLUS_ASSIGNMENT -> Expr.BinaryOp.ADD;
      case MINUS_ASSIGNMENT -> Expr.BinaryOp.SUB;
      case MULTIPLY_ASSIGNMENT -> Expr.BinaryOp.MUL;
      case DIVIDE_ASSIGNMENT -> Expr.BinaryOp.DIV;
      case REMAINDER_ASSIGNMENT -> Expr.BinaryOp.REM;
      case AND_ASSIGNMENT -> Expr.BinaryOp.BIT_AND;
      case OR_ASSIGNMENT -> Expr.BinaryOp.BIT_OR;
      case XOR_ASSIGNMENT -> Expr.BinaryOp.BIT_XOR;
      case LEFT_SHIFT_ASSIGNMENT -> Expr.BinaryOp.SHL;
      case RIGHT_SHIFT_ASSIGNMENT -> Expr.BinaryOp.SHR;
      default -> Expr.BinaryOp.USHR;
    };
    Type t = target.type();
    boolean shift = op == Expr.BinaryOp.SHL || op == Expr.BinaryOp.SHR || op == Expr.BinaryOp.USHR;
    Type type;
    boolean arithmetic = op == Expr.BinaryOp.ADD || op == Expr.BinaryOp.SUB || op == Expr.BinaryOp.MUL
        || op == Expr.BinaryOp.DIV || op == Expr.BinaryOp.REM;
    if (arithmetic) {
      if (!t.isNumeric() || !value.type().isNumeric()) {
        throw unsupported(tree, "the compound assignment " + a, "use " + op.symbol + "= on numbers");
      }
      type = Type.promote(t, value.type());
    } else if (!shift && t == Type.BOOLEAN && value.type() == Type.BOOLEAN) {
      type = Type.BOOLEAN;
    } else if (t.isIntegral() && value.type().isIntegral()) {
      type = shift ? t : Type.promote(t, value.type());
    } else {
      throw unsupported(tree, "the compound assignment " + a + " on a " + (t.isIntegral() ? value.type() : t).source(),
          "use bitwise operators and shifts on ints and longs (&, |, ^ also on booleans)");
    }
    Expr combined = new Expr.Binary(op, target, value, type);
    return new Stmt.Assign(target, AssignOp.SET, type == t ? combined : new Expr.Cast(t, combined),
        expressions.origin(tree));
  }

  /** The left-hand side of an assignment: a local or parameter, or an array element. */
  private Expr target(ExpressionTree tree) {
    Expr t = expressions.translate(tree);
    if (t instanceof Expr.Ref || t instanceof Expr.Index) {
      if (t instanceof Expr.Index ix && ix.type().isArray()) {
        Expr root = ix;
        while (root instanceof Expr.Index i) {
          root = i.array();
        }
        boolean field = root.type() == Type.DOUBLE_TENSOR;
        String element = field ? "phi[t][i][j]" : "m[i][j]";
        throw unsupported(tree, "assigning a whole " + (ix.type() == Type.DOUBLE_ARRAY ? "row" : "slice") + " of a "
                + root.type().source() + " (" + tree + ")",
            "allocate it whole (" + (field ? "new double[s][n][m], not new double[s][][]" : "new double[n][m], not new double[n][]")
                + ": jagged or triangular arrays are not supported) and write its elements one by one (" + element
                + " = ...; a row swap or a row copy too, element by element in a loop), so that the processor can record"
                + " what they held");
      }
      if (rootIsField(t)) {
        throw unsupported(tree, "writing into the field array " + tree,
            "fields are read as constants; pass the array as a parameter to write into it");
      }
      return t;
    }
    if (t instanceof Expr.FieldRead) {
      throw unsupported(tree, "writing the field " + tree, "return the value, or write into an array parameter");
    }
    throw unsupported(tree, "assigning to " + tree, "assign to locals, parameters or array elements");
  }

  private static boolean rootIsField(Expr e) {
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.FieldRead;
  }

  private Stmt returnStatement(ReturnTree tree) {
    if (tree.getExpression() == null) {
      return new Stmt.Return(null, expressions.origin(tree));
    }
    Expr value = initializer(tree.getExpression(), returnType);
    return new Stmt.Return(value, expressions.origin(tree));
  }

  private Stmt forLoop(ForLoopTree tree) {
    scope.enter();
    try {
      List<Stmt> init = new ArrayList<>();
      boolean ok = true;
      for (StatementTree s : tree.getInitializer()) {
        ok &= errors.attempt(() -> {
          statement(s, init);
          if (init.get(init.size() - 1) instanceof Stmt.Opaque) {
            throw unsupported(s, "a loop variable of an object type (" + s + ")",
                "declare it before the loop and loop over an int or long");
          }
        });
      }
      Expr cond = tree.getCondition() == null ? null : attempt(() -> expressions.bool(tree.getCondition()));
      ok &= tree.getCondition() == null || cond != null;
      List<Stmt> update = new ArrayList<>();
      for (ExpressionStatementTree s : tree.getUpdate()) {
        Stmt u = attempt(() -> expressionStatement(s));
        ok &= u != null;
        update.add(u);
      }
      int depth = loopVariables.size();
      for (Stmt s : init) {
        if (s instanceof Stmt.Declare d) {
          loopVariables.addLast(d.var());
        }
      }
      try {
        Stmt.Block body = loopBody(tree.getStatement());
        if (!ok) {
          // the errors are kept; the loop's body was still read for its own
          throw CompileError.followOn(expressions.origin(tree), "the loop's header was rejected");
        }
        return new Stmt.For(init, cond, update, body, expressions.origin(tree));
      } finally {
        while (loopVariables.size() > depth) {
          loopVariables.removeLast();
        }
      }
    } finally {
      scope.exit();
    }
  }

  /** The variable of an enclosing for loop named {@code sourceName} in the source, or null. */
  private Var loopVariable(String sourceName) {
    Var v = scope.lookup(sourceName);
    return v != null && loopVariables.contains(v) ? v : null;
  }

  /**
   * {@code for (double v : a) body} becomes {@code for (int vIndex = 0; vIndex < a.length;
   * vIndex++) { double v = a[vIndex]; body }}; an array expression other than a variable is
   * first assigned to a local ({@code double[] elements = f(x);}).
   */
  private Stmt enhancedFor(EnhancedForLoopTree tree) {
    Expr array = expressions.translate(tree.getExpression());
    if (!array.type().isArray()) {
      throw unsupported(tree, "a for-each loop over " + tree.getExpression(), "loop over arrays");
    }
    scope.enter();
    try {
      // the array walked is declared before the loop, so that the loop's only init is its index
      // and the reverse sweep can run it backwards from its bounds (a counted loop)
      Stmt.Declare walked = null;
      if (!(array instanceof Expr.Ref)) {
        Var source = scope.fresh("elements", array.type());
        walked = new Stmt.Declare(source, array, expressions.origin(tree.getExpression()));
        array = new Expr.Ref(source);
      }
      List<Stmt> init = new ArrayList<>();
      String name = tree.getVariable().getName().toString();
      Var index = scope.fresh(name + "Index", Type.INT);
      init.add(new Stmt.Declare(index, Expr.Literal.ofInt(0), expressions.origin(tree)));
      List<Stmt> update = List.of(new Stmt.Step(index, true, expressions.origin(tree)));
      scope.enter();
      try {
        Type declared = TypeTrees.typeOf(tree.getVariable().getType());
        Type elementType = array.type().element();
        if (declared != null && declared != elementType && !(declared == Type.DOUBLE && elementType == Type.INT)) {
          throw unsupported(tree, "a loop variable of type " + declared.source() + " over " + array.type().source(), "declare it as " + elementType.source());
        }
        Type type = declared == null ? elementType : declared;
        Var element = scope.declareLocal(name, type);
        Stmt.Block inner = loopBody(tree.getStatement());
        if (walked == null && array instanceof Expr.Ref r && assigns(inner, r.var())) {
          // Java evaluates the array once, before the loop: a body that reassigns the variable
          // (a buffer swap) still walks the array the loop started with
          Var source = scope.fresh("elements", array.type());
          walked = new Stmt.Declare(source, array, expressions.origin(tree.getExpression()));
          array = new Expr.Ref(source);
        }
        Expr cond = new Expr.Binary(Expr.BinaryOp.LT, new Expr.Ref(index), new Expr.Length(array), Type.BOOLEAN);
        List<Stmt> stmts = new ArrayList<>();
        stmts.add(new Stmt.Declare(element, expressions.coerce(new Expr.Index(array, new Expr.Ref(index)), type, tree), expressions.origin(tree.getVariable())));
        stmts.addAll(inner.stmts());
        Stmt.For loop = new Stmt.For(init, cond, update, new Stmt.Block(stmts, inner.origin()), expressions.origin(tree));
        return walked == null ? loop : new Stmt.Block(List.of(walked, loop), expressions.origin(tree));
      } finally {
        scope.exit();
      }
    } finally {
      scope.exit();
    }
  }

  /**
   * {@code Arrays.fill(a, v)} on a {@code double[]} or {@code int[]} becomes the loop it is,
   * {@code for (int aIndex = 0; aIndex < a.length; aIndex++) a[aIndex] = v;}, with the array and
   * the value evaluated once before it, as Java evaluates arguments ({@code double[] filled =
   * rows[i];}, {@code double fillValue = f(x);}) unless they are a variable or a literal. The loop
   * is then differentiated like any other (an array filled with a constant records nothing where
   * its old contents are not needed). The range form {@code fill(a, from, to, v)} checks its range
   * before writing anything, which a loop does not: it is an error that says to write the loop.
   */
  private Stmt arraysFill(com.sun.source.tree.MethodInvocationTree tree) {
    List<? extends ExpressionTree> args = tree.getArguments();
    if (args.size() != 2) {
      throw unsupported(tree, "Arrays.fill with a range (" + tree + ")",
          "write the loop: for (int i = from; i < to; i++) a[i] = v;");
    }
    Expr array = expressions.translate(args.get(0));
    if (array.type() != Type.DOUBLE_ARRAY && array.type() != Type.INT_ARRAY) {
      throw unsupported(tree, "Arrays.fill on a " + array.type().source() + " (" + tree + ")",
          "fill a double[] or an int[] (rows of a matrix one by one: Arrays.fill(m[i], v))");
    }
    Type element = array.type().element();
    Expr value = expressions.coerce(expressions.numeric(args.get(1)), element, args.get(1));
    org.rad.processor.ir.Origin origin = expressions.origin(tree);
    List<Stmt> stmts = new ArrayList<>();
    if (!(array instanceof Expr.Ref)) {
      Var filled = scope.fresh("filled", array.type());
      stmts.add(new Stmt.Declare(filled, array, origin));
      array = new Expr.Ref(filled);
    }
    if (!(value instanceof Expr.Literal) && !(value instanceof Expr.Ref)) {
      Var fillValue = scope.fresh("fillValue", element);
      stmts.add(new Stmt.Declare(fillValue, value, origin));
      value = new Expr.Ref(fillValue);
    }
    Var index = scope.fresh(((Expr.Ref) array).var().name() + "Index", Type.INT);
    Stmt.For loop = new Stmt.For(List.of(new Stmt.Declare(index, Expr.Literal.ofInt(0), origin)),
        new Expr.Binary(Expr.BinaryOp.LT, new Expr.Ref(index), new Expr.Length(array), Type.BOOLEAN),
        List.of(new Stmt.Step(index, true, origin)),
        Stmt.Block.of(List.of(new Stmt.Assign(new Expr.Index(array, new Expr.Ref(index)), AssignOp.SET, value, origin))),
        origin);
    stmts.add(loop);
    return stmts.size() == 1 ? loop : new Stmt.Block(stmts, origin);
  }

  /** Whether {@code s} or a statement nested in it assigns the variable {@code v} itself. */
  private static boolean assigns(Stmt s, Var v) {
    if (s instanceof Stmt.Assign a) {
      return a.target() instanceof Expr.Ref r && r.var().equals(v);
    }
    if (s instanceof Stmt.Block b) {
      return b.stmts().stream().anyMatch(x -> assigns(x, v));
    }
    if (s instanceof Stmt.If i) {
      return assigns(i.whenTrue(), v) || i.whenFalse() != null && assigns(i.whenFalse(), v);
    }
    if (s instanceof Stmt.For f) {
      return f.init().stream().anyMatch(x -> assigns(x, v)) || f.update().stream().anyMatch(x -> assigns(x, v))
          || assigns(f.body(), v);
    }
    return s instanceof Stmt.While w && assigns(w.body(), v);
  }
}
