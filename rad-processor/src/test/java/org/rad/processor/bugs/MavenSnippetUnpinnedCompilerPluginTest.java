package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Bug: the README's Maven snippet gave maven-compiler-plugin no version, so Maven 3.8 took 3.1,
 * which compiles for Java 5 and, with source/target set, skips the processor without a word. The
 * snippet now pins the version the project builds with and sets {@code release}; and
 * {@code examples/consumer/pom.xml}, which CI builds ({@code .ci/run}) after installing the
 * artifacts, must hold the snippet verbatim (up to indentation), so the two cannot drift apart.
 */
class MavenSnippetUnpinnedCompilerPluginTest {
  /** The repository root: surefire runs in the module's folder. */
  private static final Path ROOT = Path.of("..");

  @Test
  void snippetPinsTheCompilerPluginAndSetsRelease() throws IOException {
    String snippet = String.join("\n", snippet());
    Matcher plugin = Pattern.compile("<artifactId>maven-compiler-plugin</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(snippet);
    assertWithMessage("the README's maven-compiler-plugin has a <version>:\n" + snippet).that(plugin.find()).isTrue();
    assertThat(plugin.group(1)).isEqualTo(projectCompilerPluginVersion());
    assertThat(snippet).containsMatch("<release>(1[7-9]|[2-9][0-9])</release>");
    Matcher rad = Pattern.compile("<groupId>org.rad</groupId>\\s*<artifactId>rad-[a-z]+</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(snippet);
    int found = 0;
    while (rad.find()) {
      found++;
      assertWithMessage("rad's version in the README").that(rad.group(1)).isEqualTo(projectVersion());
    }
    assertThat(found).isEqualTo(3);
  }

  @Test
  void consumerPomHoldsTheSnippet() throws IOException {
    List<String> pom = trimmed(Files.readAllLines(ROOT.resolve("examples/consumer/pom.xml")));
    List<List<String>> parts = new ArrayList<>();
    parts.add(new ArrayList<>());
    for (String line : snippet()) {
      if (line.equals("...")) {
        parts.add(new ArrayList<>());
      } else {
        parts.get(parts.size() - 1).add(line);
      }
    }
    assertThat(parts).hasSize(2);
    for (List<String> part : parts) {
      assertWithMessage("examples/consumer/pom.xml holds the README's lines\n" + String.join("\n", part))
          .that(java.util.Collections.indexOfSubList(pom, part)).isAtLeast(0);
    }
  }

  /** The lines (trimmed) of the xml block under "### Wiring the processor" in README.md. */
  private static List<String> snippet() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int section = readme.indexOf("### Wiring the processor");
    assertThat(section).isAtLeast(0);
    int start = readme.indexOf("```xml\n", section) + "```xml\n".length();
    int end = readme.indexOf("```", start);
    return trimmed(List.of(readme.substring(start, end).split("\n")));
  }

  private static List<String> trimmed(List<String> lines) {
    return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static String projectVersion() throws IOException {
    Matcher m = Pattern.compile("<artifactId>rad-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String projectCompilerPluginVersion() throws IOException {
    Matcher m = Pattern.compile("<artifactId>maven-compiler-plugin</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
