package org.rad.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/** Compiles sources with the rad processor and loads the resulting classes. */
public final class Compiled {
  public final Compilation compilation;
  private final ClassLoader loader;

  private Compiled(Compilation compilation) {
    this.compilation = compilation;
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : compilation.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String path = f.toUri().getPath();
        String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(), path.length() - 6).replace('/', '.');
        try (InputStream in = f.openInputStream()) {
          classes.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    this.loader = new ClassLoader(Compiled.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
  }

  /** Compiles {@code source} (a full compilation unit of class {@code fqcn}) and expects success. */
  public static Compiled compile(String fqcn, String source) {
    Compilation c = Compiler.javac().withProcessors(new RadProcessor())
        .compile(JavaFileObjects.forSourceString(fqcn, source));
    if (c.status() != Compilation.Status.SUCCESS) {
      StringBuilder msg = new StringBuilder("compilation failed:\n");
      c.diagnostics().forEach(d -> msg.append(d).append('\n'));
      for (JavaFileObject f : c.generatedSourceFiles()) {
        try {
          msg.append(f.getCharContent(true)).append('\n');
        } catch (IOException e) {
          msg.append(e);
        }
      }
      assertWithMessage(msg.toString()).fail();
    }
    return new Compiled(c);
  }

  /** Compiles several compilation units together and expects success. */
  public static Compiled compile(JavaFileObject... sources) {
    Compilation c = Compiler.javac().withProcessors(new RadProcessor()).compile(sources);
    if (c.status() != Compilation.Status.SUCCESS) {
      StringBuilder msg = new StringBuilder("compilation failed:\n");
      c.diagnostics().forEach(d -> msg.append(d).append('\n'));
      assertWithMessage(msg.toString()).fail();
    }
    return new Compiled(c);
  }

  public static Compilation compileExpectingFailure(String fqcn, String source) {
    return compileExpectingFailure(JavaFileObjects.forSourceString(fqcn, source));
  }

  /** Compiles {@code sources} with the rad processor, whatever the outcome. */
  public static Compilation compileExpectingFailure(JavaFileObject... sources) {
    return Compiler.javac().withProcessors(new RadProcessor()).compile(sources);
  }

  public Class<?> load(String name) {
    try {
      return loader.loadClass(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  /** The generated source of {@code fqcn}. */
  /**
   * The text of the generated method whose header starts with {@code header} ({@code "static
   * double fForward"}) in {@code source}, from the header up to its closing brace.
   */
  public static String method(String source, String header) {
    String m = source.substring(source.indexOf(header + "("));
    return m.substring(0, m.indexOf("\n  }\n"));
  }

  public String generatedSource(String fqcn) {
    for (JavaFileObject f : compilation.generatedSourceFiles()) {
      if (f.toUri().getPath().endsWith(fqcn.replace('.', '/') + ".java")) {
        try {
          return f.getCharContent(true).toString();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    throw new AssertionError("no generated source " + fqcn);
  }
}
