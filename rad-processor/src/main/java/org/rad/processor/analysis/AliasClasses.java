package org.rad.processor.analysis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Var;

/**
 * Partitions a method's array variables into classes that may refer to the same array object (or to
 * rows of it): variables tied by reference assignments ({@code tmp = a; a = b; b = tmp;}), row
 * references ({@code double[] row = m[i];}), and call results that may be an argument. Writes
 * through any member are writes to the class; activity and recording are decided per class.
 */
public final class AliasClasses {
  /** Prefix of the members that stand for field arrays (never a variable name). */
  private static final String FIELD = "@";
  private final Map<String, String> parent = new HashMap<>();

  /** Builds the classes of {@code method}, using callee summaries for call results. */
  public static AliasClasses of(MethodIR method, Map<String, MethodSummary> summaries) {
    return of(method, summaries, List.of());
  }

  /**
   * Builds the classes of {@code method} where each of {@code sameParams} (groups of parameter
   * names) may be one array at run time: the variant a caller runs when it passes one array twice.
   */
  public static AliasClasses of(MethodIR method, Map<String, MethodSummary> summaries, List<List<String>> sameParams) {
    AliasClasses classes = new AliasClasses();
    for (Var p : method.params()) {
      if (p.type().isArray()) {
        classes.find(p.name());
      }
    }
    for (List<String> group : sameParams) {
      for (String p : group) {
        classes.union(group.get(0), p);
      }
    }
    Statements.forEach(method.body(), s -> {
      if (s instanceof Stmt.Declare d && d.var().type().isArray() && d.init() != null) {
        classes.tie(d.var(), d.init(), summaries);
      } else if (s instanceof Stmt.Assign a && a.target() instanceof Expr.Ref r && r.type().isArray()) {
        classes.tie(r.var(), a.value(), summaries);
      }
    });
    return classes;
  }

  private void tie(Var target, Expr value, Map<String, MethodSummary> summaries) {
    find(target.name());
    for (String source : sources(value, summaries)) {
      union(target.name(), source);
    }
  }

  /** The array variables whose objects (or rows) {@code value} may evaluate to. */
  private static List<String> sources(Expr value, Map<String, MethodSummary> summaries) {
    if (value instanceof Expr.Ref r) {
      return List.of(r.var().name());
    }
    if (value instanceof Expr.FieldRead f) {
      return List.of(FIELD + f.name());
    }
    if (value instanceof Expr.Index ix) {
      Expr root = ix;
      while (root instanceof Expr.Index i) {
        root = i.array();
      }
      return root instanceof Expr.FieldRead f ? List.of(FIELD + f.name()) : sources(root, summaries);
    }
    if (value instanceof Expr.Conditional c) {
      List<String> all = new java.util.ArrayList<>(sources(c.whenTrue(), summaries));
      all.addAll(sources(c.whenFalse(), summaries));
      return all;
    }
    if (value instanceof Expr.MethodCall call) {
      MethodSummary callee = summaries.get(call.key());
      List<String> all = new java.util.ArrayList<>();
      for (int i = 0; i < call.args().size(); i++) {
        if (callee == null || callee.mayReturnParam(i)) {
          all.addAll(sources(call.args().get(i), summaries));
        }
      }
      if (callee != null) {
        callee.returnsFields().forEach(f -> all.add(FIELD + f));
      }
      return all;
    }
    return List.of(); // new arrays, clones, literals: fresh objects
  }

  private void union(String a, String b) {
    String ra = find(a);
    String rb = find(b);
    if (!ra.equals(rb)) {
      parent.put(ra, rb);
    }
  }

  /** What {@link #find} gives for no variable: the class of nothing, which no variable is in. */
  private static final String NO_VARIABLE = "<no variable>";

  /**
   * The representative of the class of array variable {@code name}; for null (the root of an
   * element of a field array, {@code B[i]}, has no variable) a class no variable is in, and
   * nothing is added (a null member made every later walk of the classes fail).
   */
  public String find(String name) {
    if (name == null) {
      return NO_VARIABLE;
    }
    String p = parent.get(name);
    if (p == null) {
      parent.put(name, name);
      return name;
    }
    if (p.equals(name)) {
      return name;
    }
    String root = find(p);
    parent.put(name, root);
    return root;
  }

  /**
   * The field array that a member of {@code name}'s class may refer to (a local tied to a field,
   * {@code double[] w = weights;}), or null. Fields are constants to the sweeps, so nothing may
   * write into them.
   */
  public String field(String name) {
    String root = find(name);
    for (String member : List.copyOf(parent.keySet())) {
      if (member.startsWith(FIELD) && find(member).equals(root)) {
        return member.substring(FIELD.length());
      }
    }
    return null;
  }

  /** All the fields that share storage with {@code name}, by name (none: empty). */
  public java.util.Set<String> fields(String name) {
    String root = find(name);
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String member : List.copyOf(parent.keySet())) {
      if (member.startsWith(FIELD) && find(member).equals(root)) {
        out.add(member.substring(FIELD.length()));
      }
    }
    return out;
  }

  /** Whether {@code name} is the only variable of its class (no other may refer to its arrays). */
  public boolean isAlone(String name) {
    if (name == null) {
      return false;
    }
    String root = find(name);
    for (String member : List.copyOf(parent.keySet())) {
      if (!member.equals(name) && find(member).equals(root)) {
        return false;
      }
    }
    return true;
  }

  /** Whether two array variables may share storage. */
  public boolean sameClass(String a, String b) {
    return find(a).equals(find(b));
  }

  /** The key under which reads and writes of the contents of {@code name}'s class are tracked. */
  public String contentsKey(String name) {
    return "#" + find(name);
  }
}
