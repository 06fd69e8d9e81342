package org.rad.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shrinks a failing program while it keeps failing the same way (same {@link Outcome}, and for
 * crashes and rejections the same exception or message id).
 *
 * <p>Each round builds every one-step variant of the current source: delete one statement line,
 * delete one block (a loop, an {@code if} with its {@code else}, a helper method), replace an
 * {@code if}/{@code else} or a loop by one of its bodies, replace the right-hand side of an
 * assignment by {@code 0.5}, drop a {@code @Randomize}. All variants are compiled in one batch and
 * checked; the shortest that fails the same way becomes the current source. It stops when no
 * variant does, or after {@code maxRounds}.
 */
public final class Minimizer {
  private static final Pattern ASSIGNMENT = Pattern.compile("^(\\s*(?:double |double\\[\\] )?[\\w\\[\\]() %+.-]+? (?:=|\\+=|-=|\\*=) )(.+);$");
  private static final Pattern RANDOMIZE = Pattern.compile("@Randomize\\([^)]*\\) ");
  private final Function<List<Program>, List<Verdict>> evaluate;
  private final int maxRounds;

  /** @param evaluate compiles and checks a batch of programs (see {@link Fuzzer#evaluateValid}) */
  public Minimizer(Function<List<Program>, List<Verdict>> evaluate, int maxRounds) {
    this.evaluate = evaluate;
    this.maxRounds = maxRounds;
  }

  /**
   * What identifies a failure class: the outcome, plus for crashes the exception and its message and
   * for compile errors the message, with the program's own names ({@code a12}, {@code v0},
   * {@code P3}) and line numbers masked, so that two programs hitting one bug share it.
   */
  static String signature(Verdict v) {
    String d = v.detail();
    String extra = "";
    if (v.outcome() == Outcome.CRASH) {
      Matcher m = Pattern.compile("throws ([\\w.$]+(: [^\\n]*)?)").matcher(d);
      extra = m.find() ? m.group(1) : d.contains("did not finish") ? "timeout" : "";
    } else if (v.outcome() == Outcome.REJECTED || v.outcome() == Outcome.INTERNAL
        || v.outcome() == Outcome.JAVAC_ERROR_IN_GENERATED_CODE) {
      extra = d.lines().findFirst().orElse("");
    }
    return v.outcome() + " " + extra.replaceAll("^\\S*\\.java:\\d+: ", "")
        .replaceAll("\\b(?:[a-z]+|[A-Z])\\d+\\b", "_").replaceAll("`[^`]*`", "`_`");
  }

  /** The smallest variant of {@code failing}'s program found that fails with the same signature. */
  public Verdict minimize(Verdict failing) {
    String wanted = signature(failing);
    Verdict best = failing;
    boolean expressions = false;
    for (int round = 0; round < maxRounds; round++) {
      List<String> variants = expressions ? expressionVariants(best.program().source()) : variants(best.program().source());
      if (variants.isEmpty()) {
        break;
      }
      List<Program> batch = new ArrayList<>();
      for (int k = 0; k < variants.size(); k++) {
        batch.add(best.program().withSource("M" + k, variants.get(k)));
      }
      List<Verdict> kept = new ArrayList<>();
      for (Verdict v : evaluate.apply(batch)) {
        if (signature(v).equals(wanted) && v.program().source().length() < best.program().source().length()) {
          kept.add(v);
        }
      }
      kept.sort(java.util.Comparator.comparingInt(v -> v.program().source().length()));
      Verdict next = kept.isEmpty() ? null : kept.get(0);
      if (kept.size() > 1) {
        // all the reductions that kept the failure, applied together where they do not overlap:
        // when that still fails the same way, a round removes many statements instead of one
        String merged = merge(best.program().source(), kept.stream().map(v -> v.program().source()).toList(), best.program().name());
        List<Verdict> together = evaluate.apply(List.of(best.program().withSource("U" + round, merged)));
        if (!together.isEmpty() && signature(together.get(0)).equals(wanted)
            && together.get(0).program().source().length() < next.program().source().length()) {
          next = together.get(0);
        }
      }
      if (next == null || next.program().source().length() >= best.program().source().length()) {
        if (expressions) {
          break;
        }
        expressions = true; // statements are done: now shrink expressions, then statements again
        continue;
      }
      best = next;
      expressions = false;
    }
    return best;
  }

