package org.rad.processor.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Exprs;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.Stmt;

/**
 * Rejects writes into arrays that the sweeps would not see, and so could not undo or
 * differentiate: a call that writes into an array from a loop condition or update (such calls run
 * as plain primal copies; calls anywhere else are lifted into statements of their own by the call
 * lifter), and writes into field arrays (fields are read as constants), directly, through a local
 * that refers to one, or by a callee. (Arrays that may be one array, passed to a method that
 * writes into one of them, are versioned at the call: see {@code AliasedCalls}.)
 */
public final class WriteChecks {
  private final AliasClasses aliases;
  private final Map<String, MethodSummary> summaries;

  private WriteChecks(AliasClasses aliases, Map<String, MethodSummary> summaries) {
    this.aliases = aliases;
    this.summaries = summaries;
  }

  public static void check(MethodIR method, AliasClasses aliases, Map<String, MethodSummary> summaries) {
    WriteChecks c = new WriteChecks(aliases, summaries);
    Statements.forEach(method.body(), c::statement);
  }

  private void statement(Stmt s) {
    if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Index) {
      String root = Statements.rootVar(a.target());
      String field = root == null ? null : aliases.field(root);
      if (field != null) {
        throw new CompileError(a.origin(), Message.UNSUPPORTED.format(
            "writing into the field array " + field + " through " + root,
            "fields are read as constants; write into a copy (of a double[] field, double[] w = " + field + ".clone();"
                + " of a row of a double[][] field, double[] row = " + field + "[i].clone(), since " + field + ".clone()"
                + " would share its rows) or pass the array as a parameter"));
      }
    }
    Expr direct = Statements.directCall(s);
    List<Expr> expressions = new ArrayList<>();
    Statements.ownExpressions(s, expressions::add);
    for (Expr e : expressions) {
      Exprs.walk(e, x -> {
        if (x instanceof Expr.MethodCall call) {
          call(call, x == direct, s.origin());
        }
      });
    }
  }

  private void call(Expr.MethodCall call, boolean direct, Origin fallback) {
    MethodSummary callee = summaries.get(call.key());
    Origin at = call.origin() == null ? fallback : call.origin();
    for (int i = 0; i < call.args().size(); i++) {
      Expr arg = call.args().get(i);
      if (!arg.type().isArray() || callee == null || !callee.writesParam(i)) {
        continue;
      }
      if (!direct) {
        throw new CompileError(at, Message.UNSUPPORTED.format(
            "calling " + call.name() + ", which writes into its array argument, in a loop condition or update",
            "call it in a statement of its own and use the result"));
      }
      String root = Statements.rootVar(arg);
      String field = arg instanceof Expr.FieldRead f ? f.name() : root == null ? rootField(arg) : aliases.field(root);
      if (field != null) {
        throw new CompileError(at, Message.UNSUPPORTED.format(
            "passing the field array " + field + " to " + call.name() + ", which writes into it",
            "fields are read as constants; pass a copy (" + field + ".clone()) or an array parameter"));
      }
    }
  }

  private static String rootField(Expr e) {
    while (e instanceof Expr.Index ix) {
      e = ix.array();
    }
    return e instanceof Expr.FieldRead f ? f.name() : null;
  }
}
