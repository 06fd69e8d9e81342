package org.rad.processor.ir;

import java.util.List;

/** Statements of the structured IR. */
public sealed interface Stmt {
  Origin origin();

  /** A block of statements. */
  record Block(List<Stmt> stmts, Origin origin) implements Stmt {
    public static Block of(List<Stmt> stmts) {
      return new Block(List.copyOf(stmts), Origin.SYNTHETIC);
    }
  }

  /** {@code type var = init;} ({@code init} may be null). */
  record Declare(Var var, Expr init, Origin origin) implements Stmt {}

  enum AssignOp {
    SET("="), ADD("+="), SUB("-="), MUL("*="), DIV("/=");

    public final String symbol;

    AssignOp(String symbol) {
      this.symbol = symbol;
    }
  }

  /** {@code target op value;} where target is a {@link Expr.Ref} or an {@link Expr.Index}. */
  record Assign(Expr target, AssignOp op, Expr value, Origin origin) implements Stmt {}

  /** {@code var++;} or {@code var--;} on an integer variable. */
  record Step(Var var, boolean increment, Origin origin) implements Stmt {}

  /** A call whose value, if any, is discarded (a method that writes into its array parameters). */
  record Call(Expr call, Origin origin) implements Stmt {}

  record If(Expr condition, Block whenTrue, Block whenFalse, Origin origin) implements Stmt {}

  /**
   * {@code for (init; condition; update) body}. {@code init} and {@code update} are simple
   * statements; a null condition means {@code true}.
   */
  record For(List<Stmt> init, Expr condition, List<Stmt> update, Block body, Origin origin) implements Stmt {}

  record While(Expr condition, Block body, Origin origin) implements Stmt {}

  record Return(Expr value, Origin origin) implements Stmt {}

  record Break(Origin origin) implements Stmt {}

  /**
   * A statement kept as the user wrote it because it cannot change what is differentiated
   * ({@code System.out.println("x=" + x);}, {@code String s = "x=" + x;}, {@code sb.append(x);}):
   * it writes no variable of the IR and reads IR values only through {@code holes}. Its Java text
   * is {@code text.get(0) + hole 0 + text.get(1) + ... + text.get(n)}, with each hole printed as an
   * expression (a variable under its IR name, a field read). With {@code declaration} (the
   * declared type and name, {@code "String s"}) the text is the initializer (empty for none) of a
   * local that only other kept statements use (it is in {@link MethodIR#locals} with type
   * {@code VOID}, so generated names avoid it; it is declared where it stands, never hoisted); else
   * it is the statement's expression.
   *
   * <p>It runs where it stands in the forward sweep (which holds the original values) and in the
   * primal copy; the reverse sweep has nothing for it, and recomputations that run a primal copy
   * during the reverse sweep skip it at run time, so its output appears once per call.
   */
  record Opaque(String declaration, List<String> text, List<Expr> holes, Origin origin) implements Stmt {
    public Opaque {
      text = List.copyOf(text);
      holes = List.copyOf(holes);
      if (text.size() != holes.size() + 1) {
        throw new IllegalArgumentException("text must have one more piece than holes");
      }
    }
  }

  record Continue(Origin origin) implements Stmt {}
}
