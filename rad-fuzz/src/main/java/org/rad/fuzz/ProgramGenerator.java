package org.rad.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Writes random Java programs in rad's documented subset, deterministically from a seed.
 *
 * <p>A program is a class with a few helpers (returning a {@code double}, returning a fresh
 * {@code double[]}, or writing into an array parameter) and an entry method {@code f} marked
 * {@code @Differentiable}. Every {@code double[]} has the same length {@code n} and every
 * {@code double[][]} is {@code rows x n}, so an index drawn for one array is in bounds for all of
 * its kind: indices are loop variables over {@code .length}, constants, or {@code (i + 1) % a.length}.
 * Values stay bounded (assignments in loops go through a squashing function, divisors are
 * {@code 1 + t * t}, {@code exp}/{@code log}/{@code sqrt} get arguments in their smooth domain),
 * so the checker's central differences are meaningful.
 *
 * <p>Every statement sits on its own line and every block closes on a line of its own, which is
 * what {@link Minimizer} relies on to delete statements.
 */
public final class ProgramGenerator {
  private final FeatureMix mix;

  public ProgramGenerator(FeatureMix mix) {
    this.mix = mix;
  }

  /** The program for {@code seed}, as class {@code fz.<name>}. The same seed gives the same program. */
  public Program generate(long seed, String name) {
    return new Gen(mix, seed, name).program();
  }

  private enum T { DOUBLE, INT, BOOL, VEC, MAT }

  /** Which arrays an int variable indexes: matrix rows, vector elements (and columns), or none. */
  private enum Idx { ROW, COL, NONE }

  private record Var(String name, T type, Idx idx, boolean assignable) {}

  private enum HelperKind { SCALAR, ARRAY, WRITER }

  private record Helper(String name, HelperKind kind, List<T> params) {}

  /** The state of one program's generation. */
  private static final class Gen {
    private final FeatureMix mix;
    private SplittableRandom r;
    /** The stream the in-place loops are drawn from (see {@link Feature#IN_PLACE}). */
    private final SplittableRandom side;
    /** The stream the indirect-index loops are drawn from (see {@link Feature#INDIRECT}). */
    private final SplittableRandom indirectSide;
    /** The stream the {@code while} loops over rows are drawn from (see {@link Feature#WHILE_ROWS}). */
    private final SplittableRandom whileRowsSide;
    /** The stream that decides which leaves read a constant table (see {@link Feature#FIELDS}). */
    private final SplittableRandom fieldSide;
    /** The stream the eliminations and flat tables are drawn from (see {@link Feature#ROW_PAIRS}). */
    private final SplittableRandom rowPairsSide;
    /** The stream that decides which indices are computed from values (see {@link Feature#DATA_INDEX}). */
    private final SplittableRandom dataIndexSide;
    /** The stream that decides which {@code while} bodies copy their counter into a local index. */
    private final SplittableRandom counterCopySide;
    /** The stream that decides which {@code while} loops are written as C code writes them (see {@link #whileLoop}). */
    private final SplittableRandom cStyleSide;
    /** The stream that decides which {@code if}/{@code else} statements are switches instead (see {@link Feature#SWITCH}). */
    private final SplittableRandom switchSide;
    /** The loop depth at the innermost switch case being written (-1: none); a break there would leave the switch. */
    private int switchLoops = -1;
    private final long seed;
    private final String name;
    private final StringBuilder out = new StringBuilder();
    private final List<List<Var>> scopes = new ArrayList<>();
    private final List<Helper> helpers = new ArrayList<>();
    private final int n;
    private final int rows;
    private int indent;
    private int counter;
    private int budget;
    private int depth;
    /** Loop nesting: for each enclosing loop, whether {@code continue} is safe there. */
    private final List<Boolean> loops = new ArrayList<>();
    /** What a {@code return} in the current method must look like; null: none allowed. */
    private String returnKind;
    private boolean inEntry;
    private boolean randomizePlaced;
    private boolean randomizeExact;

    Gen(FeatureMix mix, long seed, String name) {
      this.mix = mix;
      this.seed = seed;
      this.name = name;
      this.r = new SplittableRandom(seed);
      this.side = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
      this.indirectSide = new SplittableRandom(seed ^ 0x632BE59BD9B4E019L);
      this.whileRowsSide = new SplittableRandom(seed ^ 0x94D049BB133111EBL);
      this.rowPairsSide = new SplittableRandom(seed ^ 0xD6E8FEB86659FD93L);
      this.cStyleSide = new SplittableRandom(seed ^ 0xA0761D6478BD642FL);
      this.fieldSide = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
      this.dataIndexSide = new SplittableRandom(seed ^ 0x5851F42D4C957F2DL);
      this.counterCopySide = new SplittableRandom(seed ^ 0x3C6EF372FE94F82BL);
      this.switchSide = new SplittableRandom(seed ^ 0x1B873593CC9E2D51L);
      this.n = 2 + r.nextInt(3);
      this.rows = 2 + r.nextInt(2);
    }

    Program program() {
      line("// " + Program.HEADER + " seed=" + seed + " n=" + n + " rows=" + rows);
      line("package " + Program.PACKAGE + ";");
      line("");
      line("import org.rad.annotations.Differentiable;");
      line("import org.rad.annotations.Randomize;");
      line("import org.rad.annotations.Sampling;");
      line("");
      line("public class " + name + " {");
      indent++;
      if (mix.has(Feature.FIELDS)) {
        constantTables();
      }
      int helperCount = r.nextInt(4);
      for (int h = 0; h < helperCount; h++) {
        helper();
      }
      List<Param> params = entry();
      indent--;
      line("}");
      return new Program(name, seed, out.toString(), params, n, rows, randomizePlaced && randomizeExact, randomizePlaced);
    }

    // ---- methods -------------------------------------------------------------------------------

    private void helper() {
      List<HelperKind> kinds = new ArrayList<>();
      if (mix.has(Feature.HELPER_SCALAR)) {
        kinds.add(HelperKind.SCALAR);
      }
      if (mix.has(Feature.HELPER_ARRAY)) {
        kinds.add(HelperKind.ARRAY);
      }
      if (mix.has(Feature.HELPER_WRITER)) {
        kinds.add(HelperKind.WRITER);
      }
      if (kinds.isEmpty()) {
        return;
      }
      HelperKind kind = kinds.get(r.nextInt(kinds.size()));
      String hname = switch (kind) {
        case SCALAR -> "s";
        case ARRAY -> "a";
        case WRITER -> "w";
      } + helpers.size();
      List<T> types = new ArrayList<>();
      if (kind == HelperKind.WRITER) {
        types.add(T.VEC);
      }
      types.add(r.nextBoolean() ? T.VEC : T.DOUBLE);
      int extra = r.nextInt(3);
      for (int k = 0; k < extra; k++) {
        int c = r.nextInt(mix.has(Feature.MATRIX) ? 5 : 4);
        types.add(c < 2 ? T.DOUBLE : c < 4 ? T.VEC : T.MAT);
      }
      if (kind == HelperKind.ARRAY && !types.contains(T.VEC)) {
        types.add(T.VEC);
      }
      scopes.clear();
      push();
      StringBuilder sig = new StringBuilder();
      for (int k = 0; k < types.size(); k++) {
        T t = types.get(k);
        String p = (kind == HelperKind.WRITER && k == 0) ? "out" : switch (t) {
          case DOUBLE -> "x";
          case VEC -> "v";
          default -> "m";
        } + k;
        sig.append(k > 0 ? ", " : "").append(javaType(t)).append(' ').append(p);
        declare(new Var(p, t, Idx.NONE, true));
      }
      String ret = switch (kind) {
        case SCALAR -> "double";
        case ARRAY -> "double[]";
        case WRITER -> "void";
      };
      line("static " + ret + " " + hname + "(" + sig + ") {");
      indent++;
      inEntry = false;
      loops.clear();
      depth = 0;
      budget = 3 + r.nextInt(4);
      switch (kind) {
        case SCALAR -> {
          returnKind = "double";
          block(1 + r.nextInt(3));
          line("return " + expr(3) + ";");
        }
        case ARRAY -> {
          returnKind = null;
          String vec = pick(v -> v.type == T.VEC).name;
          line("double[] res = new double[" + vec + ".length];");
          declare(new Var("res", T.VEC, Idx.NONE, false));
          fillLoop("res");
          block(r.nextInt(3));
          line("return res;");
        }
        case WRITER -> {
          returnKind = "void";
          block(r.nextInt(2));
          fillLoop("out");
          block(r.nextInt(2));
        }
      }
      indent--;
      line("}");
      line("");
      helpers.add(new Helper(hname, kind, types));
    }

