package org.rad.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import org.rad.processor.cuda.CudaPlan;
import org.rad.processor.cuda.CudaPlanner;
import org.rad.processor.diagnostics.CompileError;
import org.rad.processor.diagnostics.CompileErrors;
import org.rad.processor.diagnostics.Message;
import org.rad.processor.diagnostics.Reporter;
import org.rad.processor.emit.GradClassWriter;
import org.rad.processor.frontend.FrontEnd;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;
import org.rad.processor.transform.ClassDifferentiator;
import org.rad.processor.transform.DifferentiatedMethod;

/**
 * The rad annotation processor: for every class with {@code @Differentiable} methods it writes
 * {@code <Class>Grad} (nested classes: {@code Outer_InnerGrad}) with their gradients.
 *
 * <p>Per class it runs the pipeline front end, differentiation and emission; an unsupported
 * construct or any internal failure is reported as an error at its line (or at the method) and
 * nothing is written for that class. Nothing ever escapes {@link #process}.
 */
@AutoService(Processor.class)
public final class RadProcessor extends AbstractProcessor {
  private Trees trees;
  private Reporter reporter;

  /**
   * Every annotation of {@code org.rad.annotations}, and the {@code @Generated} this processor puts
   * on the classes it writes (javac reads them in the next round), all of which {@link #process}
   * claims: an unclaimed annotation is a warning under {@code -Xlint:processing}, so
   * {@code -Xlint:all -Werror} builds would fail. No processor has a use for the rad annotations,
   * and {@code @Generated} (source retention) is a marker for people and linters, not processors.
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("org.rad.annotations.*", "javax.annotation.processing.Generated");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    trees = treesOf(env);
    reporter = new Reporter(env.getMessager(), trees);
  }

  /**
   * The javac Trees of {@code env}. Build tools sometimes wrap the environment; the processor
   * needs javac's own to read method bodies, so it tries to unwrap a delegate first.
   */
  static Trees treesOf(ProcessingEnvironment env) {
    try {
      return Trees.instance(env);
    } catch (IllegalArgumentException notJavac) {
      for (String field : new String[] {"delegate", "processingEnv", "env"}) {
        try {
          java.lang.reflect.Field f = env.getClass().getDeclaredField(field);
          f.setAccessible(true);
          Object inner = f.get(env);
          if (inner instanceof ProcessingEnvironment p && p != env) {
            return treesOf(p);
          }
        } catch (ReflectiveOperationException | RuntimeException ignored) {
          // try the next name
        }
      }
      return null;
    }
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement("org.rad.annotations.Differentiable");
    if (annotation == null) {
      return true;
    }
    Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (e.getKind() != ElementKind.METHOD) {
        continue;
      }
      byClass.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>()).add((ExecutableElement) e);
    }
    if (byClass.isEmpty()) {
      return true;
    }
    if (trees == null) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, Message.INTERNAL.format("@Differentiable methods",
          "the rad processor reads method bodies through the javac Trees API and must run inside javac; this build tool's compiler does not provide it"));
      return true;
    }
    for (var entry : byClass.entrySet()) {
      processClass(entry.getKey(), entry.getValue());
    }
    return true;
  }

  private void processClass(TypeElement type, List<ExecutableElement> entries) {
    String unreachable = unreachable(type);
    if (unreachable != null) {
      reporter.error(type, Message.INACCESSIBLE.format(unreachable));
      return;
    }
    try {
      FrontEnd.Translation translation;
      try {
        translation = new FrontEnd(trees, processingEnv.getElementUtils()).translateAll(type, entries);
      } catch (FrontEnd.TranslationErrors e) {
        throw withLaterErrors(e);
      }
      Map<String, MethodIR> translated = translation.methods();
      // The kernels are planned on sweeps in the shapes the planner reads (no bulk row records,
      // merged increments, hoisted invariants or kept intermediates: see ClassDifferentiator);
      // the CPU code, and so the CPU fallback, stays the plain CPU path, with adjoints of double
      // parameters handed back through the context as the kernels' host code expects.
      boolean forDevice = entries.stream().anyMatch(RadProcessor::targetsCuda);
      if (forDevice) {
        rejectTensors(translated);
      }
      Map<String, DifferentiatedMethod> methods =
          ClassDifferentiator.differentiate(translated, translation.custom(), false, !forDevice);
      Map<String, DifferentiatedMethod> deviceMethods =
          forDevice ? ClassDifferentiator.differentiate(translated, translation.custom(), true) : methods;
      for (DifferentiatedMethod m : methods.values()) {
        for (DifferentiatedMethod.Note note : m.notes()) {
          reporter.warning(note.origin(), type, note.message());
        }
      }
      if (forDevice) {
        rejectKeptStatements(deviceMethods);
      }
      ClassName user = ClassName.get(type);
      Map<String, CudaPlan> cuda = new LinkedHashMap<>();
      for (ExecutableElement e : entries) {
        if (!targetsCuda(e)) {
          continue;
        }
        for (DifferentiatedMethod m : deviceMethods.values()) {
          if (m.method().entry() && m.method().name().contentEquals(e.getSimpleName()) && sameParameters(m, e)) {
            cuda.put(m.callee().name(), CudaPlanner.plan(m, deviceMethods.values()));
          }
        }
      }
      JavaFile file = new GradClassWriter(user, gradClassName(type))
          .write(methods, ClassDifferentiator.customHelpers(translated, translation.custom()), cuda, type);
      file.writeTo(processingEnv.getFiler());
    } catch (CompileError e) {
      reporter.error(e.origin(), entries.get(0), e.getMessage());
    } catch (CompileErrors e) {
      for (CompileError error : e.errors()) {
        reporter.error(error.origin(), entries.get(0), error.getMessage());
      }
    } catch (javax.annotation.processing.FilerException e) {
      // the generated class's name is taken: by a class of the user's (CGrad beside C), or by the
      // generated class of another (Outer.Foo and a top-level Outer_Foo both give Outer_FooGrad)
      reporter.error(type, Message.BAD_SIGNATURE.format("the class rad generates for " + type.getSimpleName() + ", "
          + gradClassName(type) + ", cannot be written: its name is taken (" + e.getMessage() + "), by a class of"
          + " yours or by the generated class of another (Outer.Foo and a top-level Outer_Foo both give Outer_FooGrad);"
          + " rename one of them"));
    } catch (IOException e) {
      reporter.error(type, Message.INTERNAL.format(type.getSimpleName(), "could not write the generated class: " + e.getMessage()));
    } catch (RuntimeException | AssertionError | StackOverflowError | LinkageError e) {
      // anything but a fatal VM error becomes an error on the class, never a javac crash
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      reporter.error(type, Message.INTERNAL.format(type.getSimpleName(), e + "\n" + trace));
    }
  }

  /**
   * The front end's errors and those the differentiation finds in the methods that translated
   * cleanly (with all they call): one compile reports a call of another class's method that
   * carries a derivative in one method beside an {@code assert} in another (found by a user-style
   * round: the second error appeared only once the first was mended). The differentiation of that
   * part is only asked for its errors; anything else it throws is left to the next compile.
   */
  private static CompileErrors withLaterErrors(FrontEnd.TranslationErrors e) {
    List<CompileError> all = new ArrayList<>(e.errors());
    if (!e.sound().methods().isEmpty()) {
      List<CompileError> later = new ArrayList<>();
      try {
        ClassDifferentiator.differentiate(e.sound().methods(), e.sound().custom(), false, true);
      } catch (CompileErrors errors) {
        later.addAll(errors.errors());
      } catch (CompileError error) {
        later.add(error);
      } catch (RuntimeException | AssertionError | StackOverflowError ignored) {
        // (an internal error of a part of the class would hide nothing the front end found)
      }
      // (a recursion the front end reported already is found again)
      java.util.function.Function<CompileError, String> id = x -> x.getMessage() + "@"
          + (x.origin() == null ? null : x.origin().sourceText());
      Set<String> reported = new java.util.HashSet<>();
      all.forEach(x -> reported.add(id.apply(x)));
      later.stream().filter(x -> reported.add(id.apply(x))).forEach(all::add);
    }
    return new CompileErrors(all);
  }

  /**
   * Statements kept as they are (printing, string building) cannot run in a GPU kernel, and the
   * kernel planner does not read them: in a class with a {@code Target.CUDA} method they are errors.
   */
  private static void rejectKeptStatements(Map<String, DifferentiatedMethod> methods) {
    CompileErrors.Collector errors = new CompileErrors.Collector();
    for (DifferentiatedMethod m : methods.values()) {
      org.rad.processor.analysis.Statements.forEach(m.method().body(), s -> {
        if (s instanceof org.rad.processor.ir.Stmt.Opaque) {
          errors.add(new CompileError(s.origin(), Message.CUDA.format("this statement, which prints or builds strings,",
              "a class with a Target.CUDA method keeps no such statement; remove it, or move the method that has it to another class")));
        }
      });
    }
    errors.throwIfAny();
  }

  /**
   * The kernel planner and the device arrays know {@code double[]} and {@code double[][]} only: in
   * a class with a {@code Target.CUDA} method a {@code double[][][]} parameter or local is an error
   * at its declaration (a parameter's at its method).
   */
  private static void rejectTensors(Map<String, MethodIR> methods) {
    CompileErrors.Collector errors = new CompileErrors.Collector();
    String instead = "a class with a Target.CUDA method uses double[] and double[][] arrays only; keep the slices in a"
        + " double[][] of (slices x rows) rows, or a flat double[] indexed by a helper, or move the method to another class";
    for (MethodIR m : methods.values()) {
      for (Var p : m.params()) {
        if (p.type() == Type.DOUBLE_TENSOR) {
          errors.add(new CompileError(m.origin(), Message.CUDA.format("the double[][][] parameter " + p.name() + " of " + m.name(), instead)));
        }
      }
      org.rad.processor.analysis.Statements.forEach(m.body(), s -> {
        if (s instanceof Stmt.Declare d && d.var().type() == Type.DOUBLE_TENSOR) {
          errors.add(new CompileError(s.origin(), Message.CUDA.format("the double[][][] local " + d.var().name(), instead)));
        }
      });
    }
    errors.throwIfAny();
  }

  /** Whether the translated method has the parameter types of {@code e} (overloads differ there). */
  private static boolean sameParameters(DifferentiatedMethod m, ExecutableElement e) {
    if (m.method().params().size() != e.getParameters().size()) {
      return false;
    }
    for (int k = 0; k < e.getParameters().size(); k++) {
      String declared = e.getParameters().get(k).asType().toString();
      String simple = declared.substring(declared.lastIndexOf('.') + 1);
      if (!simple.equals(m.method().params().get(k).type().source())) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code @Differentiable(target = Target.CUDA)} is on {@code method}. */
  private static boolean targetsCuda(ExecutableElement method) {
    for (var mirror : method.getAnnotationMirrors()) {
      if (!mirror.getAnnotationType().toString().equals("org.rad.annotations.Differentiable")) {
        continue;
      }
      for (var entry : mirror.getElementValues().entrySet()) {
        if (entry.getKey().getSimpleName().contentEquals("target")
            && entry.getValue().getValue().toString().equals("CUDA")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Why the generated class, a top-level class of the same package, could not refer to
   * {@code type}; null if it can.
   */
  static String unreachable(TypeElement type) {
    for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getNestingKind() == NestingKind.LOCAL || t.getNestingKind() == NestingKind.ANONYMOUS) {
        return "the class " + type.getSimpleName() + " is declared inside a method, so the generated class cannot refer to it;"
            + " declare it as a (static) member class or a top-level class";
      }
      if (t.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)) {
        return "the class " + t.getSimpleName() + " is private, so the generated " + gradClassName(type).simpleName()
            + " cannot refer to it; make it package-private";
      }
    }
    return null;
  }

  /** {@code FooGrad} for {@code Foo}; {@code Outer_InnerGrad} for a nested {@code Outer.Inner}. */
  static ClassName gradClassName(TypeElement type) {
    StringBuilder name = new StringBuilder(type.getSimpleName());
    Element e = type;
    while (e instanceof TypeElement t && t.getNestingKind() == NestingKind.MEMBER) {
      e = t.getEnclosingElement();
      name.insert(0, e.getSimpleName() + "_");
    }
    ClassName user = ClassName.get(type);
    return ClassName.get(user.packageName(), name + "Grad");
  }
}