  /**
   * {@code base} with the edits of all {@code variants} that do not overlap an earlier one. Each
   * variant differs from {@code base} in one run of lines (all of {@link #variants} and
   * {@link #expressionVariants} do), found as what lies between their common first and last lines.
   */
  static String merge(String base, List<String> variants, String baseName) {
    List<String> b = List.of(base.split("\n", -1));
    List<int[]> taken = new ArrayList<>();
    List<Object[]> edits = new ArrayList<>();
    for (String variant : variants) {
      String v0 = variant.replaceFirst("public class \\w+ ", "public class " + baseName + " ");
      List<String> v = List.of(v0.split("\n", -1));
      int p = 0;
      while (p < b.size() && p < v.size() && b.get(p).equals(v.get(p))) {
        p++;
      }
      int q = 0;
      while (q < b.size() - p && q < v.size() - p && b.get(b.size() - 1 - q).equals(v.get(v.size() - 1 - q))) {
        q++;
      }
      int from = p;
      int to = b.size() - q; // exclusive
      boolean overlaps = false;
      for (int[] t : taken) {
        if (from <= t[1] && t[0] <= to) {
          overlaps = true;
        }
      }
      if (!overlaps) {
        taken.add(new int[] {from, to});
        edits.add(new Object[] {from, to, v.subList(p, v.size() - q)});
      }
    }
    edits.sort((x, y) -> Integer.compare((Integer) y[0], (Integer) x[0]));
    List<String> out = new ArrayList<>(b);
    for (Object[] e : edits) {
      @SuppressWarnings("unchecked")
      List<String> with = (List<String>) e[2];
      for (int k = (Integer) e[1] - 1; k >= (Integer) e[0]; k--) {
        out.remove(k);
      }
      out.addAll((Integer) e[0], with);
    }
    return String.join("\n", out);
  }