    /** A loop that writes every element of {@code vec}: plain, accumulating or overwriting. */
    private void fillLoop(String vec) {
      String i = fresh("i");
      line("for (int " + i + " = 0; " + i + " < " + vec + ".length; " + i + "++) {");
      indent++;
      push();
      declare(new Var(i, T.INT, Idx.COL, false));
      loops.add(true);
      String e = expr(2);
      switch (r.nextInt(3)) {
        case 0 -> line(vec + "[" + i + "] = " + e + ";");
        case 1 -> line(vec + "[" + i + "] += " + e + ";");
        default -> line(vec + "[" + i + "] = " + vec + "[" + i + "] * " + squash(e) + ";");
      }
      loops.remove(loops.size() - 1);
      closeScope();
    }

    private List<Param> entry() {
      scopes.clear();
      push();
      List<Param> params = new ArrayList<>();
      List<String> decls = new ArrayList<>();
      int doubles = 1 + r.nextInt(2);
      int vecs = r.nextInt(3);
      int mats = mix.has(Feature.MATRIX) ? r.nextInt(2) : 0;
      for (int k = 0; k < doubles; k++) {
        params.add(new Param("x" + k, Param.Type.DOUBLE, false));
      }
      for (int k = 0; k < vecs; k++) {
        params.add(new Param("v" + k, Param.Type.VECTOR, false));
      }
      for (int k = 0; k < mats; k++) {
        params.add(new Param("m" + k, Param.Type.MATRIX, false));
      }
      if (r.nextInt(3) == 0) {
        params.add(new Param("steps", Param.Type.INT, false));
      }
      if (r.nextInt(4) == 0) {
        params.add(new Param("flag", Param.Type.BOOLEAN, false));
      }
      // wrt: a non-empty subset of the double, double[] and double[][] parameters, in declaration order
      List<Integer> differentiable = new ArrayList<>();
      for (int k = 0; k < params.size(); k++) {
        Param.Type t = params.get(k).type();
        if (t == Param.Type.DOUBLE || t == Param.Type.VECTOR || t == Param.Type.MATRIX) {
          differentiable.add(k);
        }
      }
      boolean any = false;
      for (int k : differentiable) {
        if (r.nextInt(3) > 0) {
          Param p = params.get(k);
          params.set(k, new Param(p.name(), p.type(), true));
          any = true;
        }
      }
      if (!any) {
        int k = differentiable.get(r.nextInt(differentiable.size()));
        Param p = params.get(k);
        params.set(k, new Param(p.name(), p.type(), true));
      }
      List<String> wrt = new ArrayList<>();
      for (Param p : params) {
        if (p.wrt()) {
          wrt.add("\"" + p.name() + "\"");
        }
        String annotation = "";
        if (p.type() == Param.Type.VECTOR && mix.has(Feature.RANDOMIZE) && !randomizePlaced && r.nextInt(8) == 0) {
          annotation = randomizeAnnotation();
        }
        decls.add(annotation + p.type().java + " " + p.name());
        declare(new Var(p.name(), switch (p.type()) {
          case DOUBLE -> T.DOUBLE;
          case INT -> T.INT;
          case BOOLEAN -> T.BOOL;
          case VECTOR -> T.VEC;
          case MATRIX -> T.MAT;
        }, Idx.NONE, p.type() != Param.Type.INT && p.type() != Param.Type.BOOLEAN));
      }
      line("@Differentiable(wrt = {" + String.join(", ", wrt) + "})");
      line("static double " + Program.ENTRY + "(" + String.join(", ", decls) + ") {");
      indent++;
      inEntry = true;
      returnKind = "double";
      loops.clear();
      depth = 0;
      budget = 8 + r.nextInt(14);
      if (mix.has(Feature.SWAP) && mix.has(Feature.LOOPS) && r.nextInt(4) == 0) {
        timeSteps();
      }
      if (mix.has(Feature.RANDOMIZE) && mix.has(Feature.LOOPS) && !randomizePlaced && r.nextInt(3) == 0) {
        randomizedLayer(params);
      }
      block(4 + r.nextInt(6));
      finalReturn();
      indent--;
      line("}");
      return params;
    }

    private String randomizeAnnotation() {
      randomizePlaced = true;
      if (r.nextBoolean()) {
        randomizeExact = true;
        return "@Randomize(fraction = 0.5) ";
      }
      int c = r.nextInt(3);
      randomizeExact = c == 0;
      return "@Randomize(fraction = 0.5, sampling = Sampling." + switch (c) {
        case 0 -> "WITHOUT_REPLACEMENT";
        case 1 -> "WITH_REPLACEMENT";
        default -> "RADEMACHER";
      } + ") ";
    }

    /** Sums some arrays and scalars into the result, so that what the body wrote reaches it. */
    private void finalReturn() {
      StringBuilder sum = new StringBuilder(expr(2));
      List<Var> vecs = all(v -> v.type == T.VEC);
      if (!vecs.isEmpty() && mix.has(Feature.LOOPS)) {
        String acc = fresh("acc");
        line("double " + acc + " = 0.0;");
        Var a = vecs.get(r.nextInt(vecs.size()));
        String i = fresh("i");
        line("for (int " + i + " = 0; " + i + " < " + a.name + ".length; " + i + "++) {");
        indent++;
        push();
        declare(new Var(i, T.INT, Idx.COL, false));
        Var b = vecs.get(r.nextInt(vecs.size()));
        line(acc + " += " + a.name + "[" + i + "] * " + (b == a ? "0.5" : b.name + "[" + i + "]") + ";");
        closeScope();
        sum.append(" + ").append(acc);
      }
      List<Var> scalars = all(v -> v.type == T.DOUBLE);
      for (int k = 0; k < 3 && !scalars.isEmpty(); k++) {
        sum.append(" + ").append(scalars.get(r.nextInt(scalars.size())).name);
      }
      line("return " + sum + ";");
    }

    /**
     * A layer whose activations are sampled and then used only linearly (a dot product with a
     * differentiated parameter), which is what {@code @Randomize} is for: the activation array
     * itself stays out of scope for the rest of the body, so nothing uses it non-linearly.
     */
    private void randomizedLayer(List<Param> params) {
      String h = fresh("h");
      Var like = pickOrNull(v -> v.type == T.VEC);
      line(randomizeAnnotation() + "double[] " + h + " = new double[" + (like == null ? String.valueOf(n) : like.name + ".length") + "];");
      String i = fresh("i");
      line("for (int " + i + " = 0; " + i + " < " + h + ".length; " + i + "++) {");
      indent++;
      push();
      declare(new Var(i, T.INT, Idx.COL, false));
      String e = expr(2);
      line(h + "[" + i + "] = " + switch (r.nextInt(4)) {
        case 0 -> "Math.max(0.0, " + e + ")";
        case 1 -> "Math.tanh(" + e + ")";
        case 2 -> "Math.sin(" + e + ")";
        default -> e;
      } + ";");
      closeScope();
      List<Param> weights = params.stream().filter(p -> p.wrt() && p.type() != Param.Type.MATRIX).toList();
      Param w = weights.isEmpty() ? null : weights.get(r.nextInt(weights.size()));
      String dot = fresh("dot");
      line("double " + dot + " = 0.0;");
      String j = fresh("i");
      line("for (int " + j + " = 0; " + j + " < " + h + ".length; " + j + "++) {");
      indent++;
      String factor = w == null ? "0.5" : w.type() == Param.Type.DOUBLE ? w.name() : w.name() + "[" + j + "]";
      line(dot + " += " + factor + " * " + h + "[" + j + "];");
      indent--;
      line("}");
      declare(new Var(dot, T.DOUBLE, Idx.NONE, true));
    }

