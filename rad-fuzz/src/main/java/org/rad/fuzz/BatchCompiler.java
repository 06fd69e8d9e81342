package org.rad.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.rad.annotations.Differentiable;
import org.rad.processor.RadProcessor;
import org.rad.runtime.RadContext;

/**
 * Compiles many programs in one javac task, in memory, with the rad processor (or without it, to
 * check that the generator writes valid Java). When javac reports errors, each is attributed to the
 * program whose source (or whose generated {@code Grad} source) it is in; those programs get their
 * verdict and the rest are compiled again. A failure that cannot be attributed (an exception out of
 * javac, an error without a source) splits the batch in halves until it can.
 */
public final class BatchCompiler {
  private final JavaCompiler javac;
  private final boolean withProcessor;
  private final List<String> options;

  /** One program that compiled: its classes are loadable from {@code loader}. */
  public record Compiled(Program program, ClassLoader loader, String generatedSource) {}

  /** What a batch gave: the compiled programs and the verdicts of those that did not compile. */
  public record Result(List<Compiled> compiled, List<Verdict> failed) {}

  public BatchCompiler(boolean withProcessor) {
    this.javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler: run the fuzzer on a JDK, not a JRE");
    }
    this.withProcessor = withProcessor;
    Set<String> cp = new LinkedHashSet<>();
    cp.add(location(Differentiable.class));
    cp.add(location(RadContext.class));
    this.options = List.of("-classpath", String.join(File.pathSeparator, cp), "-nowarn", "-Xlint:none", "-g");
  }

  private static String location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compiles {@code programs}, recompiling without those javac rejects. */
  public Result compile(List<Program> programs) {
    List<Compiled> compiled = new ArrayList<>();
    List<Verdict> failed = new ArrayList<>();
    compileInto(programs, compiled, failed);
    return new Result(compiled, failed);
  }

  private void compileInto(List<Program> programs, List<Compiled> compiled, List<Verdict> failed) {
    List<Program> remaining = new ArrayList<>(programs);
    while (!remaining.isEmpty()) {
      Attempt a = attempt(remaining);
      if (a.thrown == null && a.errors.isEmpty()) {
        for (Program p : remaining) {
          compiled.add(new Compiled(p, a.loader, a.generated.get(p.name())));
        }
        return;
      }
      if (a.thrown == null && !a.attributed.isEmpty()) {
        for (Map.Entry<Program, Verdict> e : a.attributed.entrySet()) {
          failed.add(e.getValue());
          remaining.remove(e.getKey());
        }
        continue;
      }
      // not attributable: an exception out of javac or the processor, or errors without a source
      if (remaining.size() == 1) {
        Program p = remaining.get(0);
        String why = a.thrown != null ? stackTrace(a.thrown) : String.join("\n", a.errors);
        failed.add(Verdict.of(p, withProcessor ? Outcome.INTERNAL : Outcome.INVALID_PROGRAM, why));
        return;
      }
      int half = remaining.size() / 2;
      compileInto(remaining.subList(0, half), compiled, failed);
      compileInto(remaining.subList(half, remaining.size()), compiled, failed);
      return;
    }
  }

  private static String stackTrace(Throwable t) {
    StringBuilder s = new StringBuilder(t.toString());
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c != t) {
        s.append("\ncaused by ").append(c);
      }
      StackTraceElement[] st = c.getStackTrace();
      for (int k = 0; k < Math.min(8, st.length); k++) {
        s.append("\n  at ").append(st[k]);
      }
    }
    return s.toString();
  }

  /** One javac run over {@code programs}. */
  private static final class Attempt {
    final List<String> errors = new ArrayList<>();
    final Map<Program, Verdict> attributed = new LinkedHashMap<>();
    final Map<String, String> generated = new HashMap<>();
    Throwable thrown;
    ClassLoader loader;
  }

  private Attempt attempt(List<Program> programs) {
    Attempt a = new Attempt();
    Map<JavaFileObject, Program> bySource = new IdentityHashMap<>();
    Map<String, Program> byName = new HashMap<>();
    List<JavaFileObject> units = new ArrayList<>();
    for (Program p : programs) {
      JavaFileObject f = new Source(p.qualifiedName(), p.source());
      bySource.put(f, p);
      byName.put(p.name(), p);
      units.add(f);
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
    MemoryFileManager files = new MemoryFileManager(standard);
    try {
      JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics,
          withProcessor ? options : concat(options, "-proc:none"), null, units);
      if (withProcessor) {
        task.setProcessors(List.<Processor>of(new RadProcessor()));
      }
      task.call();
    } catch (Throwable t) {
      a.thrown = t;
      return a;
    }
    for (Map.Entry<String, Output> e : files.sources.entrySet()) {
      a.generated.put(programName(e.getKey()), e.getValue().text());
    }
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      String msg = (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ") + d.getMessage(Locale.ROOT);
      a.errors.add(msg);
      JavaFileObject src = d.getSource();
      Program p = src == null ? null : bySource.get(src);
      if (p != null) {
        Outcome o = !withProcessor ? Outcome.INVALID_PROGRAM
            : msg.contains("[RadInternal]") ? Outcome.INTERNAL
            : msg.contains("[RadBiased]") && p.randomizeAny() ? Outcome.REJECTED_AS_DOCUMENTED
            : msg.contains("[Rad") ? Outcome.REJECTED : Outcome.INVALID_PROGRAM;
        note(a, p, o, msg);
      } else if (src instanceof Output out) {
        Program q = byName.get(programName(out.className));
        if (q != null) {
          note(a, q, Outcome.JAVAC_ERROR_IN_GENERATED_CODE, msg);
        }
      }
    }
    if (a.errors.isEmpty()) {
      Map<String, byte[]> classes = new HashMap<>();
      files.classes.forEach((name, o) -> classes.put(name, o.bytes.toByteArray()));
      a.loader = new MemoryClassLoader(classes, BatchCompiler.class.getClassLoader());
    }
    return a;
  }

  /** The simple name of the program a (generated) class belongs to: {@code fz.P3Grad} is P3's. */
  private static String programName(String className) {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    return simple.endsWith("Grad") ? simple.substring(0, simple.length() - 4) : simple;
  }

  private static void note(Attempt a, Program p, Outcome o, String msg) {
    Verdict previous = a.attributed.get(p);
    if (previous == null) {
      a.attributed.put(p, Verdict.of(p, o, msg));
    } else if (previous.detail().length() < 4000) {
      // keep the first error's outcome; add the others' messages
      a.attributed.put(p, Verdict.of(p, previous.outcome(), previous.detail() + "\n" + msg));
    }
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> c = new ArrayList<>(a);
    c.add(b);
    return c;
  }

  /** A compilation unit held in memory. */
  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String qualifiedName, String text) {
      super(URI.create("mem:///" + qualifiedName.replace('.', '/') + ".java"), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  /** A class file or generated source that javac (or the processor's Filer) writes, kept in memory. */
  private static final class Output extends SimpleJavaFileObject {
    final String className;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Output(String className, Kind kind) {
      super(URI.create("mem:///out/" + className.replace('.', '/') + kind.extension), kind);
      this.className = className;
    }

    @Override
    public OutputStream openOutputStream() {
      bytes.reset();
      return bytes;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text();
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Sends class files and generated sources to memory; everything else to the standard manager. */
  private static final class MemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {
    final Map<String, Output> sources = new LinkedHashMap<>();
    final Map<String, Output> classes = new LinkedHashMap<>();

    MemoryFileManager(StandardJavaFileManager standard) {
      super(standard);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      Output o = new Output(className, kind);
      (kind == JavaFileObject.Kind.SOURCE ? sources : classes).put(className, o);
      return o;
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
      return a == b || (!(a instanceof Output) && !(b instanceof Output) && super.isSameFile(a, b));
    }

    @Override
    public FileObject getFileForOutput(Location location, String packageName, String relativeName, FileObject sibling) throws IOException {
      if (location == StandardLocation.CLASS_OUTPUT || location == StandardLocation.SOURCE_OUTPUT) {
        return new Output(packageName + "." + relativeName, JavaFileObject.Kind.OTHER);
      }
      return super.getFileForOutput(location, packageName, relativeName, sibling);
    }
  }

  /** Loads the classes of one batch; a fresh loader per batch, so that names can repeat across batches. */
  private static final class MemoryClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    MemoryClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
      super(parent);
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = classes.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }
  }
}
