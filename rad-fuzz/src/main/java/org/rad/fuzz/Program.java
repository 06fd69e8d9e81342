package org.rad.fuzz;

import java.util.List;

/**
 * One generated program: a compilation unit {@code package fz; public class <name>} with a
 * {@code @Differentiable} entry method {@code f}, and what the checker needs to call it.
 *
 * @param name the class's simple name (the generated class is {@code <name>Grad})
 * @param seed the seed it was generated from (the same seed gives the same program)
 * @param source the compilation unit
 * @param params the entry method's parameters, in order
 * @param n the length of every {@code double[]} argument (and of every matrix row)
 * @param rows the number of rows of every {@code double[][]} argument
 * @param randomized whether the entry has a {@code @Randomize} request that fraction 1 makes exact
 * @param randomizeAny whether the entry has any {@code @Randomize} request
 */
public record Program(String name, long seed, String source, List<Param> params, int n, int rows,
    boolean randomized, boolean randomizeAny) {
  public static final String PACKAGE = "fz";
  public static final String ENTRY = "f";
  /** The first line's marker; the line also holds the seed and the array sizes, for {@link #parse}. */
  static final String HEADER = "rad-fuzz program:";

  /**
   * A program read back from its source (a written failure, possibly edited by hand): the sizes
   * from the header line, the parameters and {@code wrt} from the entry's declaration.
   */
  public static Program parse(String source) {
    java.util.regex.Matcher h = java.util.regex.Pattern.compile("seed=(-?\\d+) n=(\\d+) rows=(\\d+)").matcher(source);
    java.util.regex.Matcher name = java.util.regex.Pattern.compile("public class (\\w+) ").matcher(source);
    java.util.regex.Matcher wrt = java.util.regex.Pattern.compile("@Differentiable\\(wrt = \\{([^}]*)\\}\\)\\s*static double " + ENTRY + "\\(([^()]*(?:\\([^)]*\\)[^()]*)*)\\)").matcher(source);
    if (!h.find() || !name.find() || !wrt.find()) {
      throw new IllegalArgumentException("not a rad-fuzz program (header line, class, @Differentiable(wrt = {...}) static double f(...))");
    }
    java.util.Set<String> wrtNames = new java.util.HashSet<>();
    for (String w : wrt.group(1).split(",")) {
      wrtNames.add(w.trim().replace("\"", ""));
    }
    List<Param> params = new java.util.ArrayList<>();
    for (String decl : wrt.group(2).replaceAll("@Randomize\\([^)]*\\)\\s*", "").split(",")) {
      String[] parts = decl.trim().split("\\s+");
      Param.Type type = java.util.Arrays.stream(Param.Type.values()).filter(t -> t.java.equals(parts[0])).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown parameter type " + parts[0]));
      params.add(new Param(parts[1], type, wrtNames.contains(parts[1])));
    }
    boolean any = source.contains("@Randomize");
    boolean exact = any && !source.contains("WITH_REPLACEMENT") && !source.contains("RADEMACHER");
    return new Program(name.group(1), Long.parseLong(h.group(1)), source, params, Integer.parseInt(h.group(2)),
        Integer.parseInt(h.group(3)), exact, any);
  }

  public String qualifiedName() {
    return PACKAGE + "." + name;
  }

  /** The same program under another class name (the minimizer compiles variants side by side). */
  public Program renamed(String newName) {
    return withSource(newName, source.replace("public class " + name + " ", "public class " + newName + " "));
  }

  /** This program with another source (a minimizer's variant) under {@code newName}. */
  public Program withSource(String newName, String newSource) {
    return new Program(newName, seed, newSource.replace("public class " + name + " ", "public class " + newName + " "),
        params, n, rows, randomized, randomizeAny);
  }

  /** Indices of the {@code wrt} parameters, in order. */
  public int[] wrtIndices() {
    return java.util.stream.IntStream.range(0, params.size()).filter(i -> params.get(i).wrt()).toArray();
  }
}
