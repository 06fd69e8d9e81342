package org.rad.processor.frontend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.rad.processor.ir.CustomAdjointMethod;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The built-in adjoint rules for EJML's {@code CommonOps_DDRM} operations on {@code DMatrixRMaj}:
 * one table, one line per operation. A call of an operation in {@code @Differentiable} code runs
 * as it is in the forward sweep; the reverse sweep calls the method of the same name in
 * {@code org.rad.runtime.ejml.EjmlAdjoints}, with the conventions of {@code @CustomAdjoint}.
 *
 * <p>To add an operation: add a line below (its signature, which arguments it writes) and its
 * adjoint to {@code EjmlAdjoints}, then a finite-difference test to {@code EjmlRulesTest}.
 */
public final class EjmlRules {
  /** The matrix class the rules apply to. */
  public static final String MATRIX_CLASS = "org.ejml.data.DMatrixRMaj";
  /** The class of the operations. */
  public static final String OPS_CLASS = "org.ejml.dense.row.CommonOps_DDRM";
  /** The class of the adjoints. */
  public static final String ADJOINTS_CLASS = "org.rad.runtime.ejml.EjmlAdjoints";

  private static final Type M = Type.MATRIX;
  private static final Type D = Type.DOUBLE;

  /** One operation: its parameters (by name and type), what it writes, what it returns. */
  private record Rule(String name, List<String> params, List<Type> types, Type returns, List<Integer> written,
      List<Integer> distinct, List<Integer> reads, List<Integer> nonlinearReads, String meaning) {}

  private static final Map<String, Rule> RULES = new LinkedHashMap<>();

  static {
    // name, parameters, their types, the written argument, the result, what the adjoint reads
    // (! marks a non-affine use, which a sampled @Randomize record must not reach), meaning
    rule("mult", "a b c", List.of(M, M, M), Type.VOID, 2, "a b", "c = a b");
    rule("multTransA", "a b c", List.of(M, M, M), Type.VOID, 2, "a b", "c = a^T b");
    rule("multTransB", "a b c", List.of(M, M, M), Type.VOID, 2, "a b", "c = a b^T");
    rule("multAdd", "a b c", List.of(M, M, M), Type.VOID, 2, "a b", "c += a b");
    rule("add", "a b c", List.of(M, M, M), Type.VOID, 2, "", "c = a + b");
    rule("subtract", "a b c", List.of(M, M, M), Type.VOID, 2, "", "c = a - b");
    rule("addEquals", "a b", List.of(M, M), Type.VOID, 0, "", "a += b");
    rule("subtractEquals", "a b", List.of(M, M), Type.VOID, 0, "", "a -= b");
    rule("elementMult", "a b c", List.of(M, M, M), Type.VOID, 2, "a b", "c = a .* b");
    rule("elementDiv", "a b c", List.of(M, M, M), Type.VOID, 2, "a !b", "c = a ./ b");
    rule("scale", "alpha a b", List.of(D, M, M), Type.VOID, 2, "a", "b = alpha a");
    rule("changeSign", "a c", List.of(M, M), Type.VOID, 1, "", "c = -a");
    rule("elementExp", "a c", List.of(M, M), Type.VOID, 1, "c", "c = exp(a)");
    rule("elementLog", "a c", List.of(M, M), Type.VOID, 1, "!a", "c = log(a)");
    rule("transpose", "a c", List.of(M, M), Type.VOID, 1, "", "c = a^T");
    rule("sumRows", "a c", List.of(M, M), Type.VOID, 1, "", "c = the row sums of a");
    rule("sumCols", "a c", List.of(M, M), Type.VOID, 1, "", "c = the column sums of a");
    rule("elementSum", "a", List.of(M), D, -1, "", "the sum of the elements of a");
  }

  private EjmlRules() {}

  private static void rule(String name, String params, List<Type> types, Type returns, int written, String reads,
      String meaning) {
    List<String> names = List.of(params.split(" "));
    List<Integer> read = new ArrayList<>();
    List<Integer> nonlinear = new ArrayList<>();
    for (String r : reads.isEmpty() ? new String[0] : reads.split(" ")) {
      int index = names.indexOf(r.replace("!", ""));
      read.add(index);
      if (r.startsWith("!")) {
        nonlinear.add(index);
      }
    }
    List<Integer> distinct = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i) == M && i != written) {
        distinct.add(i);
      }
    }
    RULES.put(key(name, types), new Rule(name, names, types, returns,
        written < 0 ? List.of() : List.of(written), List.copyOf(distinct), List.copyOf(read),
        List.copyOf(nonlinear), meaning));
  }

  /** The key of an operation among the methods a class's sweeps call. */
  static String key(String name, List<Type> types) {
    return "CommonOps_DDRM." + name + types.stream().map(Type::source).collect(Collectors.joining(",", "(", ")"));
  }

  /** Whether {@code ownerText}, as written before the dot of a call, names {@code CommonOps_DDRM}. */
  static boolean isOpsClass(String ownerText) {
    return ownerText.equals("CommonOps_DDRM") || ownerText.equals(OPS_CLASS);
  }

  /** The rule for {@code CommonOps_DDRM.name} with arguments of these types, or null. */
  static CustomAdjointMethod find(String name, List<Type> argTypes) {
    Rule r = RULES.get(key(name, argTypes));
    if (r == null) {
      return null;
    }
    List<Var> params = new ArrayList<>();
    for (int i = 0; i < r.params().size(); i++) {
      params.add(new Var(r.params().get(i), r.types().get(i), Var.Kind.PARAMETER));
    }
    return new CustomAdjointMethod(r.name(), r.name(), List.copyOf(params), r.returns(), OPS_CLASS, ADJOINTS_CLASS,
        r.written(), r.distinct(), r.reads(), r.nonlinearReads());
  }

  /** The supported operations, as a user would call them: for error messages and the README. */
  static String supported() {
    return RULES.values().stream()
        .map(r -> r.name() + "(" + String.join(", ", r.params()) + ")")
        .collect(Collectors.joining(", "));
  }
}
