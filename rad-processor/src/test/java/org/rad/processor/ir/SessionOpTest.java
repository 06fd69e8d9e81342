package org.rad.processor.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.runtime.cuda.CudaRuntime;
import org.rad.runtime.cuda.CudaSession;

/**
 * Every {@link SessionOp} names a public method of the GPU runtime that the generated host code can
 * call as the processor writes it: on the right class, static or not, with its arity, and with a
 * trailing {@code Object...} where it takes kernel arguments. A runtime method renamed or re-typed
 * fails here, not in a user's compile.
 */
class SessionOpTest {
  @Test
  void everyOpNamesAPublicRuntimeMethodOfItsShape() {
    List<String> problems = new ArrayList<>();
    for (SessionOp op : SessionOp.values()) {
      Class<?> owner = op.owner() == SessionOp.Owner.RUNTIME ? CudaRuntime.class : CudaSession.class;
      boolean isStatic = op.owner() != SessionOp.Owner.SESSION;
      int parameters = op.arity() + (op.kernelArguments() ? 1 : 0);
      boolean found = Arrays.stream(owner.getMethods()).anyMatch(m -> m.getName().equals(op.methodName())
          && Modifier.isStatic(m.getModifiers()) == isStatic && m.getParameterCount() == parameters
          && (!op.kernelArguments() || m.isVarArgs() && m.getParameterTypes()[op.arity()] == Object[].class));
      if (!found) {
        problems.add(op + ": " + owner.getSimpleName() + " has no public " + (isStatic ? "static " : "") + op.methodName()
            + " of " + parameters + " parameters" + (op.kernelArguments() ? " ending in Object..." : ""));
      }
    }
    assertEquals(List.of(), problems);
  }

  /** A session is what the factory returns: the host code assigns it to a CudaSession local. */
  @Test
  void theFactoryReturnsASession() throws Exception {
    Method session = Arrays.stream(CudaRuntime.class.getMethods())
        .filter(m -> m.getName().equals(SessionOp.SESSION.methodName())).findFirst().orElseThrow();
    assertEquals(CudaSession.class, session.getReturnType());
  }
}