    /** The reactor's shape: a stencil into w from u, then the swap, for a few steps. */
    private void timeSteps() {
      String u = fresh("u");
      String w = fresh("w");
      Var src = pickOrNull(v -> v.type == T.VEC);
      line("double[] " + u + " = " + (src == null ? "new double[" + n + "]" : src.name + ".clone()") + ";");
      line("double[] " + w + " = new double[" + u + ".length];");
      declare(new Var(u, T.VEC, Idx.NONE, true));
      declare(new Var(w, T.VEC, Idx.NONE, true));
      String t = fresh("t");
      String bound = has(v -> v.name.equals("steps")) ? "steps" : String.valueOf(2 + r.nextInt(2));
      line("for (int " + t + " = 0; " + t + " < " + bound + "; " + t + "++) {");
      indent++;
      push();
      declare(new Var(t, T.INT, Idx.NONE, false));
      loops.add(true);
      String i = fresh("i");
      line("for (int " + i + " = 0; " + i + " < " + u + ".length; " + i + "++) {");
      indent++;
      push();
      declare(new Var(i, T.INT, Idx.COL, false));
      loops.add(true);
      line(w + "[" + i + "] = 0.5 * " + u + "[" + i + "] + 0.25 * " + u + "[(" + i + " + 1) % " + u + ".length] + 0.25 * "
          + squash(expr(2)) + ";");
      loops.remove(loops.size() - 1);
      closeScope();
      String tmp = fresh("tmp");
      line("double[] " + tmp + " = " + u + ";");
      line(u + " = " + w + ";");
      line(w + " = " + tmp + ";");
      loops.remove(loops.size() - 1);
      closeScope();
    }

    // ---- statements ----------------------------------------------------------------------------

    private void block(int count) {
      for (int k = 0; k < count && budget > 0; k++) {
        budget--;
        statement();
        maybeInPlaceLoop();
        maybeIndirectLoop();
        maybeWhileRows();
        maybeRowPairs();
      }
    }

    /** Now and then a loop over the rows of a matrix through row references (see {@link Feature#WHILE_ROWS}). */
    private void maybeWhileRows() {
      if (!mix.has(Feature.WHILE_ROWS) || depth >= 3 || whileRowsSide.nextInt(6) != 0 || !has(x -> x.type == T.MAT)) {
        return;
      }
      SplittableRandom main = r;
      r = whileRowsSide;
      try {
        whileRows();
      } finally {
        r = main;
      }
    }

    private void whileRows() {
      Var m = pick(x -> x.type == T.MAT);
      String k = fresh("k");
      String row = fresh("row");
      int loop = r.nextInt(3);
      if (!mix.has(Feature.WHILE)) {
        loop = 2; // (switching off while loops switches off these too)
      }
      if (loop == 2) {
        line("for (int " + k + " = 0; " + k + " < Math.min(" + m.name + ".length, " + rows + "); " + k + "++) {");
      } else {
        line("int " + k + " = 0;");
        line("while (" + k + " < " + m.name + ".length) {");
      }
      indent++;
      push();
      // the row of the counter, or of the row after it (a row pair of a stencil)
      String at = r.nextBoolean() ? k : "(" + k + " + 1) % " + m.name + ".length";
      line("double[] " + row + " = " + m.name + "[" + at + "];");
      String last = row + "[" + row + ".length - 1]";
      switch (r.nextInt(3)) {
        case 0 -> line(row + "[0] = " + squash(row + "[0] * 0.7 + " + last + " * 0.2 + " + expr(1)) + ";");
        case 1 -> {
          String p = fresh("p");
          line("double " + p + " = " + row + "[0];");
          line(last + " = " + last + " * 0.5 + " + squash(p + " * " + expr(1)) + ";");
        }
        default -> {
          Var acc = pickOrNull(x -> x.type == T.DOUBLE && x.assignable);
          String target = acc != null ? acc.name : row + "[0]";
          line(target + " += 0.25 * " + squash(row + "[0] * " + last) + ";");
        }
      }
      if (loop != 2) {
        line(k + "++;");
      }
      closeScope();
    }

    /** Now and then an elimination through row references or a flat table (see {@link Feature#ROW_PAIRS}). */
    private void maybeRowPairs() {
      if (!mix.has(Feature.ROW_PAIRS) || depth >= 3 || rowPairsSide.nextInt(6) != 0 || !has(x -> x.type == T.VEC)) {
        return;
      }
      SplittableRandom main = r;
      r = rowPairsSide;
      try {
        if (r.nextBoolean()) {
          elimination();
        } else {
          flatTable();
        }
      } finally {
        r = main;
      }
    }

    /**
     * A fresh matrix filled from a vector (or a matrix), eliminated through two row references,
     * then summed into a new double.
     */
    private void elimination() {
      Var v = pick(x -> x.type == T.VEC);
      Var mat = pickOrNull(x -> x.type == T.MAT);
      String e = fresh("e");
      String p = fresh("p");
      String q = fresh("q");
      String c = fresh("c");
      String rp = fresh("rp");
      String rq = fresh("rq");
      String f = fresh("f");
      String d = fresh("d");
      int height = rows + 1;
      line("double[][] " + e + " = new double[" + height + "][" + n + "];");
      line("for (int " + p + " = 0; " + p + " < " + height + "; " + p + "++) {");
      String source = mat != null && r.nextBoolean()
          ? mat.name + "[" + p + " % " + mat.name + ".length][" + c + " % " + mat.name + "[0].length]"
          : v.name + "[(" + p + " + " + c + ") % " + v.name + ".length]";
      line("  for (int " + c + " = 0; " + c + " < " + n + "; " + c + "++) {");
      line("    " + e + "[" + p + "][" + c + "] = " + source + " * 0.5 + (" + p + " == " + c + " ? 1.0 : 0.25);");
      line("  }");
      line("}");
      // (the pivots: the rows that have a column of their own)
      line("for (int " + p + " = 0; " + p + " < " + Math.min(height, n) + "; " + p + "++) {");
      indent++;
      push();
      declare(new Var(p, T.INT, Idx.NONE, false));
      line("double[] " + rp + " = " + e + "[" + p + "];");
      String from = switch (r.nextInt(3)) {
        case 0 -> p;
        case 1 -> p + " + 1";
        default -> "0";
      };
      line("for (int " + q + " = " + from + "; " + q + " < " + height + "; " + q + "++) {");
      indent++;
      push();
      declare(new Var(q, T.INT, Idx.NONE, false));
      line("double[] " + rq + " = " + e + "[" + q + "];");
      line("double " + f + " = " + squash(rq + "[" + p + "] * " + rp + "[" + p + "]") + " * 0.5;");
      // (from the pivot column, past it, or every column: the multiplier's element is overwritten
      // in the first iteration, in none, or in the middle)
      String start = switch (r.nextInt(3)) {
        case 0 -> "0";
        case 1 -> p;
        default -> p + " + 1";
      };
      String pivot = r.nextInt(3) == 0 ? e + "[" + p + "][" + c + "]" : rp + "[" + c + "]";
      String target = r.nextInt(3) == 0 ? e + "[" + q + "][" + c + "]" : rq + "[" + c + "]";
      line("for (int " + c + " = " + start + "; " + c + " < " + n + "; " + c + "++) {");
      line("  " + switch (r.nextInt(3)) {
        case 0 -> target + " -= " + f + " * " + pivot + ";";
        case 1 -> target + " = " + target + " * 0.5 + " + f + " * " + pivot + ";";
        default -> target + " = " + squash(target + " * " + pivot + " + " + f) + ";";
      });
      line("}");
      closeScope();
      closeScope();
      line("double " + d + " = 0.0;");
      line("for (int " + p + " = 0; " + p + " < " + height + "; " + p + "++) {");
      line("  for (int " + c + " = 0; " + c + " < " + n + "; " + c + "++) {");
      line("    " + d + " += " + e + "[" + p + "][" + c + "] * " + e + "[" + p + "][" + c + "] * 0.25;");
      line("  }");
      line("}");
      declare(new Var(d, T.DOUBLE, Idx.NONE, true));
    }

