package org.rad.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.List;
import java.util.Set;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.SessionOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;

/**
 * Prints IR as Java source through JavaPoet code blocks: with the fewest parentheses that keep
 * Java's evaluation order exactly (floating-point operations are not reassociated), and with
 * runtime classes imported.
 */
final class JavaPrinter {
  private static final ClassName MATH = ClassName.get("java.lang", "Math");

  private static final int PRIMARY = 16;
  private static final int UNARY = 14;
  private static final int CAST = 13;
  private static final int CONDITIONAL = 2;

  private final ClassName userClass;
  /** Variables whose declaration is printed where it stands (not hoisted). */
  private final Set<String> declaredInPlace;

  /** For the host code of a Target.CUDA method: which arrays live on the device, and launches; else null. */
  private final DeviceHooks device;

  /** The fields read through VarHandles, shared by the printers of one generated class. */
  private final FieldHandles fieldHandles;

  JavaPrinter(ClassName userClass, Set<String> declaredInPlace, FieldHandles fieldHandles) {
    this(userClass, declaredInPlace, fieldHandles, null);
  }

  JavaPrinter(ClassName userClass, Set<String> declaredInPlace, FieldHandles fieldHandles, DeviceHooks device) {
    this.fieldHandles = fieldHandles;
    this.userClass = userClass;
    this.declaredInPlace = declaredInPlace;
    this.device = device;
  }

  /** The name each variable is printed under (the IR's, unless {@link #renaming} changed some). */
  private java.util.function.UnaryOperator<String> names = java.util.function.UnaryOperator.identity();

  /** Prints variables under {@code names} instead of their IR names; returns this printer. */
  JavaPrinter renaming(java.util.function.UnaryOperator<String> names) {
    this.names = names;
    return this;
  }

  /** The host side of the CUDA path: device arrays by name, and how to launch kernel k. */
  interface DeviceHooks {
    boolean isDevice(String name);

    void launch(int kernel, JavaPrinter printer, CodeBlock.Builder out);
  }

  private boolean onDevice(Expr e) {
    return device != null && e instanceof Expr.Ref r && device.isDevice(r.var().name());
  }

  /** The value assigned to {@code target}: a device array's allocation becomes {@code cs.zeros}. */
  private CodeBlock value(String target, Expr value) {
    if (device != null && device.isDevice(target) && value instanceof Expr.NewArray n) {
      return CodeBlock.of("cs.$L($L)", (n.dims().size() == 1 ? SessionOp.ZEROS : SessionOp.ZEROS_2D).methodName(), args(n.dims()));
    }
    return expr(value);
  }

  void block(Stmt.Block b, CodeBlock.Builder out) {
    for (Stmt s : b.stmts()) {
      statement(s, out);
    }
  }

  void statement(Stmt s, CodeBlock.Builder out) {
    if (device != null && org.rad.processor.cuda.CudaPlan.isLaunch(s) >= 0) {
      device.launch(org.rad.processor.cuda.CudaPlan.isLaunch(s), this, out);
      return;
    }
    if (s instanceof Stmt.Block b) {
      block(b, out); // locals are hoisted, so nested blocks need no braces of their own
    } else if (s instanceof Stmt.Declare d) {
      if (d.init() == null) {
        return;
      }
      if (declaredInPlace.contains(d.var().name())) {
        out.addStatement("$T $L = $L", device != null && device.isDevice(d.var().name()) ? CudaHostWriter.DEVICE_ARRAY
            : GradClassWriter.typeName(d.var().type()), names.apply(d.var().name()), value(d.var().name(), d.init()));
      } else {
        out.addStatement("$L = $L", names.apply(d.var().name()), value(d.var().name(), d.init()));
      }
    } else if (s instanceof Stmt.If i) {
      out.beginControlFlow("if ($L)", expr(i.condition()));
      block(i.whenTrue(), out);
      Stmt.Block f = i.whenFalse();
      while (f != null && f.stmts().size() == 1 && f.stmts().get(0) instanceof Stmt.If elseIf) {
        out.nextControlFlow("else if ($L)", expr(elseIf.condition()));
        block(elseIf.whenTrue(), out);
        f = elseIf.whenFalse();
      }
      if (f != null && !f.stmts().isEmpty()) {
        out.nextControlFlow("else");
        block(f, out);
      }
      out.endControlFlow();
    } else if (s instanceof Stmt.For f) {
      out.beginControlFlow("for ($L; $L; $L)", simpleList(f.init()),
          f.condition() == null ? CodeBlock.of("") : expr(f.condition()), simpleList(f.update()));
      block(f.body(), out);
      out.endControlFlow();
    } else if (s instanceof Stmt.While w) {
      out.beginControlFlow("while ($L)", expr(w.condition()));
      block(w.body(), out);
      out.endControlFlow();
    } else if (s instanceof Stmt.Opaque o) {
      kept(o, out);
    } else {
      out.addStatement("$L", simple(s));
    }
  }

