package org.rad.processor.frontend;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.CompileErrors;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;

/**
 * The cases of a {@code switch} statement on an int, as the groups of an if/else chain: {@code
 * case 1: case 2: a; break; default: b;} is {@code if (k == 1 || k == 2) { a; } else { b; }}.
 *
 * <p>Java picks the case whose label equals the selector, the default only where none does, and
 * runs statements from there until a {@code break}; an if/else chain tests the labels in order
 * and runs one branch. The two agree where no case falls through into the next, and where every
 * {@code break} of a case ends it: its last statement, the last of a block that ends the case
 * ({@code case 0: { ...; break; }}), or the last of each branch of an {@code if} that does. A case with no statements of its own shares the next one's
 * ({@code case 1: case 2:}); a case that ends in {@code return}, {@code continue} or another jump
 * does not fall through. Everything else is an error at the statement in question, as is a local
 * declared in one case and used in a later one (one scope in Java, two branches here).
 */
final class SwitchCases {
  private SwitchCases() {}

  /** How a construct an if/else chain cannot express is reported: the error to throw. */
  interface Rejection {
    CompileError at(Tree tree, String what, String instead);
  }

  /**
   * One branch: its labels' expressions (none for the default), whether it is the default, and its
   * statements without the {@code break} that ends it.
   */
  record Group(List<ExpressionTree> labels, boolean isDefault, List<StatementTree> statements, Tree at,
      Set<BreakTree> tailBreaks) {}

  /** The groups of {@code cases}, checked as above. */
  static List<Group> of(List<? extends CaseTree> cases, Rejection reject) {
    List<Group> groups = new ArrayList<>();
    List<CompileError> inner = new ArrayList<>(); // every early break of the switch, in one compile
    List<ExpressionTree> shared = new ArrayList<>();
    boolean sharedDefault = false;
    for (int k = 0; k < cases.size(); k++) {
      CaseTree c = cases.get(k);
      shared.addAll(c.getExpressions());
      sharedDefault |= c.getExpressions().isEmpty();
      List<StatementTree> statements = new ArrayList<>(statements(c, reject));
      boolean last = k == cases.size() - 1;
      if (statements.isEmpty() && !last && c.getCaseKind() == CaseTree.CaseKind.STATEMENT) {
        continue; // case 1: case 2: ... shares the next case's statements
      }
      if (!statements.isEmpty() && statements.get(statements.size() - 1) instanceof BreakTree b && b.getLabel() == null) {
        statements.remove(statements.size() - 1);
      } else if (c.getCaseKind() == CaseTree.CaseKind.STATEMENT && !last
          && (statements.isEmpty() || !endsInJump(statements.get(statements.size() - 1)))) {
        throw reject.at(c, "a case that falls through into the next one",
            "end it with break; (cases with no statements of their own share the next one's: case 1: case 2: ...)");
      }
      // breaks that end the case where they stand (case 0: { ...; break; }, or both branches of
      // a last if/else) leave nothing of it unrun: they are no-ops of the if/else chain
      Set<BreakTree> tail = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      if (!statements.isEmpty()) {
        tailBreaks(statements.get(statements.size() - 1), tail);
      }
      for (StatementTree s : statements) {
        for (BreakTree b : switchBreaks(s)) {
          if (!tail.contains(b)) {
            inner.add(reject.at(b, "a break that leaves a switch before the end of its case",
                "write what the break skips under if/else, so that the case ends where it stops"));
          }
        }
      }
      groups.add(new Group(List.copyOf(shared), sharedDefault, statements, c, tail));
      shared.clear();
      sharedDefault = false;
    }
    if (!inner.isEmpty()) {
      throw new CompileErrors(inner);
    }
    rejectLocalsSharedAcrossCases(groups, reject);
    return groups;
  }

