package org.rad.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.CompileErrors;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.diagnostics.Reporter.TreeOrigin;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The first stage: reads the bodies of a class's {@code @Differentiable} methods, and of every
 * method of the class they call, into IR.
 */
public final class FrontEnd {
  static final String DIFFERENTIABLE = "org.rad.annotations.Differentiable";
  /**
   * Simple names of the classes that the generated code names without qualification (its imports
   * and java.lang): a user's variable of one of these names would hide the class there, so it is
   * renamed like a clash of two locals ({@code Derivatives2}).
   */
  static final Set<String> CLASS_NAMES = Set.of("Derivatives", "RadContext", "Arguments", "CounterRng", "Shadows",
      "Sampling", "CudaRuntime", "CudaSession", "DeviceArray", "EjmlAdjoints", "DMatrixRMaj", "CommonOps_DDRM",
      "Generated", "Math", "StrictMath", "Double", "Integer", "Long", "System", "Object", "String");
  /**
   * Parameter names of the generated methods themselves, and the classes they name: user
   * parameters with these names are renamed.
   */
  static final Set<String> PARAMETER_RESERVED = union(Set.of("ctx", "self"), CLASS_NAMES);
  /** Names the generated code uses for itself; user locals with these names are renamed. */
  static final Set<String> RESERVED = union(Set.of("result", "adj"), PARAMETER_RESERVED);

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  private final Trees trees;
  private final Elements elements;
  /** The EJML operations the translated methods call, by key. */
  private final Map<String, org.rad.processor.ir.CustomAdjointMethod> rulesUsed = new LinkedHashMap<>();

  public FrontEnd(Trees trees, Elements elements) {
    this.trees = trees;
    this.elements = elements;
  }

  /** A key that tells overloads apart: {@code name(double[],int)}. */
  public static String key(ExecutableElement m) {
    return m.getSimpleName() + m.getParameters().stream()
        .map(p -> p.asType().toString())
        .collect(Collectors.joining(",", "(", ")"));
  }

  /**
   * Translates the annotated methods of {@code type} and, transitively, the methods of the class
   * they call, keyed by {@link #key}. Entries come first, in source order.
   */
  public Map<String, MethodIR> translate(TypeElement type, List<ExecutableElement> entries) {
    return translateAll(type, entries).methods();
  }

  /** The translated methods and the methods with user-declared adjoints they call, by key. */
  public record Translation(Map<String, MethodIR> methods, Map<String, org.rad.processor.ir.CustomAdjointMethod> custom) {}

  /**
   * The front end's errors, with the methods that translated without one and call only such
   * methods ({@code sound}): the processor differentiates those too, so that their own errors
   * (a call of another class's method whose arguments carry a derivative, found by the activity
   * analysis) come in the same compile as the front end's, not after those are mended.
   */
  public static final class TranslationErrors extends CompileErrors {
    private final transient Translation sound;

    TranslationErrors(List<org.rad.processor.diagnostics.CompileError> errors, Translation sound) {
      super(errors);
      this.sound = sound;
    }

    public Translation sound() {
      return sound;
    }
  }

  /**
   * Like {@link #translate}, and collects the called methods with a {@code @CustomAdjoint}: their
   * bodies are not read, their adjoint's signature is checked.
   */
  public Translation translateAll(TypeElement type, List<ExecutableElement> entries) {
    ClassContext clazz = new ClassContext(type);
    Map<String, MethodIR> methods = new LinkedHashMap<>();
    Map<String, org.rad.processor.ir.CustomAdjointMethod> custom = new LinkedHashMap<>();
    Deque<ExecutableElement> work = new ArrayDeque<>(entries);
    // every method, and every statement of a method, is translated on its own, so that one
    // compile reports all the errors of the class
    CompileErrors.Collector errors = new CompileErrors.Collector();
    Set<String> seen = new java.util.HashSet<>();
    Set<String> failed = new java.util.HashSet<>();
    while (!work.isEmpty()) {
      ExecutableElement m = work.poll();
      if (!seen.add(key(m))) {
        continue;
      }
      String adjoint = CustomAdjoints.declared(m);
      if (adjoint != null && !entries.contains(m)) {
        errors.attempt(() -> custom.put(key(m), CustomAdjoints.check(clazz, m, adjoint, trees)));
        continue;
      }
      int before = errors.size();
      errors.attempt(() -> methods.put(key(m), translateMethod(clazz, m, entries.contains(m), work::add, errors)));
      if (errors.size() > before) {
        failed.add(key(m)); // (translated in part, if at all)
      }
    }
    custom.putAll(rulesUsed);
    rulesUsed.clear();
    if (!errors.isEmpty()) {
      // a recursion among the methods that did translate is an error of this compile too (the
      // differentiation, which finds it otherwise, does not run after errors)
      errors.attempt(() -> org.rad.processor.analysis.CallGraph.topologicalOrder(methods, custom.keySet()));
      org.rad.processor.analysis.CallGraph.randomizedCallees(methods).forEach(errors::add);
      throw new TranslationErrors(errors.errors(), new Translation(soundPart(methods, custom.keySet(), failed), custom));
    }
    return new Translation(methods, custom);
  }

