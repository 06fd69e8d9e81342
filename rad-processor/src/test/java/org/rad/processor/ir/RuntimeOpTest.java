package org.rad.processor.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;
import org.rad.runtime.cuda.CudaSession;

/**
 * Every {@link RuntimeOp} names a public method of the runtime that generated code can call as
 * the processor emits it: the name, the number of arguments (and for indexed ops the overloads
 * with trailing {@code long} loop indices), the result type, and for the one-value tapes the
 * value's type. A runtime method renamed or re-typed fails here, not in a user's compile.
 */
class RuntimeOpTest {
  /** The most loop indices an indexed op is called with before the runtime's varargs overload takes over. */
  private static final int FIXED_INDEX_OVERLOADS = 3;

  @Test
  void everyOpNamesAPublicContextMethodWithItsArityAndResult() {
    List<String> problems = new ArrayList<>();
    for (RuntimeOp op : RuntimeOp.values()) {
      List<Method> named = publicMethods(RadContext.class, op.methodName());
      if (named.isEmpty()) {
        problems.add(op + ": RadContext has no public method " + op.methodName());
        continue;
      }
      for (int k = 1; k <= Math.min(op.maxIndices(), FIXED_INDEX_OVERLOADS); k++) {
        check(op, withIndices(named, op.arity(), k), op.arity() + " arguments and " + k + " long indices", problems);
      }
      if (op.maxIndices() == RuntimeOp.UNBOUNDED) {
        check(op, named.stream().filter(m -> m.isVarArgs() && m.getParameterCount() == op.arity() + 1
            && m.getParameterTypes()[op.arity()] == long[].class).toList(), op.arity() + " arguments and long... indices",
            problems);
      }
      check(op, named.stream().filter(m -> m.getParameterCount() == op.arity()).toList(), op.arity() + " arguments",
          problems);
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void oneValueTapesTakeAndGiveTheirElementType() {
    for (RuntimeOp op : List.of(RuntimeOp.PUSH_DOUBLE, RuntimeOp.PUSH_INT, RuntimeOp.PUSH_LONG, RuntimeOp.PUSH_BIT)) {
      Method m = only(RadContext.class, op.methodName(), 1);
      assertEquals(javaClass(op.element()), m.getParameterTypes()[0], op.toString());
      assertTrue(op.pushes() && !op.pops(), op.toString());
    }
    for (RuntimeOp op : List.of(RuntimeOp.POP_DOUBLE, RuntimeOp.POP_INT, RuntimeOp.POP_LONG, RuntimeOp.POP_BIT)) {
      assertEquals(javaClass(op.element()), only(RadContext.class, op.methodName(), 0).getReturnType(), op.toString());
      assertTrue(op.pops() && !op.pushes(), op.toString());
    }
    for (Type t : List.of(Type.DOUBLE, Type.INT, Type.LONG, Type.BOOLEAN, Type.DOUBLE_ARRAY)) {
      assertEquals(RuntimeOp.push(t).element(), RuntimeOp.pop(t).element(), t.toString());
    }
  }

  @Test
  void theGpuSessionHasTheAdjointLookupsItIsGiven() {
    List<String> problems = new ArrayList<>();
    for (RuntimeOp op : RuntimeOp.values()) {
      if (op.onCudaSession()
          && publicMethods(CudaSession.class, op.methodName()).stream().noneMatch(m -> m.getParameterCount() == op.arity())) {
        problems.add(op + ": CudaSession has no public " + op.methodName() + " of " + op.arity() + " arguments");
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(Arrays.stream(RuntimeOp.values()).anyMatch(RuntimeOp::onCudaSession));
  }

  @Test
  void aCallWithTheWrongNumberOfArgumentsIsRefused() {
    Expr x = Expr.Literal.ofDouble(1.0);
    assertThrows(IllegalArgumentException.class, () -> new Expr.ContextCall(RuntimeOp.PUSH_DOUBLE, List.of(), Type.VOID));
    assertThrows(IllegalArgumentException.class,
        () -> new Expr.ContextCall(RuntimeOp.POP_SAMPLED_AT, List.of(Expr.Literal.ofInt(0)), Type.DOUBLE));
    // an indexed op takes its fixed arguments and then any number of indices
    new Expr.ContextCall(RuntimeOp.POP_SAMPLED_AT, List.of(Expr.Literal.ofInt(0), x, Expr.Literal.ofInt(1),
        Expr.Literal.ofInt(2), Expr.Literal.ofInt(3), Expr.Literal.ofInt(4), Expr.Literal.ofInt(5)), Type.DOUBLE);
    assertFalse(RuntimeOp.PUSH_DOUBLE.accepts(2));
    // the shifted range records have overloads for up to three outer indices and no varargs one
    assertTrue(RuntimeOp.POP_SAMPLED_RANGE_SHIFTED.accepts(6 + 3));
    assertFalse(RuntimeOp.POP_SAMPLED_RANGE_SHIFTED.accepts(6 + 4));
  }

  @Test
  void aMatrixHasItsOwnAdjointLookup() {
    assertEquals(RuntimeOp.SHADOW_MATRIX, RuntimeOp.SHADOW.on(Type.MATRIX));
    assertEquals(RuntimeOp.SHADOW, RuntimeOp.SHADOW.on(Type.DOUBLE_MATRIX));
    assertEquals(RuntimeOp.PUSH_REF, RuntimeOp.PUSH_REF.on(Type.MATRIX));
  }

  /** Adds a problem unless one method matches and returns what {@code op} says. */
  private static void check(RuntimeOp op, List<Method> candidates, String shape, List<String> problems) {
    if (candidates.isEmpty()) {
      problems.add(op + ": RadContext has no public " + op.methodName() + " of " + shape);
      return;
    }
    for (Method m : candidates) {
      if (op.typedByCall()) {
        // a generic result (popRef) or one overload per array type (shadow)
        boolean generic = m.getGenericReturnType() instanceof TypeVariable<?>;
        boolean perType = m.getParameterCount() == 1 && m.getReturnType() == m.getParameterTypes()[0];
        if (!generic && !perType) {
          problems.add(op + ": " + m + " is typed neither by a type variable nor by its argument");
        }
      } else if (m.getReturnType() != javaClass(op.result())) {
        problems.add(op + ": " + m + " returns " + m.getReturnType().getName() + ", the op says " + op.result());
      }
    }
  }

  private static List<Method> withIndices(List<Method> named, int arity, int indices) {
    return named.stream().filter(m -> !m.isVarArgs() && m.getParameterCount() == arity + indices
        && Arrays.stream(m.getParameterTypes()).skip(arity).allMatch(c -> c == long.class)).toList();
  }

  private static List<Method> publicMethods(Class<?> owner, String name) {
    return Arrays.stream(owner.getMethods())
        .filter(m -> m.getName().equals(name) && !Modifier.isStatic(m.getModifiers())).toList();
  }

  private static Method only(Class<?> owner, String name, int arity) {
    List<Method> found = publicMethods(owner, name).stream().filter(m -> m.getParameterCount() == arity).toList();
    assertEquals(1, found.size(), name + " of " + arity + " arguments");
    return found.get(0);
  }

  private static Class<?> javaClass(Type t) {
    return switch (t) {
      case DOUBLE -> double.class;
      case INT -> int.class;
      case LONG -> long.class;
      case BOOLEAN -> boolean.class;
      case VOID -> void.class;
      case DOUBLE_ARRAY -> double[].class;
      case DOUBLE_MATRIX -> double[][].class;
      case DOUBLE_TENSOR -> double[][][].class;
      case INT_ARRAY -> int[].class;
      case MATRIX -> org.ejml.data.DMatrixRMaj.class;
    };
  }
}