  /** A case's statements: those after its colon, or a rule's body ({@code case 1 -> { ... }}). */
  private static List<? extends StatementTree> statements(CaseTree c, Rejection reject) {
    if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
      Tree body = c.getBody();
      if (body instanceof BlockTree b) {
        return b.getStatements();
      }
      if (body instanceof StatementTree s) {
        return List.of(s);
      }
      // case 1 -> x = 2; javac keeps the expression as the body and its statement in the list
      if (body instanceof ExpressionTree && c.getStatements() != null && c.getStatements().size() == 1
          && c.getStatements().get(0).getKind() == Tree.Kind.EXPRESSION_STATEMENT) {
        return c.getStatements();
      }
      throw reject.at(c, "this form of case (" + c + ")", "write the case as case 1 -> { statements }");
    }
    return c.getStatements();
  }

  /** Whether {@code s} never completes normally by its last statement: a jump, or branches that all end in one. */
  private static boolean endsInJump(StatementTree s) {
    return switch (s.getKind()) {
      case BREAK, CONTINUE, RETURN, THROW -> true;
      case BLOCK -> {
        List<? extends StatementTree> b = ((BlockTree) s).getStatements();
        yield !b.isEmpty() && endsInJump(b.get(b.size() - 1));
      }
      case IF -> {
        IfTree i = (IfTree) s;
        yield i.getElseStatement() != null && endsInJump(i.getThenStatement()) && endsInJump(i.getElseStatement());
      }
      default -> false;
    };
  }

  /** Adds to {@code tail} the unlabeled breaks in tail position of {@code s}: after them, nothing of the case runs. */
  private static void tailBreaks(StatementTree s, Set<BreakTree> tail) {
    if (s instanceof BreakTree b && b.getLabel() == null) {
      tail.add(b);
    } else if (s instanceof BlockTree b && !b.getStatements().isEmpty()) {
      tailBreaks(b.getStatements().get(b.getStatements().size() - 1), tail);
    } else if (s instanceof IfTree i) {
      tailBreaks(i.getThenStatement(), tail);
      if (i.getElseStatement() != null) {
        tailBreaks(i.getElseStatement(), tail);
      }
    }
  }

  /** The unlabeled {@code break}s in {@code s} that leave the switch (none inside a loop or a nested switch). */
  private static List<BreakTree> switchBreaks(StatementTree s) {
    List<BreakTree> found = new ArrayList<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void scan(Tree t, Void unused) {
        if (t == null) {
          return null;
        }
        switch (t.getKind()) {
          case FOR_LOOP, ENHANCED_FOR_LOOP, WHILE_LOOP, DO_WHILE_LOOP, SWITCH, CLASS, LAMBDA_EXPRESSION -> {
            return null; // their breaks are their own
          }
          case BREAK -> {
            if (((BreakTree) t).getLabel() == null) {
              found.add((BreakTree) t);
            }
            return null;
          }
          default -> {
            if (t.getKind().name().equals("SWITCH_EXPRESSION")) {
              return null;
            }
            return super.scan(t, unused);
          }
        }
      }
    }.scan(s, null);
    return found;
  }

  /** A local declared at a case's top level and used by a later case: in Java they share one scope. */
  private static void rejectLocalsSharedAcrossCases(List<Group> groups, Rejection reject) {
    Set<String> declared = new HashSet<>();
    for (Group g : groups) {
      for (StatementTree s : g.statements()) {
        IdentifierTree use = firstUse(s, declared);
        if (use != null) {
          throw reject.at(use, "the local " + use.getName() + ", declared in an earlier case of the switch",
              "declare it before the switch");
        }
      }
      if (((CaseTree) g.at()).getCaseKind() == CaseTree.CaseKind.RULE) {
        continue; // a rule's block is a scope of its own
      }
      for (StatementTree s : g.statements()) {
        if (s instanceof VariableTree v) {
          declared.add(v.getName().toString());
        }
      }
    }
  }

  private static IdentifierTree firstUse(StatementTree s, Set<String> names) {
    if (names.isEmpty()) {
      return null;
    }
    IdentifierTree[] found = {null};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree id, Void unused) {
        if (found[0] == null && names.contains(id.getName().toString())) {
          found[0] = id;
        }
        return null;
      }
    }.scan(s, null);
    return found[0];
  }

  /**
   * Whether evaluating {@code e} again gives the same value and does nothing else: no call, no
   * allocation. Such a selector is tested as it is against each label; another goes into a local.
   */
  static boolean pure(Expr e) {
    return !Exprs.any(e, x -> x instanceof Expr.MethodCall || x instanceof Expr.LibraryCall
        || x instanceof Expr.ContextCall || x instanceof Expr.NewArray || x instanceof Expr.Clone
        || x instanceof Expr.ArrayLiteral
        || x instanceof Expr.StaticCall c && (c.owner() == Expr.Owner.USER || c.owner() == Expr.Owner.GENERATED));
  }

  /** {@code selector == l1 || selector == l2 || ...}. */
  static Expr matches(Expr selector, List<Expr> labels) {
    Expr test = null;
    for (Expr l : labels) {
      Expr eq = new Expr.Binary(Expr.BinaryOp.EQ, selector, l, org.rad.processor.ir.Type.BOOLEAN);
      test = test == null ? eq : new Expr.Binary(Expr.BinaryOp.OR, test, eq, org.rad.processor.ir.Type.BOOLEAN);
    }
    return test;
  }
}