    /**
     * A flat table, row-major through a declared stride one shorter than the columns to one
     * longer, filled cell by cell from the row above and the cells beside, then summed.
     */
    private void flatTable() {
      Var v = pick(x -> x.type == T.VEC);
      String ld = fresh("ld");
      String t = fresh("t");
      String i = fresh("i");
      String j = fresh("j");
      String d = fresh("d");
      int height = rows + 1;
      line("int " + ld + " = " + n + (r.nextInt(3) - 1 == 0 ? "" : r.nextBoolean() ? " + 1" : " - 1") + ";");
      line("double[] " + t + " = new double[(" + height + " + 1) * " + ld + " + " + n + " + 1];");
      line("for (int " + i + " = 0; " + i + " < " + t + ".length; " + i + "++) {");
      line("  " + t + "[" + i + "] = " + v.name + "[" + i + " % " + v.name + ".length] * 0.5;");
      line("}");
      line("for (int " + i + " = 1; " + i + " <= " + height + "; " + i + "++) {");
      indent++;
      push();
      declare(new Var(i, T.INT, Idx.NONE, false));
      line("for (int " + j + " = 1; " + j + " < " + n + "; " + j + "++) {");
      indent++;
      push();
      declare(new Var(j, T.INT, Idx.NONE, false));
      String[] reads = {"(" + i + " - 1) * " + ld + " + " + j, i + " * " + ld + " + " + j + " - 1",
          "(" + i + " - 1) * " + ld + " + " + j + " + 1", i + " * " + ld + " + " + j + " + 1",
          "(" + i + " - 1) * " + ld + " + " + j + " - 1"};
      String a = reads[r.nextInt(reads.length)];
      String b = reads[r.nextInt(reads.length)];
      line(t + "[" + i + " * " + ld + " + " + j + "] = " + squash(t + "[" + a + "] * 0.6 + " + t + "[" + b + "] * " + expr(1))
          + ";");
      closeScope();
      closeScope();
      line("double " + d + " = 0.0;");
      line("for (int " + i + " = 0; " + i + " < " + t + ".length; " + i + "++) {");
      line("  " + d + " += " + t + "[" + i + "] * " + t + "[" + i + "] * 0.25;");
      line("}");
      declare(new Var(d, T.DOUBLE, Idx.NONE, true));
    }

    /** Now and then a loop with data-dependent indices (see {@link Feature#INDIRECT}), from its own stream. */
    private void maybeIndirectLoop() {
      if (!mix.has(Feature.INDIRECT) || depth >= 3 || indirectSide.nextInt(6) != 0 || !has(x -> x.type == T.VEC)) {
        return;
      }
      SplittableRandom main = r;
      r = indirectSide;
      try {
        indirectLoop();
      } finally {
        r = main;
      }
    }

    private void indirectLoop() {
      Var v = pick(x -> x.type == T.VEC);
      Var u = pick(x -> x.type == T.VEC); // may be v itself
      Var mat = pickOrNull(x -> x.type == T.MAT);
      String i = fresh("i");
      int form = r.nextInt(mat == null ? 5 : 6);
      if (form == 5) {
        // a recurrence along a row of a matrix, reading other rows of the same matrix (the row
        // may be one of them): a cumulative table as geometry code writes one
        String k = fresh("k");
        line("double[] " + k + " = " + (r.nextBoolean() ? mat.name + "[" + r.nextInt(rows) + "]" : u.name) + ";");
        boolean up = r.nextBoolean();
        line(up ? "for (int " + i + " = 1; " + i + " < " + k + ".length; " + i + "++) {"
            : "for (int " + i + " = " + k + ".length - 2; " + i + " >= 0; " + i + "--) {");
        indent++;
        push();
        declare(new Var(i, T.INT, Idx.COL, false));
        String row = mat.name + "[" + i + " % " + mat.name + ".length]";
        String other = mat.name + "[(" + i + (up ? " + " : " - ") + "1 + " + mat.name + ".length) % " + mat.name + ".length]";
        line(k + "[" + i + "] = " + k + "[" + i + (up ? " - 1" : " + 1") + "] * 0.5 + "
            + squash(row + "[0] * " + other + "[" + i + " % " + other + ".length] + " + expr(1)) + ";");
        closeScope();
        return;
      }
      switch (form) {
        case 0, 1 -> {
          // an index array, then a scatter into u or a gather in place in v
          String ix = fresh("ix");
          line("int[] " + ix + " = new int[" + v.name + ".length];");
          line("for (int " + i + " = 0; " + i + " < " + ix + ".length; " + i + "++) {");
          line("  " + ix + "[" + i + "] = (" + i + " * " + (1 + r.nextInt(3)) + " + " + r.nextInt(2) + ") % "
              + v.name + ".length;");
          line("}");
          String k = fresh("i");
          line("for (int " + k + " = 0; " + k + " < " + ix + ".length; " + k + "++) {");
          indent++;
          push();
          declare(new Var(k, T.INT, Idx.COL, false));
          String at = ix + "[" + k + "]";
          if (r.nextBoolean()) {
            line(u.name + "[" + at + " % " + u.name + ".length] += 0.5 * " + squash(v.name + "[" + k + "] * " + expr(1)) + ";");
          } else {
            line(v.name + "[" + k + "] = " + squash(v.name + "[" + at + "] * 0.7 + " + expr(1)) + " + 0.25 * " + v.name
                + "[" + k + "];");
          }
          closeScope();
        }
        case 2 -> {
          // a running counter that advances at some iterations only
          String c = fresh("c");
          line("int " + c + " = 0;");
          line("for (int " + i + " = 0; " + i + " < " + v.name + ".length; " + i + "++) {");
          indent++;
          push();
          declare(new Var(i, T.INT, Idx.COL, false));
          line("if (" + c + " < " + u.name + ".length) {");
          line("  " + u.name + "[" + c + "] = " + u.name + "[" + c + "] * 0.5 + " + squash(v.name + "[" + i + "] * " + expr(1)) + ";");
          line("}");
          line(r.nextBoolean() ? c + "++;" : c + " += " + i + " % 2 == 0 ? 1 : 0;");
          closeScope();
        }
        case 3 -> {
          // a rows x n matrix packed row-major, relaxed in place, summed into a new double
          String f = fresh("flat");
          String j = fresh("j");
          String d = fresh("d");
          int cols = n;
          line("double[] " + f + " = new double[" + rows + " * " + cols + "];");
          line("for (int " + i + " = 0; " + i + " < " + rows + "; " + i + "++) {");
          indent++;
          push();
          declare(new Var(i, T.INT, Idx.NONE, false));
          line("for (int " + j + " = 0; " + j + " < " + cols + "; " + j + "++) {");
          indent++;
          push();
          declare(new Var(j, T.INT, Idx.NONE, false));
          line(f + "[" + i + " * " + cols + " + " + j + "] = " + v.name + "[" + j + " % " + v.name + ".length] * " + expr(1) + ";");
          closeScope();
          closeScope();
          line("for (int " + i + "b = 1; " + i + "b < " + rows + "; " + i + "b++) {");
          line("  for (int " + j + "b = 0; " + j + "b < " + cols + "; " + j + "b++) {");
          line("    " + f + "[" + i + "b * " + cols + " + " + j + "b] += 0.5 * " + squash(f + "[(" + i + "b - 1) * " + cols
              + " + " + j + "b] * " + f + "[" + i + "b * " + cols + " + (" + j + "b + 1) % " + cols + "]") + ";");
          line("  }");
          line("}");
          line("double " + d + " = 0.0;");
          line("for (int " + i + "c = 0; " + i + "c < " + f + ".length; " + i + "c++) {");
          line("  " + d + " += " + f + "[" + i + "c] * " + f + "[" + i + "c];");
          line("}");
          declare(new Var(d, T.DOUBLE, Idx.NONE, true));
        }
        default -> {
          // compound products and quotients of elements
          line("for (int " + i + " = 0; " + i + " < " + v.name + ".length; " + i + "++) {");
          indent++;
          push();
          declare(new Var(i, T.INT, Idx.COL, false));
          if (r.nextBoolean()) {
            line(v.name + "[" + i + "] *= 0.5 + 0.25 * " + squash(expr(1)) + ";");
          } else {
            String t = expr(1);
            line(v.name + "[" + i + "] /= 1.0 + " + t + " * " + t + ";");
          }
          closeScope();
        }
      }
    }