  /** The methods not {@code failed} that call, directly or not, only such methods or custom adjoints. */
  private static Map<String, MethodIR> soundPart(Map<String, MethodIR> methods, Set<String> custom, Set<String> failed) {
    Map<String, MethodIR> sound = new LinkedHashMap<>(methods);
    sound.keySet().removeAll(failed);
    boolean changed = true;
    while (changed) {
      changed = sound.values().removeIf(m -> org.rad.processor.analysis.CallGraph.calls(m).stream()
          .anyMatch(c -> !sound.containsKey(c.key()) && !custom.contains(c.key())));
    }
    return sound;
  }

  private MethodIR translateMethod(ClassContext clazz, ExecutableElement m, boolean entry,
      java.util.function.Consumer<ExecutableElement> calleeFound, CompileErrors.Collector errors) {
    TreePath path = trees.getPath(m);
    if (path == null || !(path.getLeaf() instanceof MethodTree tree) || tree.getBody() == null) {
      boolean accessor = m.getEnclosingElement().getKind() == javax.lang.model.element.ElementKind.RECORD
          && m.getParameters().isEmpty() && m.getEnclosingElement().getEnclosedElements().stream().anyMatch(e ->
              e.getKind() == javax.lang.model.element.ElementKind.RECORD_COMPONENT && e.getSimpleName().equals(m.getSimpleName()));
      throw new CompileError(null, Message.UNKNOWN_CALL.format(m.getSimpleName() + "()", accessor
          ? "a record's accessor has no source for the processor to read; read the component's field instead ("
              + m.getSimpleName() + " rather than " + m.getSimpleName() + "())"
          : "its source is not available to the processor; write the computation in a method of this class"));
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    TreeOrigin origin = new TreeOrigin(tree, unit);
    Type returnType = ClassContext.irType(m.getReturnType());
    if (entry && returnType != Type.DOUBLE) {
      // (reported with the body's errors: a wrong signature does not hide them)
      errors.add(new CompileError(origin, Message.BAD_SIGNATURE.format(
          "@Differentiable method " + m.getSimpleName() + " must return double, not " + m.getReturnType())));
      returnType = returnType == null ? Type.DOUBLE : returnType;
    }
    boolean isStatic = ClassContext.isStatic(m);
    MethodScope scope = new MethodScope(RESERVED);
    // The receiver: an object outside the subset whose fields are read as constants.
    Var self = isStatic ? null : new Var("self", Type.VOID, Var.Kind.PARAMETER);
    List<Var> params = new ArrayList<>();
    for (VariableElement p : m.getParameters()) {
      Type t = ClassContext.irType(p.asType());
      if (t == null || t == Type.VOID) {
        // reported with the body's errors; its uses in the body are follow-on errors, not reported
        errors.add(new CompileError(new TreeOrigin(tree.getParameters().get(params.size()), unit), Message.UNSUPPORTED.format(
            "the parameter " + p.getSimpleName() + " of type " + p.asType(),
            "use parameters of type double, int, long, boolean, double[], double[][], double[][][] or int[]")));
        params.add(scope.declareParameter(p.getSimpleName().toString(), Type.VOID));
        scope.declareBroken(p.getSimpleName().toString());
        continue;
      }
      params.add(scope.declareParameter(p.getSimpleName().toString(), t));
    }
    List<Var> wrt = new ArrayList<>();
    if (entry) {
      // a wrong wrt does not hide the errors of the body
      errors.attempt(() -> wrt.addAll(wrt(m, params, origin, errors)));
    }
    String packageName = elements.getPackageOf(clazz.type()).getQualifiedName().toString();
    Library library = new Library(elements, unit, packageName);
    ExpressionTranslator expressions = new ExpressionTranslator(clazz, unit, scope, self, calleeFound, library, rulesUsed);
    KeptStatements kept = new KeptStatements(expressions, scope, clazz, library, unit, trees.getSourcePositions());
    StatementTranslator statements = new StatementTranslator(expressions, scope, returnType, errors, kept);
    RandomizeReader randomizeReader = new RandomizeReader(expressions);
    for (int k = 0; k < params.size(); k++) {
      var parameter = tree.getParameters().get(k);
      org.rad.processor.ir.RandomizeSpec spec =
          randomizeReader.read(parameter.getModifiers().getAnnotations(), params.get(k), parameter, name -> null);
      if (spec != null) {
        statements.randomized.put(params.get(k).name(), spec);
      }
    }
    Stmt.Block body = statements.block(tree.getBody());
    return new MethodIR(m.getSimpleName().toString(), isStatic, params, returnType, body,
        List.copyOf(scope.locals()), wrt, entry, origin, java.util.Map.copyOf(statements.randomized));
  }

  private static List<Var> wrt(ExecutableElement m, List<Var> params, TreeOrigin origin,
      CompileErrors.Collector errors) {
    List<String> names = new ArrayList<>();
    for (AnnotationMirror a : m.getAnnotationMirrors()) {
      if (a.getAnnotationType().toString().equals(DIFFERENTIABLE)) {
        for (var e : a.getElementValues().entrySet()) {
          if (e.getKey().getSimpleName().contentEquals("wrt")) {
            @SuppressWarnings("unchecked")
            List<? extends AnnotationValue> values = (List<? extends AnnotationValue>) e.getValue().getValue();
            for (AnnotationValue v : values) {
              names.add((String) v.getValue());
            }
          }
        }
      }
    }
    List<Var> wrt = new ArrayList<>();
    if (names.isEmpty()) {
      for (Var p : params) {
        if (p.type().isDifferentiable()) {
          wrt.add(p);
        }
      }
      if (wrt.isEmpty()) {
        throw new CompileError(origin, Message.BAD_SIGNATURE.format(
            "@Differentiable method " + m.getSimpleName() + " has no parameter of type double, double[] or double[][] to differentiate"));
      }
      return wrt;
    }
    // every wrong name is reported, not only the first
    for (String name : names) {
      int index = -1;
      for (int k = 0; k < params.size(); k++) {
        // the source's name: a parameter called ctx or self is renamed in the IR
        if (m.getParameters().get(k).getSimpleName().contentEquals(name)) {
          index = k;
        }
      }
      if (index < 0) {
        errors.add(new CompileError(origin, Message.BAD_SIGNATURE.format(
            "wrt names \"" + name + "\", but " + m.getSimpleName() + " has no such parameter")));
      } else if (params.get(index).type() == Type.VOID) {
        // a parameter outside the subset (double[][][][]): its own error, at the parameter, says it
        continue;
      } else if (!params.get(index).type().isDifferentiable()) {
        // the declared type: a parameter outside the subset has no type of the IR
        errors.add(new CompileError(origin, Message.BAD_SIGNATURE.format(
            "wrt names \"" + name + "\" of type " + m.getParameters().get(index).asType()
                + "; only double, double[], double[][] and double[][][] parameters (and DMatrixRMaj) can be differentiated")));
      } else if (wrt.contains(params.get(index))) {
        errors.add(new CompileError(origin, Message.BAD_SIGNATURE.format("wrt names \"" + name + "\" twice")));
      } else {
        wrt.add(params.get(index));
      }
    }
    return wrt;
  }
}
