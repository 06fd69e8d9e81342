package org.rad.processor;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated source of three representative methods, compared with golden files in
 * {@code src/test/resources/golden/}: a scalar function, a loop that overwrites array elements,
 * and a call of a helper. They are there to be read: a change of the generated code shows up in
 * review as a diff of these files. Regenerate them with
 * {@code mvn -pl rad-processor test -Dtest=GoldenTest -Drad.updateGolden=true}.
 */
class GoldenTest {
  static final String UPDATE = "rad.updateGolden";

  /** A user class and the generated class compared with {@code golden/<name>Grad.java}. */
  record Golden(String name, String source) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Golden> cases() {
    return Stream.of(
        new Golden("Scalar", """
            package golden;

            import org.rad.annotations.Differentiable;

            public class Scalar {
              @Differentiable
              public static double f(double x, double y) {
                double s = x * y + Math.sin(x);
                return s * s;
              }
            }
            """),
        new Golden("Smoothing", """
            package golden;

            import org.rad.annotations.Differentiable;

            public class Smoothing {
              /** Repeatedly smooths u in place and returns its energy. */
              @Differentiable(wrt = "u")
              public static double smooth(double[] u, double alpha, int steps) {
                for (int t = 0; t < steps; t++) {
                  for (int i = 1; i < u.length - 1; i++) {
                    u[i] = u[i] + alpha * (u[i - 1] - 2 * u[i] + u[i + 1]) * u[i];
                  }
                }
                double energy = 0;
                for (double v : u) {
                  energy += v * v;
                }
                return energy;
              }
            }
            """),
        new Golden("Helper", """
            package golden;

            import org.rad.annotations.Differentiable;

            public class Helper {
              static double dot(double[] a, double[] b) {
                double s = 0;
                for (int i = 0; i < a.length; i++) {
                  s += a[i] * b[i];
                }
                return s;
              }

              @Differentiable
              public static double cosine(double[] a, double[] b) {
                return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
              }
            }
            """));
  }

  /** Where the golden files live in the source tree (the module directory is surefire's basedir). */
  static Path goldenDirectory() {
    String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
    return Path.of(basedir, "src", "test", "resources", "golden");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generatedSourceMatchesGolden(Golden g) throws IOException {
    String generated = Compiled.compile("golden." + g.name(), g.source()).generatedSource("golden." + g.name() + "Grad");
    Path file = goldenDirectory().resolve(g.name() + "Grad.java");
    String regenerate = "If the change is intended, regenerate the golden files with\n"
        + "  mvn -pl rad-processor test -Dtest=GoldenTest -D" + UPDATE + "=true\n"
        + "and review the diff of " + file + " before committing it.";
    if (Boolean.getBoolean(UPDATE)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, generated, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      fail("There is no golden file " + file + " for the generated " + g.name() + "Grad.\n" + regenerate);
    }
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    if (!expected.equals(generated)) {
      fail("The generated " + g.name() + "Grad differs from " + file + ":\n" + firstDifference(expected, generated)
          + "\n" + regenerate);
    }
  }

  /** The first line where the two texts differ, with a little context. */
  static String firstDifference(String expected, String actual) {
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    int k = 0;
    while (k < e.size() && k < a.size() && e.get(k).equals(a.get(k))) {
      k++;
    }
    StringBuilder out = new StringBuilder("first difference at line " + (k + 1) + ":\n");
    for (int j = Math.max(0, k - 2); j < Math.min(Math.max(e.size(), a.size()), k + 3); j++) {
      out.append(String.format("  golden    %4d | %s%n", j + 1, j < e.size() ? e.get(j) : "<end>"));
      out.append(String.format("  generated %4d | %s%n", j + 1, j < a.size() ? a.get(j) : "<end>"));
    }
    return out.toString();
  }
}