    /**
     * Now and then an in-place loop (see {@link Feature#IN_PLACE}), drawn from {@link #side}: the
     * main stream is left as it was, so the statements around it are those the seed gave before.
     */
    private void maybeInPlaceLoop() {
      if (!mix.has(Feature.IN_PLACE) || depth >= 3 || side.nextInt(6) != 0
          || !has(x -> x.type == T.VEC || x.type == T.MAT)) {
        return;
      }
      SplittableRandom main = r;
      r = side;
      try {
        inPlaceLoop();
      } finally {
        r = main;
      }
    }

    private void inPlaceLoop() {
      Var a = pick(x -> x.type == T.VEC || x.type == T.MAT);
      String self = r.nextBoolean() ? "" : " + 0.5 * ";
      if (a.type == T.MAT) {
        String i = fresh("i");
        String j = fresh("j");
        line("for (int " + i + " = 1; " + i + " < " + a.name + ".length; " + i + "++) {");
        indent++;
        push();
        declare(new Var(i, T.INT, Idx.ROW, false));
        String bound = r.nextBoolean() ? a.name + "[" + i + "].length" : String.valueOf(n);
        line("for (int " + j + " = 1; " + j + " < " + bound + "; " + j + "++) {");
        indent++;
        push();
        declare(new Var(j, T.INT, Idx.COL, false));
        String cell = a.name + "[" + i + "][" + j + "]";
        line(cell + " = " + squash(a.name + "[" + i + " - 1][" + j + "] * 0.6 + " + a.name + "[" + i + "][" + j
            + " - 1] * 0.3 + " + a.name + "[" + i + " - 1][" + j + " - 1] * " + expr(1))
            + (self.isEmpty() ? "" : self + cell) + ";");
        closeScope();
        closeScope();
        return;
      }
      String i = fresh("i");
      String v = a.name;
      int form = r.nextInt(4);
      String header = switch (form) {
        case 0 -> "for (int " + i + " = 1; " + i + " < " + v + ".length; " + i + "++) {";
        case 1 -> "for (int " + i + " = " + v + ".length - 2; " + i + " >= 0; " + i + "--) {";
        case 2 -> "for (int " + i + " = 0; " + i + " < " + v + ".length; " + i + "++) {";
        default -> "for (int " + i + " = 1; " + i + " < " + v + ".length - 1; " + i + "++) {";
      };
      line(header);
      indent++;
      push();
      declare(new Var(i, T.INT, Idx.COL, false));
      String at = v + "[" + i + "]";
      String tail = self.isEmpty() ? "" : self + at;
      switch (form) {
        case 0 -> line(at + " = " + squash(v + "[" + i + " - 1] * 0.8 + " + expr(1)) + tail + ";");
        case 1 -> line(at + " = " + squash(v + "[" + i + " + 1] * 0.8 + " + expr(1)) + tail + ";");
        case 2 -> {
          String k = fresh("k");
          line("for (int " + k + " = 0; " + k + " < " + i + "; " + k + "++) {");
          indent++;
          line(at + " -= 0.3 * " + v + "[" + k + "] * " + squash(expr(1)) + ";");
          indent--;
          line("}");
          line(at + " = " + at + " * 0.5 + " + squash(expr(1)) + ";");
        }
        default -> line(at + " = " + squash("0.5 * (" + v + "[" + i + " - 1] + " + v + "[" + i + " + 1]) + " + expr(1))
            + tail + ";");
      }
      closeScope();
    }

    private void statement() {
      List<Runnable> choices = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      boolean inLoop = !loops.isEmpty();
      boolean nest = depth < 3;
      add(choices, weights, 12, this::declareDouble);
      if (has(v -> v.type == T.DOUBLE && v.assignable)) {
        add(choices, weights, 12, this::assignDouble);
      }
      if (mix.has(Feature.OVERWRITE) && has(v -> v.type == T.VEC || v.type == T.MAT)) {
        add(choices, weights, 12, this::writeElement);
      }
      add(choices, weights, 5, this::declareVector);
      if (mix.has(Feature.IF)) {
        add(choices, weights, 2, this::declareBoolean);
      }
      if (mix.has(Feature.MATRIX)) {
        add(choices, weights, 2, this::declareMatrix);
      }
      if (mix.has(Feature.LOOPS) && nest) {
        add(choices, weights, 12, this::forLoop);
      }
      if (mix.has(Feature.WHILE) && nest && has(v -> v.type == T.VEC)) {
        add(choices, weights, 4, this::whileLoop);
      }
      if (mix.has(Feature.FOREACH) && nest && has(v -> v.type == T.VEC)) {
        add(choices, weights, 3, this::forEach);
      }
      if (mix.has(Feature.IF) && nest) {
        add(choices, weights, 8, this::ifElse);
      }
      if (mix.has(Feature.BREAK_CONTINUE) && inLoop) {
        add(choices, weights, 4, this::breakOrContinue);
      }
      if (mix.has(Feature.EARLY_RETURN) && returnKind != null) {
        add(choices, weights, 3, this::earlyReturn);
      }
      if (mix.has(Feature.SWAP) && all(v -> v.type == T.VEC && v.assignable).size() >= 2) {
        add(choices, weights, 4, this::swap);
      }
      if (!helpers.isEmpty()) {
        add(choices, weights, 8, this::callStatement);
      }
      int total = weights.stream().mapToInt(Integer::intValue).sum();
      int x = r.nextInt(total);
      for (int k = 0; k < choices.size(); k++) {
        x -= weights.get(k);
        if (x < 0) {
          choices.get(k).run();
          return;
        }
      }
    }

    private static void add(List<Runnable> choices, List<Integer> weights, int w, Runnable c) {
      choices.add(c);
      weights.add(w);
    }

    private void declareDouble() {
      String d = fresh("d");
      String annotation = randomizeHere() ? randomizeAnnotation() : "";
      line(annotation + "double " + d + " = " + expr(3) + ";");
      declare(new Var(d, T.DOUBLE, Idx.NONE, true));
    }

    private void declareBoolean() {
      String b = fresh("b");
      line("boolean " + b + " = " + cond(1) + ";");
      declare(new Var(b, T.BOOL, Idx.NONE, false));
    }

    /** Whether to put {@code @Randomize} on the local declared now (entry method, top level). */
    private boolean randomizeHere() {
      return mix.has(Feature.RANDOMIZE) && inEntry && depth == 0 && !randomizePlaced && r.nextInt(5) == 0;
    }

