package org.rad.processor.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;

/**
 * The calls between the methods of a class: their order, callers before callees, and the one
 * thing that order rules out, recursion ({@code [RadRecursion]} at the call that closes a cycle).
 * The front end asks too, over the methods it could translate, so that a recursion is reported in
 * the same compile as the errors of other methods.
 */
public final class CallGraph {
  private CallGraph() {}

  /**
   * The keys of {@code methods}, callers before callees. A call to a key in {@code leaves} (a
   * method whose body is not read) or to a method not in {@code methods} ends its path.
   *
   * @throws CompileError at a call that closes a cycle
   */
  public static List<String> topologicalOrder(Map<String, MethodIR> methods, Set<String> leaves) {
    List<String> postOrder = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> onPath = new LinkedHashSet<>();
    for (String key : methods.keySet()) {
      visit(key, methods, leaves, done, onPath, postOrder);
    }
    java.util.Collections.reverse(postOrder);
    return postOrder;
  }

  private static void visit(String key, Map<String, MethodIR> methods, Set<String> leaves, Set<String> done,
      Set<String> onPath, List<String> postOrder) {
    if (done.contains(key) || leaves.contains(key) || !methods.containsKey(key)) {
      return;
    }
    onPath.add(key);
    for (Expr.MethodCall call : calls(methods.get(key))) {
      if (onPath.contains(call.key())) {
        throw new CompileError(call.origin(), Message.RECURSION.format(call.name()));
      }
      visit(call.key(), methods, leaves, done, onPath, postOrder);
    }
    onPath.remove(key);
    done.add(key);
    postOrder.add(key);
  }

  /**
   * A {@code [RadRandomize]} error for each method with {@code @Randomize} that another method of
   * {@code methods} calls (sample decisions are keyed by record site and loop indices, so two calls
   * of one method would draw the same samples for their records, and a product of the two would
   * be biased), at the request, once per such method.
   */
  public static List<CompileError> randomizedCallees(Map<String, MethodIR> methods) {
    List<CompileError> errors = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (MethodIR caller : methods.values()) {
      for (Expr.MethodCall call : calls(caller)) {
        MethodIR callee = methods.get(call.key());
        if (callee != null && !callee.randomized().isEmpty() && reported.add(call.key())) {
          org.rad.processor.ir.RandomizeSpec spec = callee.randomized().values().iterator().next();
          errors.add(new CompileError(spec.origin(), "[RadRandomize] @Randomize on " + spec.var() + " in " + callee.name()
              + ", which " + caller.name() + " calls: the records of different calls would share their samples."
              + " Put @Randomize in the calling method, on the value " + callee.name() + " returns or fills"));
        }
      }
    }
    return errors;
  }

  /** The calls of methods of the class in {@code m}, in its statements and its loops' updates. */
  public static List<Expr.MethodCall> calls(MethodIR m) {
    List<Expr.MethodCall> calls = new ArrayList<>();
    Statements.forEach(m.body(), s -> Statements.ownExpressions(s, e -> Exprs.walk(e, x -> {
      if (x instanceof Expr.MethodCall c) {
        calls.add(c);
      }
    })));
    Statements.forEach(m.body(), s -> {
      if (s instanceof Stmt.For f) {
        f.update().forEach(u -> Statements.ownExpressions(u, e -> Exprs.walk(e, x -> {
          if (x instanceof Expr.MethodCall c) {
            calls.add(c);
          }
        })));
      }
    });
    return calls;
  }
}