  /** Every one-step reduction of {@code source}. */
  static List<String> variants(String source) {
    List<String> lines = List.of(source.split("\n", -1));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).trim();
      if (t.startsWith("package ") || t.startsWith("import ") || t.startsWith("public class ") || t.startsWith("@Differentiable")) {
        continue;
      }
      if (t.isEmpty() && i > 0 && lines.get(i - 1).trim().isEmpty()) {
        out.add(without(lines, i, i));
      }
      if (t.endsWith(";") && !t.matches("\\w+\\+\\+;")) { // a while loop's increment stays: without it the loop never ends
        out.add(without(lines, i, i));
        Matcher m = ASSIGNMENT.matcher(lines.get(i));
        if (m.matches() && !m.group(2).equals("0.5") && !t.startsWith("double[]")) {
          out.add(replaced(lines, i, i, List.of(m.group(1) + "0.5;")));
        }
      }
      if (t.endsWith(";")) {
        out.addAll(termDrops(lines, i));
      }
      Matcher rz = RANDOMIZE.matcher(lines.get(i));
      if (rz.find()) {
        out.add(replaced(lines, i, i, List.of(rz.replaceFirst(""))));
      }
      if (t.endsWith("{") && !t.startsWith("}")) {
        List<int[]> segments = segments(lines, i);
        if (segments.isEmpty()) {
          continue;
        }
        int end = segments.get(segments.size() - 1)[1];
        int from = i;
        if (i > 0 && lines.get(i - 1).trim().startsWith("@Differentiable")) {
          continue; // the entry method stays
        }
        out.add(without(lines, from, end));
        for (int[] s : segments) {
          out.add(replaced(lines, i, end, dedent(lines.subList(s[0] + 1, s[1]))));
        }
      }
    }
    return out;
  }

  /**
   * Every variant of {@code source} with one parenthesized group (of more than a few characters)
   * replaced by {@code 0.5}, or one {@code Math.f(e)} replaced by {@code e}. Many are not valid
   * Java (a condition replaced by a number); the evaluation drops those.
   */
  static List<String> expressionVariants(String source) {
    List<String> lines = List.of(source.split("\n", -1));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String t = line.trim();
      if (t.startsWith("static ") || t.startsWith("@") || t.startsWith("for (") || t.startsWith("while (") || t.startsWith("package")) {
        continue;
      }
      for (int open = line.indexOf('('); open >= 0; open = line.indexOf('(', open + 1)) {
        int close = matching(line, open);
        if (close < 0 || close - open < 6) {
          continue;
        }
        int nameStart = open;
        while (nameStart > 0 && (Character.isLetterOrDigit(line.charAt(nameStart - 1)) || line.charAt(nameStart - 1) == '.')) {
          nameStart--;
        }
        String callee = line.substring(nameStart, open);
        if (callee.startsWith("Math.")) {
          out.add(replaced(lines, i, i, List.of(line.substring(0, nameStart) + line.substring(open, close + 1) + line.substring(close + 1))));
        } else if (callee.isEmpty()) {
          out.add(replaced(lines, i, i, List.of(line.substring(0, open) + "0.5" + line.substring(close + 1))));
        }
      }
    }
    return out;
  }

  private static int matching(String line, int open) {
    int depth = 0;
    for (int k = open; k < line.length(); k++) {
      depth += line.charAt(k) == '(' ? 1 : line.charAt(k) == ')' ? -1 : 0;
      if (depth == 0) {
        return k;
      }
    }
    return -1;
  }

  /** Variants of line {@code i} without one of the top-level {@code +} terms of its right-hand side. */
  private static List<String> termDrops(List<String> lines, int i) {
    String line = lines.get(i);
    int start = line.indexOf("return ") >= 0 ? line.indexOf("return ") + 7 : line.indexOf(" = ") >= 0 ? line.indexOf(" = ") + 3 : -1;
    if (start < 0) {
      return List.of();
    }
    String rhs = line.substring(start, line.length() - 1);
    List<Integer> cuts = new ArrayList<>();
    int depth = 0;
    for (int k = 0; k < rhs.length(); k++) {
      char c = rhs.charAt(k);
      depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
      if (depth == 0 && rhs.startsWith(" + ", k)) {
        cuts.add(k);
      }
    }
    if (cuts.isEmpty() || rhs.contains("?")) {
      return List.of();
    }
    List<String> terms = new ArrayList<>();
    int from = 0;
    for (int c : cuts) {
      terms.add(rhs.substring(from, c));
      from = c + 3;
    }
    terms.add(rhs.substring(from));
    List<String> out = new ArrayList<>();
    for (int k = 0; k < terms.size(); k++) {
      List<String> rest = new ArrayList<>(terms);
      rest.remove(k);
      out.add(replaced(lines, i, i, List.of(line.substring(0, start) + String.join(" + ", rest) + ";")));
    }
    return out;
  }

  /** The segments (opening line, closing line) of the block opening at {@code start}: one, or an if's then and else. */
  private static List<int[]> segments(List<String> lines, int start) {
    List<int[]> segs = new ArrayList<>();
    int depth = 1;
    int open = start;
    for (int k = start + 1; k < lines.size(); k++) {
      String t = lines.get(k).trim();
      if (t.startsWith("}")) {
        depth--;
        if (depth == 0) {
          segs.add(new int[] {open, k});
          if (t.endsWith("{")) {
            depth = 1;
            open = k;
            continue;
          }
          return segs;
        }
      }
      if (t.endsWith("{")) {
        depth++;
      }
    }
    return List.of();
  }

  private static List<String> dedent(List<String> body) {
    return body.stream().map(l -> l.startsWith("  ") ? l.substring(2) : l).toList();
  }

  private static String without(List<String> lines, int from, int to) {
    return replaced(lines, from, to, List.of());
  }

  private static String replaced(List<String> lines, int from, int to, List<String> with) {
    List<String> c = new ArrayList<>(lines.subList(0, from));
    c.addAll(with);
    c.addAll(lines.subList(to + 1, lines.size()));
    return String.join("\n", c);
  }
}