    private void assignDouble() {
      Var v = pick(x -> x.type == T.DOUBLE && x.assignable);
      String e = expr(3);
      boolean loop = !loops.isEmpty();
      switch (r.nextInt(5)) {
        case 4 -> {
          String t = expr(1);
          line(v.name + " /= 1.0 + " + t + " * " + t + ";");
        }
        case 0 -> line(v.name + " = " + (loop ? squash(e) : e) + ";");
        case 1 -> line(v.name + " += " + (loop ? squash(e) : e) + ";");
        case 2 -> line(v.name + " -= " + (loop ? squash(e) : e) + ";");
        default -> line(v.name + " *= " + (loop ? "0.5 + 0.25 * " + squash(e) : e) + ";");
      }
    }

    private void writeElement() {
      Var a = pick(x -> x.type == T.VEC || x.type == T.MAT);
      String target = a.type == T.VEC ? a.name + "[" + index(Idx.COL, a.name) + "]"
          : a.name + "[" + index(Idx.ROW, a.name) + "][" + index(Idx.COL, a.name + "[0]") + "]";
      String e = expr(2);
      boolean loop = !loops.isEmpty();
      switch (r.nextInt(4)) {
        case 0 -> line(target + " = " + e + ";");
        case 1 -> line(target + " += " + (loop ? squash(e) : e) + ";");
        case 2 -> line(target + " = " + target + " * " + squash(e) + ";");
        default -> line(target + " = " + squash(target + " + " + e) + ";");
      }
    }

    private void declareVector() {
      String v = fresh("a");
      Var like = pickOrNull(x -> x.type == T.VEC);
      String annotation = randomizeHere() ? randomizeAnnotation() : "";
      int c = r.nextInt(10);
      List<Helper> arrayHelpers = helpers.stream().filter(h -> h.kind == HelperKind.ARRAY && callable(h)).toList();
      if (c < 3 && mix.has(Feature.ROW_REF) && annotation.isEmpty() && has(x -> x.type == T.MAT)) {
        Var m = pick(x -> x.type == T.MAT);
        line("double[] " + v + " = " + m.name + "[" + index(Idx.ROW, m.name) + "];");
      } else if (c < 5 && !arrayHelpers.isEmpty()) {
        line(annotation + "double[] " + v + " = " + call(arrayHelpers.get(r.nextInt(arrayHelpers.size())), 2) + ";");
      } else if (c < 7 && like != null && mix.has(Feature.CLONE)) {
        line(annotation + "double[] " + v + " = " + like.name + ".clone();");
      } else {
        line(annotation + "double[] " + v + " = new double[" + (like == null ? String.valueOf(n) : like.name + ".length") + "];");
        declare(new Var(v, T.VEC, Idx.NONE, true));
        if (mix.has(Feature.LOOPS)) {
          fillLoop(v);
        }
        return;
      }
      declare(new Var(v, T.VEC, Idx.NONE, true));
    }

    private void declareMatrix() {
      String m = fresh("mat");
      line("double[][] " + m + " = new double[" + rows + "][" + n + "];");
      declare(new Var(m, T.MAT, Idx.NONE, true));
      if (mix.has(Feature.LOOPS)) {
        String i = fresh("i");
        String j = fresh("j");
        line("for (int " + i + " = 0; " + i + " < " + m + ".length; " + i + "++) {");
        indent++;
        push();
        declare(new Var(i, T.INT, Idx.ROW, false));
        line("for (int " + j + " = 0; " + j + " < " + m + "[" + i + "].length; " + j + "++) {");
        indent++;
        push();
        declare(new Var(j, T.INT, Idx.COL, false));
        line(m + "[" + i + "][" + j + "] = " + expr(2) + ";");
        closeScope();
        closeScope();
      }
    }

    private void forLoop() {
      String i = fresh("i");
      Var vec = pickOrNull(x -> x.type == T.VEC);
      Var mat = pickOrNull(x -> x.type == T.MAT);
      Var outerCol = pickOrNull(x -> x.type == T.INT && x.idx == Idx.COL);
      String len = vec == null ? String.valueOf(n) : vec.name + ".length";
      Idx kind = Idx.COL;
      String header;
      int c = r.nextInt(10);
      if (c < 2 && mat != null) {
        kind = Idx.ROW;
        header = "for (int " + i + " = 0; " + i + " < " + mat.name + ".length; " + i + "++) {";
      } else if (c < 3) {
        header = "for (int " + i + " = " + len + " - 1; " + i + " >= 0; " + i + "--) {";
      } else if (c < 5 && outerCol != null) {
        header = r.nextBoolean() ? "for (int " + i + " = 0; " + i + " <= " + outerCol.name + "; " + i + "++) {"
            : "for (int " + i + " = " + outerCol.name + "; " + i + " < " + len + "; " + i + "++) {";
      } else if (c < 6) {
        String cnt = fresh("cnt");
        line("int " + cnt + " = " + cond(1) + " ? " + len + " : " + len + " - 1;");
        declare(new Var(cnt, T.INT, Idx.NONE, false));
        header = "for (int " + i + " = 0; " + i + " < " + cnt + "; " + i + "++) {";
      } else if (c < 7 && has(x -> x.name.equals("steps"))) {
        kind = Idx.NONE;
        header = "for (int " + i + " = 0; " + i + " < steps; " + i + "++) {";
      } else {
        header = "for (int " + i + " = 0; " + i + " < " + len + "; " + i + "++) {";
      }
      line(header);
      loopBody(new Var(i, T.INT, kind, false), true);
      line("}");
    }

    private void loopBody(Var index, boolean canContinue) {
      indent++;
      depth++;
      push();
      if (index != null) {
        declare(index);
      }
      loops.add(canContinue);
      block(1 + r.nextInt(3));
      loops.remove(loops.size() - 1);
      pop();
      depth--;
      indent--;
    }

    private void whileLoop() {
      Var vec = pick(x -> x.type == T.VEC);
      String k = fresh("k");
      // now and then as C code writes it (from a stream of its own): the counter declared apart and
      // assigned, a plain bound (a counted loop), another form of step, the counter reused by a
      // second loop, and not always read after
      boolean cStyle = cStyleSide.nextInt(3) == 0;
      boolean plainBound = cStyle && cStyleSide.nextBoolean();
      String step = !cStyle ? k + "++;" : switch (cStyleSide.nextInt(3)) {
        case 0 -> k + "++;";
        case 1 -> k + " += 1;";
        default -> k + " = " + k + " + 1;";
      };
      if (cStyle) {
        line("int " + k + ";");
        line(k + " = 0;");
      } else {
        line("int " + k + " = 0;");
      }
      line("while (" + k + " < " + vec.name + ".length" + (plainBound ? "" : " && " + cond(1)) + ") {");
      // continue would skip the increment at the end of the body
      indent++;
      depth++;
      push();
      declare(new Var(k, T.INT, Idx.COL, false));
      if (counterCopySide.nextInt(3) == 0) {
        // the counter copied into a local index, as users write (int i = w; v[i + 1] = ...; w++;),
        // whose recomputation in the reverse sweep once came after the restore that needed it
        // (bugs/CounterLocalIndexTest); drawn from its own stream, so that the other streams, and
        // the programs of a seed where it does not fire, stay as they were
        String copy = fresh("kc");
        line("int " + copy + " = " + k + ";");
        declare(new Var(copy, T.INT, Idx.COL, false));
      }
      loops.add(false);
      block(1 + r.nextInt(3));
      loops.remove(loops.size() - 1);
      line(step);
      pop();
      depth--;
      indent--;
      line("}");
      if (cStyle && cStyleSide.nextBoolean()) {
        // the counter reused, down the vector
        line(k + " = " + vec.name + ".length - 1;");
        line("while (" + k + " >= 0) {");
        line("  " + vec.name + "[" + k + "] = " + vec.name + "[" + k + "] * 0.5 + " + squash(vec.name + "[" + k + "] * "
            + expr(1)) + ";");
        line("  " + (cStyleSide.nextBoolean() ? k + "--;" : k + " -= 1;"));
        line("}");
      }
      if (!cStyle || cStyleSide.nextBoolean()) {
        declare(new Var(k, T.INT, Idx.NONE, false));
      }
    }

