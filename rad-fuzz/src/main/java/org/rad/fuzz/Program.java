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