  /**
   * A statement kept as the user wrote it, guarded so that it does not run again where a primal
   * copy runs during the reverse sweep (see {@link Stmt.Opaque}).
   */
  private void kept(Stmt.Opaque o, CodeBlock.Builder out) {
    CodeBlock.Builder text = CodeBlock.builder();
    for (int k = 0; k < o.holes().size(); k++) {
      text.add("$L", o.text().get(k)).add(operand(o.holes().get(k), PRIMARY));
    }
    text.add("$L", o.text().get(o.holes().size()));
    CodeBlock code = text.build();
    if (o.declaration() != null) {
      boolean noInitializer = o.holes().isEmpty() && o.text().get(0).isBlank();
      out.addStatement("$L = $L", o.declaration(), noInitializer ? CodeBlock.of("null")
          : CodeBlock.of("$T.inReverseSweep() ? null : ($L)", GradClassWriter.RAD_CONTEXT, code));
    } else {
      out.beginControlFlow("if (!$T.inReverseSweep())", GradClassWriter.RAD_CONTEXT);
      out.addStatement("$L", code);
      out.endControlFlow();
    }
  }

  private CodeBlock simpleList(List<Stmt> stmts) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (int k = 0; k < stmts.size(); k++) {
      if (k > 0) {
        b.add(", ");
      }
      b.add(simple(stmts.get(k)));
    }
    return b.build();
  }

  /** An expression statement without its semicolon. */
  CodeBlock simple(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return CodeBlock.of("$L = $L", names.apply(d.var().name()), value(d.var().name(), d.init()));
    }
    if (s instanceof Stmt.Assign a) {
      return CodeBlock.of("$L $L $L", expr(a.target()), a.op().symbol,
          a.target() instanceof Expr.Ref r ? value(r.var().name(), a.value()) : expr(a.value()));
    }
    if (s instanceof Stmt.Step st) {
      return CodeBlock.of("$L$L", names.apply(st.var().name()), st.increment() ? "++" : "--");
    }
    if (s instanceof Stmt.Call c) {
      return expr(c.call());
    }
    throw new IllegalStateException("not a simple statement: " + s);
  }

  CodeBlock expr(Expr e) {
    if (e instanceof Expr.Literal l) {
      return CodeBlock.of("$L", l.text());
    }
    if (e instanceof Expr.Ref r) {
      return CodeBlock.of("$L", names.apply(r.var().name()));
    }
    if (e instanceof Expr.FieldRead f && f.viaHandle()) {
      return fieldHandles.read(f);
    }
    if (e instanceof Expr.FieldRead f) {
      if (f.owner().equals(userClass.simpleName())) {
        return CodeBlock.of("$T.$L", userClass, f.name());
      }
      return CodeBlock.of("$L.$L", f.owner(), f.name());
    }
    if (e instanceof Expr.Index ix) {
      String data = ix.array().type() == Type.MATRIX ? ".data" : "";
      return CodeBlock.of("$L$L[$L]", operand(ix.array(), PRIMARY), data, expr(ix.index()));
    }
    if (e instanceof Expr.Length l && onDevice(l.array())) {
      return CodeBlock.of("$L.length()", expr(l.array()));
    }
    if (e instanceof Expr.Length l) {
      String length = l.array().type() == Type.MATRIX ? ".getNumElements()" : ".length";
      return CodeBlock.of("$L$L", operand(l.array(), PRIMARY), length);
    }
    if (e instanceof Expr.Dim d) {
      return CodeBlock.of("$L.$L", operand(d.matrix(), PRIMARY), d.member());
    }
    if (e instanceof Expr.Unary u) {
      Expr x = u.operand();
      boolean paren = precedence(x) < UNARY || x instanceof Expr.Unary || startsWithMinus(x);
      return CodeBlock.of(paren ? "$L($L)" : "$L$L", u.op().symbol, expr(x));
    }
    if (e instanceof Expr.Binary b) {
      int p = b.op().precedence;
      return CodeBlock.of("$L $L $L", operand(b.left(), p), b.op().symbol, operand(b.right(), p + 1));
    }
    if (e instanceof Expr.Conditional c) {
      return CodeBlock.of("$L ? $L : $L", operand(c.condition(), CONDITIONAL + 1),
          operand(c.whenTrue(), CONDITIONAL + 1), operand(c.whenFalse(), CONDITIONAL + 1));
    }
    if (e instanceof Expr.Cast c) {
      return CodeBlock.of("($L) $L", c.type().source(), operand(c.operand(), UNARY));
    }
    if (e instanceof Expr.StaticCall c) {
      CodeBlock args = args(c.args());
      return switch (c.owner()) {
        case GENERATED -> CodeBlock.of("$L($L)", c.name(), args);
        case USER -> CodeBlock.of("$T.$L($L)", userClass, c.name(), args);
        case MATH -> CodeBlock.of("$T.$L($L)", MATH, c.name(), args); // (qualified where a user's class is named Math)
        default -> CodeBlock.of("$T.$L($L)", ClassName.get(c.owner().packageName, c.owner().simpleName),
            forMatrices(c.name(), c.args()), args);
      };
    }
    if (e instanceof Expr.ContextCall c && !c.args().isEmpty() && onDevice(c.args().get(0)) && c.op().onCudaSession()) {
      return CodeBlock.of("cs.$L($L)", c.op().methodName(), args(c.args()));
    }
    if (e instanceof Expr.ContextCall c) {
      RuntimeOp op = c.args().isEmpty() ? c.op() : c.op().on(c.args().get(0).type());
      return CodeBlock.of("ctx.$L($L)", op.methodName(), args(c.args()));
    }
    if (e instanceof Expr.StaticField f) {
      return CodeBlock.of("$T.$L", ClassName.get(f.owner().packageName, f.owner().simpleName), f.name());
    }
    if (e instanceof Expr.LibraryCall c) {
      return CodeBlock.of("$T.$L($L)", ClassName.bestGuess(c.owner()), c.name(), args(c.args()));
    }
    if (e instanceof Expr.NewArray n && n.type() == Type.MATRIX) {
      return CodeBlock.of("new $T($L)", GradClassWriter.typeName(Type.MATRIX), args(n.dims()));
    }
    if (e instanceof Expr.NewArray n) {
      String element = n.type() == Type.INT_ARRAY ? "int" : "double";
      int rank = n.type().rank();
      CodeBlock.Builder b = CodeBlock.builder().add("new $L", element);
      for (int k = 0; k < rank; k++) {
        if (k < n.dims().size()) {
          b.add("[$L]", expr(n.dims().get(k)));
        } else {
          b.add("[]");
        }
      }
      return b.build();
    }
    if (e instanceof Expr.ArrayLiteral l) {
      return CodeBlock.of("new $L {$L}", l.type().source(), args(l.elements()));
    }
    if (e instanceof Expr.Clone c) {
      return CodeBlock.of(c.type() == Type.MATRIX ? "$L.copy()" : "$L.clone()", operand(c.array(), PRIMARY));
    }
    if (e instanceof Expr.MethodCall c) {
      throw new IllegalStateException("calls must be mapped to generated methods before printing: " + c.name());
    }
    throw new IllegalStateException("cannot print " + e);
  }

  /**
   * The runtime's helpers for EJML matrices have names of their own ({@code shadowMatrix}, not an
   * overload of {@code shadow}), so that code without matrices compiles without EJML on the class
   * path: the IR names the generic helper, and the name is chosen here from the argument's type.
   */
  private static String forMatrices(String name, List<Expr> args) {
    return args.isEmpty() ? name : forMatrices(name, args.get(0).type());
  }

  /** The name of the {@code Shadows} helper {@code name} ({@code addInto}) for a first argument of type {@code t}. */
  static String forMatrices(String name, Type t) {
    return t == Type.MATRIX && name.equals("addInto") ? name + "Matrix" : name;
  }

  private CodeBlock args(List<Expr> args) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (int k = 0; k < args.size(); k++) {
      if (k > 0) {
        b.add(", ");
      }
      b.add(expr(args.get(k)));
    }
    return b.build();
  }

  private CodeBlock operand(Expr e, int required) {
    CodeBlock c = expr(e);
    return precedence(e) < required ? CodeBlock.of("($L)", c) : c;
  }

  private static boolean startsWithMinus(Expr e) {
    return e instanceof Expr.Literal l && l.text().startsWith("-");
  }

  private static int precedence(Expr e) {
    if (e instanceof Expr.Literal l) {
      return l.text().startsWith("-") ? UNARY : PRIMARY;
    }
    if (e instanceof Expr.Unary) {
      return UNARY;
    }
    if (e instanceof Expr.Cast || e instanceof Expr.FieldRead f && f.viaHandle()) {
      return CAST;
    }
    if (e instanceof Expr.Binary b) {
      return b.op().precedence;
    }
    if (e instanceof Expr.Conditional) {
      return CONDITIONAL;
    }
    if (e instanceof Expr.NewArray || e instanceof Expr.ArrayLiteral) {
      return UNARY; // new ... binds less than postfix member access
    }
    return PRIMARY;
  }
}