    private void forEach() {
      Var vec = pick(x -> x.type == T.VEC);
      String e = fresh("e");
      line("for (double " + e + " : " + vec.name + ") {");
      loopBody(new Var(e, T.DOUBLE, Idx.NONE, false), true);
      line("}");
    }

    private void ifElse() {
      if (mix.has(Feature.SWITCH) && switchSide.nextInt(4) == 0) {
        switchStatement();
        return;
      }
      line("if (" + cond(2) + ") {");
      nested();
      if (r.nextBoolean()) {
        line("} else {");
        nested();
      }
      line("}");
    }

    private void nested() {
      indent++;
      depth++;
      push();
      block(1 + r.nextInt(3));
      pop();
      depth--;
      indent--;
    }

    /**
     * A switch with cases 0, 1 and 2 and a default, in one of three forms: classic cases ending in
     * {@code break} (1 and 2 sharing a body, the default placed at random), rules with blocks, or
     * a local set by a switch expression.
     */
    private void switchStatement() {
      Var index = pickOrNull(x -> x.type == T.INT);
      Var value = pickOrNull(x -> x.type == T.DOUBLE);
      String selector = index != null && (value == null || switchSide.nextBoolean()) ? index.name + " % 4"
          : "(int) Math.floor(2 * Math.abs(" + (value != null ? value.name : expr(1)) + ")) % 4";
      int form = switchSide.nextInt(3);
      if (form == 2 && (index != null || value != null)) {
        String d = fresh("d");
        line("double " + d + " = switch (" + selector + ") {");
        indent++;
        line("case 0 -> " + expr(2) + ";");
        line("case 1, 2 -> " + expr(2) + ";");
        line("default -> " + expr(2) + ";");
        indent--;
        line("};");
        declare(new Var(d, T.DOUBLE, Idx.NONE, true));
        return;
      }
      line("switch (" + selector + ") {");
      indent++;
      List<String> order = new ArrayList<>(form == 0 ? List.of("case 0:", "case 1: case 2:")
          : List.of("case 0 ->", "case 1, 2 ->"));
      order.add(switchSide.nextInt(3), form == 0 ? "default:" : "default ->");
      for (int k = 0; k < order.size(); k++) {
        caseBody(order.get(k), form == 0, k == order.size() - 1);
      }
      indent--;
      line("}");
    }

    private void caseBody(String label, boolean classic, boolean last) {
      line(classic ? label : label + " {");
      int outer = switchLoops;
      switchLoops = loops.size();
      indent++;
      depth++;
      push();
      block(1 + r.nextInt(2));
      if (classic && (!last || switchSide.nextBoolean())) {
        line("break;");
      }
      pop();
      depth--;
      indent--;
      switchLoops = outer;
      if (!classic) {
        line("}");
      }
    }

    private void breakOrContinue() {
      boolean canContinue = loops.get(loops.size() - 1);
      if (switchLoops == loops.size()) {
        // in a case of a switch: a break would leave the switch, not the loop
        if (!canContinue) {
          declareDouble();
          return;
        }
        line("if (" + cond(1) + ") {");
        indent++;
        line("continue;");
        indent--;
        line("}");
        return;
      }
      line("if (" + cond(1) + ") {");
      indent++;
      line(canContinue && r.nextBoolean() ? "continue;" : "break;");
      indent--;
      line("}");
    }

    private void earlyReturn() {
      line("if (" + cond(1) + ") {");
      indent++;
      line(returnKind.equals("void") ? "return;" : "return " + expr(2) + ";");
      indent--;
      line("}");
    }

    private void swap() {
      List<Var> vecs = all(v -> v.type == T.VEC && v.assignable);
      Var a = vecs.get(r.nextInt(vecs.size()));
      Var b;
      do {
        b = vecs.get(r.nextInt(vecs.size()));
      } while (b == a);
      String tmp = fresh("tmp");
      line("double[] " + tmp + " = " + a.name + ";");
      line(a.name + " = " + b.name + ";");
      line(b.name + " = " + tmp + ";");
    }

    private void callStatement() {
      List<Helper> usable = helpers.stream().filter(this::callable).toList();
      if (usable.isEmpty()) {
        declareDouble();
        return;
      }
      Helper h = usable.get(r.nextInt(usable.size()));
      switch (h.kind) {
        case SCALAR -> {
          if (r.nextInt(3) == 0) {
            line(call(h, 2) + ";");
          } else {
            String d = fresh("d");
            line("double " + d + " = " + call(h, 2) + ";");
            declare(new Var(d, T.DOUBLE, Idx.NONE, true));
          }
        }
        case ARRAY -> {
          if (r.nextInt(4) == 0) {
            line(call(h, 2) + ";");
          } else {
            String v = fresh("a");
            line("double[] " + v + " = " + call(h, 2) + ";");
            declare(new Var(v, T.VEC, Idx.NONE, true));
          }
        }
        case WRITER -> line(call(h, 2) + ";");
      }
    }

    /** Whether the variables in scope can fill {@code h}'s array parameters (with distinct ones, unless aliasing is on). */
    private boolean callable(Helper h) {
      boolean distinct = !mix.has(Feature.ALIASED_ARGS);
      for (T t : List.of(T.VEC, T.MAT)) {
        long need = h.params.stream().filter(p -> p == t).count();
        long have = all(v -> v.type == t).size();
        if (need > 0 && (have == 0 || (distinct && have < need))) {
          return false;
        }
      }
      return true;
    }

    private String call(Helper h, int exprDepth) {
      StringBuilder s = new StringBuilder(h.name).append('(');
      List<String> used = new ArrayList<>();
      for (int k = 0; k < h.params.size(); k++) {
        T t = h.params.get(k);
        String arg;
        if (t == T.DOUBLE) {
          arg = expr(exprDepth);
        } else if (mix.has(Feature.ALIASED_ARGS)) {
          arg = pick(v -> v.type == t).name;
        } else {
          arg = pick(v -> v.type == t && !used.contains(v.name)).name;
        }
        used.add(arg);
        s.append(k > 0 ? ", " : "").append(arg);
      }
      return s.append(')').toString();
    }

    // ---- expressions ---------------------------------------------------------------------------

    private String expr(int d) {
      if (d <= 0 || r.nextInt(4) == 0) {
        return leaf();
      }
      List<Helper> scalarHelpers = helpers.stream().filter(h -> h.kind == HelperKind.SCALAR && callable(h)).toList();
      while (true) {
        int c = r.nextInt(100);
        if (c < 30) {
          return "(" + expr(d - 1) + (r.nextBoolean() ? " + " : " - ") + expr(d - 1) + ")";
        } else if (c < 45) {
          return "(" + expr(d - 1) + " * " + expr(d - 1) + ")";
        } else if (c < 50) {
          String t = expr(d - 1);
          return "(" + expr(d - 1) + " / (1.0 + " + t + " * " + t + "))";
        } else if (c < 54) {
          return "-(" + leaf() + ")";
        } else if (c < 78 && mix.has(Feature.MATH)) {
          return math(d);
        } else if (c < 84 && mix.has(Feature.KINKS)) {
          return switch (r.nextInt(3)) {
            case 0 -> "Math.abs(" + expr(d - 1) + ")";
            case 1 -> "Math.max(" + expr(d - 1) + ", " + expr(d - 1) + ")";
            default -> "Math.min(" + expr(d - 1) + ", " + expr(d - 1) + ")";
          };
        } else if (c < 91 && mix.has(Feature.TERNARY)) {
          return "(" + cond(d - 1) + " ? " + expr(d - 1) + " : " + expr(d - 1) + ")";
        } else if (c < 100 && !scalarHelpers.isEmpty()) {
          return call(scalarHelpers.get(r.nextInt(scalarHelpers.size())), d - 1);
        }
      }
    }

