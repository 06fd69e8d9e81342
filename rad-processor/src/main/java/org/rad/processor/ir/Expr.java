package org.rad.processor.ir;

import java.util.List;

/** Expressions of the IR. Every node knows its Java type; none has side effects. */
public sealed interface Expr {
  Type type();

  /** A literal, kept as its Java source text ({@code 0.25}, {@code 1e-3}, {@code 4L}). */
  record Literal(String text, Type type) implements Expr {
    public static Literal ofDouble(double v) {
      if (Double.isNaN(v)) {
        return new Literal("Double.NaN", Type.DOUBLE);
      }
      if (Double.isInfinite(v)) {
        return new Literal(v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY", Type.DOUBLE);
      }
      return new Literal(Double.toString(v), Type.DOUBLE);
    }

    public static Literal ofInt(int v) {
      return new Literal(Integer.toString(v), Type.INT);
    }

    public boolean isZero() {
      return text.equals("0") || text.equals("0.0") || text.equals("0L");
    }

    public boolean isOne() {
      return text.equals("1") || text.equals("1.0");
    }

    /** The value of an integer literal ({@code 3}, {@code 3L}); null when it is not one. */
    public Long integerValue() {
      if (!type.isIntegral()) {
        return null;
      }
      try {
        return Long.parseLong(text.endsWith("L") ? text.substring(0, text.length() - 1) : text);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** A read of a variable. */
  record Ref(Var var) implements Expr {
    @Override
    public Type type() {
      return var.type();
    }
  }

  /**
   * A read of a field that the generated code treats as a constant: an instance field of the
   * receiver ({@code self.n}) or a static field of a class ({@code Foo.WEIGHTS}). {@code owner} is
   * the source text before the dot. {@code viaHandle}: the generated class cannot name the field
   * (private, or protected in a superclass of another package), so it reads it through a
   * {@code VarHandle} of the user's class; {@code isStatic} tells a static field from an instance
   * field of the receiver.
   */
  record FieldRead(String owner, String name, Type type, boolean isStatic, boolean viaHandle) implements Expr {
    /** A field the generated class reads directly. */
    public FieldRead(String owner, String name, Type type) {
      this(owner, name, type, false, false);
    }
  }

  /** {@code array[index]}. */
  record Index(Expr array, Expr index) implements Expr {
    @Override
    public Type type() {
      return array.type().element();
    }
  }

  /** {@code array.length}. */
  record Length(Expr array) implements Expr {
    @Override
    public Type type() {
      return Type.INT;
    }
  }

  /** {@code matrix.numRows} or {@code matrix.numCols} of an EJML matrix ({@code member}). */
  record Dim(Expr matrix, String member) implements Expr {
    @Override
    public Type type() {
      return Type.INT;
    }
  }

  enum UnaryOp {
    NEG("-"),
    NOT("!"),
    /** {@code ~} of an int or long. */
    BIT_NOT("~");

    public final String symbol;

    UnaryOp(String symbol) {
      this.symbol = symbol;
    }
  }

  record Unary(UnaryOp op, Expr operand) implements Expr {
    @Override
    public Type type() {
      return op == UnaryOp.NOT ? Type.BOOLEAN : operand.type();
    }
  }

  enum BinaryOp {
    MUL("*", 12), DIV("/", 12), REM("%", 12),
    ADD("+", 11), SUB("-", 11),
    /** Shifts of an int or long (the count taken mod 32 or 64, as in Java). */
    SHL("<<", 10), SHR(">>", 10), USHR(">>>", 10),
    LT("<", 9), LE("<=", 9), GT(">", 9), GE(">=", 9),
    EQ("==", 8), NE("!=", 8),
    /** Bitwise on ints and longs, or both operands evaluated on booleans. */
    BIT_AND("&", 7), BIT_XOR("^", 6), BIT_OR("|", 5),
    AND("&&", 4), OR("||", 3);

    public final String symbol;
    /** Java precedence: higher binds tighter. */
    public final int precedence;

    BinaryOp(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }

    public boolean isComparison() {
      return precedence == 9 || precedence == 8;
    }

    public boolean isLogical() {
      return this == AND || this == OR;
    }
  }

  record Binary(BinaryOp op, Expr left, Expr right, Type type) implements Expr {}

  /** {@code condition ? whenTrue : whenFalse}. */
  record Conditional(Expr condition, Expr whenTrue, Expr whenFalse, Type type) implements Expr {}

  /** A cast between numeric types. */
  record Cast(Type type, Expr operand) implements Expr {}

  /** The classes whose static methods IR expressions may call. */
  enum Owner {
    MATH("java.lang", "Math"),
    DERIVATIVES("org.rad.runtime", "Derivatives"),
    LOOPS("org.rad.runtime", "Loops"),
    SHADOWS("org.rad.runtime", "Shadows"),
    RNG("org.rad.runtime", "CounterRng"),
    SAMPLING("org.rad.annotations", "Sampling"),
    /** The user's class (for calls of accessible methods that are not differentiated). */
    USER("", ""),
    /** The generated class itself. */
    GENERATED("", "");

    public final String packageName;
    public final String simpleName;

    Owner(String packageName, String simpleName) {
      this.packageName = packageName;
      this.simpleName = simpleName;
    }
  }

  /** A constant of a runtime class: {@code Sampling.BERNOULLI}. */
  record StaticField(Owner owner, String name, Type type) implements Expr {}

  /** A call of a static method: {@code Math.sin(x)}, a generated method, a runtime helper. */
  record StaticCall(Owner owner, String name, List<Expr> args, Type type) implements Expr {}

  /**
   * A call of a method of the user's class that the processor differentiates (its source is known):
   * {@code key} identifies the callee among overloads ({@code name(double[],int)}); {@code receiver}
   * is the receiver variable for instance methods, else null.
   */
  record MethodCall(String name, String key, Expr receiver, List<Expr> args, Type type, Origin origin) implements Expr {}

  /**
   * A call of a static method of another class whose source the processor does not read
   * ({@code Double.isNaN(x)}, {@code Integer.max(i, j)}): only with number and boolean parameters,
   * so it writes nothing the sweeps track. It runs as it is; a derivative cannot flow through it.
   * {@code owner} is the class's canonical name.
   */
  record LibraryCall(String owner, String name, List<Expr> args, Type type, Origin origin) implements Expr {}

  /**
   * A call of a method on the gradient context: {@code ctx.popDouble()}. The op says which runtime
   * method it is; a call with a number of arguments the op does not take is a processor bug.
   */
  record ContextCall(RuntimeOp op, List<Expr> args, Type type) implements Expr {
    public ContextCall {
      if (!op.accepts(args.size())) {
        throw new IllegalArgumentException(op.methodName() + " does not take " + args.size() + " arguments");
      }
    }
  }

  /** {@code new double[d0][d1]} (dims may be fewer than the rank). */
  record NewArray(Type type, List<Expr> dims) implements Expr {}

  /** {@code new double[] {e0, e1, ...}}. */
  record ArrayLiteral(Type type, List<Expr> elements) implements Expr {}

  /** {@code array.clone()} (a copy of a one-dimensional array). */
  record Clone(Expr array) implements Expr {
    @Override
    public Type type() {
      return array.type();
    }
  }
}