    /** A Math call whose argument is inside the function's smooth domain whatever the value of e. */
    private String math(int d) {
      String e = expr(d - 1);
      return switch (r.nextInt(20)) {
        case 0 -> "Math.sin(" + e + ")";
        case 1 -> "Math.cos(" + e + ")";
        case 2 -> "Math.tanh(" + e + ")";
        case 3 -> "Math.atan(" + e + ")";
        case 4 -> "Math.exp(Math.sin(" + e + "))";
        case 5 -> "Math.exp(-(" + e + " * " + e + "))";
        case 6 -> "Math.log(1.0 + " + e + " * " + e + ")";
        case 7 -> "Math.sqrt(1.0 + " + e + " * " + e + ")";
        case 8 -> "Math.log1p(" + e + " * " + e + ")";
        case 9 -> "Math.expm1(Math.tanh(" + e + "))";
        case 10 -> "Math.pow(1.5 + Math.sin(" + e + "), " + expr(d - 1) + ")";
        case 11 -> "Math.pow(" + e + ", 2)";
        case 12 -> "Math.hypot(" + e + ", 0.5)";
        case 13 -> "Math.atan2(" + e + ", 1.5 + Math.cos(" + expr(d - 1) + "))";
        case 14 -> "Math.cbrt(2.0 + Math.sin(" + e + "))";
        case 15 -> "Math.asin(0.5 * Math.sin(" + e + "))";
        case 16 -> "Math.acos(0.5 * Math.tanh(" + e + "))";
        case 17 -> "Math.sinh(Math.sin(" + e + "))";
        case 18 -> "Math.cosh(Math.tanh(" + e + "))";
        default -> "Math.log10(2.0 + Math.cos(" + e + "))";
      };
    }

    /** {@code e} squashed into [-1, 1], so that repeated assignments in loops stay bounded. */
    private String squash(String e) {
      if (mix.has(Feature.MATH)) {
        return switch (r.nextInt(3)) {
          case 0 -> "Math.tanh(" + e + ")";
          case 1 -> "Math.sin(" + e + ")";
          default -> "Math.atan(" + e + ")";
        };
      }
      return "(" + e + ") / (1.0 + (" + e + ") * (" + e + "))";
    }

    /** {@code K0}, n values, and {@code K1}, rows x n, from the tables' own stream (see {@link Feature#FIELDS}). */
    private void constantTables() {
      line("static final double[] K0 = {" + tableRow() + "};");
      List<String> rowsText = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        rowsText.add("{" + tableRow() + "}");
      }
      line("static final double[][] K1 = {" + String.join(", ", rowsText) + "};");
      line("");
    }

    private String tableRow() {
      List<String> values = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        values.add(String.valueOf(Math.round(fieldSide.nextDouble(-1, 1) * 100) / 100.0));
      }
      return String.join(", ", values);
    }

    private String leaf() {
      if (mix.has(Feature.FIELDS) && fieldSide.nextInt(6) == 0) {
        return fieldSide.nextBoolean() ? "K0[" + index(Idx.COL, "K0") + "]"
            : "K1[" + index(Idx.ROW, "K1") + "][" + index(Idx.COL, "K1[0]") + "]";
      }
      int c = r.nextInt(100);
      if (c < 50 && has(v -> v.type == T.DOUBLE)) {
        return pick(v -> v.type == T.DOUBLE).name;
      }
      if (c < 80 && has(v -> v.type == T.VEC || v.type == T.MAT)) {
        Var a = pick(v -> v.type == T.VEC || v.type == T.MAT);
        return a.type == T.VEC ? a.name + "[" + index(Idx.COL, a.name) + "]"
            : a.name + "[" + index(Idx.ROW, a.name) + "][" + index(Idx.COL, a.name + "[0]") + "]";
      }
      if (c < 88 && has(v -> v.type == T.INT)) {
        String i = pick(v -> v.type == T.INT).name;
        return r.nextBoolean() ? "(" + i + " * 0.25)" : "((double) " + i + " / 4)";
      }
      String[] literals = {"0.5", "1.5", "2.0", "0.25", "-0.75", "3.0", "1.0"};
      return literals[r.nextInt(literals.length)];
    }

    /** An index in bounds for arrays of {@code kind}; {@code array} names one of them (for .length). */
    private String index(Idx kind, String array) {
      if (kind == Idx.COL && mix.has(Feature.DATA_INDEX) && dataIndexSide.nextInt(10) == 0) {
        // an element of the array itself, in bounds: the array has at least two elements
        return "((int) (" + (1 + dataIndexSide.nextInt(3)) + " * Math.abs(" + array + "[" + dataIndexSide.nextInt(2) + "]))) % "
            + array + ".length";
      }
      Var v = pickOrNull(x -> x.type == T.INT && x.idx == kind);
      int c = r.nextInt(10);
      if (v != null && c < 6) {
        return v.name;
      }
      if (v != null && c < 8) {
        return r.nextBoolean() ? "(" + v.name + " + 1) % " + array + ".length" : array + ".length - 1 - " + v.name;
      }
      return String.valueOf(r.nextInt(kind == Idx.ROW ? rows : n));
    }

    private String cond(int d) {
      int c = r.nextInt(100);
      if (c < 10 && has(v -> v.type == T.BOOL)) {
        return (r.nextBoolean() ? "!" : "") + pick(v -> v.type == T.BOOL).name;
      }
      if (c < 20 && has(v -> v.type == T.INT)) {
        String i = pick(v -> v.type == T.INT).name;
        return r.nextBoolean() ? i + " % 2 == 0" : i + " > " + r.nextInt(3);
      }
      if (c < 35 && d > 0) {
        return "(" + cond(d - 1) + (r.nextBoolean() ? " && " : " || ") + cond(d - 1) + ")";
      }
      return expr(Math.max(1, d)) + (r.nextBoolean() ? " > " : " < ") + (r.nextBoolean() ? expr(1) : "0.3");
    }

    // ---- scopes --------------------------------------------------------------------------------

    /** Ends a loop or block opened with {@code line("... {"); indent++; push();}. */
    private void closeScope() {
      pop();
      indent--;
      line("}");
    }

    private void push() {
      scopes.add(new ArrayList<>());
    }

    private void pop() {
      scopes.remove(scopes.size() - 1);
    }

    private void declare(Var v) {
      scopes.get(scopes.size() - 1).add(v);
    }

    private List<Var> all(Predicate<Var> p) {
      List<Var> vs = new ArrayList<>();
      for (List<Var> s : scopes) {
        for (Var v : s) {
          if (p.test(v)) {
            vs.add(v);
          }
        }
      }
      return vs;
    }

    private boolean has(Predicate<Var> p) {
      return !all(p).isEmpty();
    }

    private Var pick(Predicate<Var> p) {
      List<Var> vs = all(p);
      return vs.get(r.nextInt(vs.size()));
    }

    private Var pickOrNull(Predicate<Var> p) {
      List<Var> vs = all(p);
      return vs.isEmpty() ? null : vs.get(r.nextInt(vs.size()));
    }

    private String fresh(String prefix) {
      return prefix + (counter++);
    }

    private static String javaType(T t) {
      return switch (t) {
        case DOUBLE -> "double";
        case INT -> "int";
        case BOOL -> "boolean";
        case VEC -> "double[]";
        case MAT -> "double[][]";
      };
    }

    private void line(String s) {
      out.append("  ".repeat(indent)).append(s).append('\n');
    }
  }
}
