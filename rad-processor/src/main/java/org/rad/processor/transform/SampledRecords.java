package org.rad.processor.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.analysis.Statements;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RandomizeSpec;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The records of a method with {@code @Randomize} requests ({@link RandomizedRecords} says which
 * and how): a randomized double, or an element of a randomized array class, is kept with the
 * requested probability ({@code ctx.pushSampledAt(site, f, value, loop indices...)}, and {@code
 * ctx.popSampledAt} regenerates the decision from the site and the indices); a slice of such
 * elements is one sampled range record; an array read but never overwritten may be recorded
 * whole after its last use, through the requested sampler, and its reconstruction restored.
 * Every other value is recorded exactly ({@link ExactRecords}).
 */
final class SampledRecords implements Records {
  private final RandomizedRecords randomized;
  private final AliasClasses aliases;
  private final ExactRecords exact = new ExactRecords();

  SampledRecords(RandomizedRecords randomized, AliasClasses aliases) {
    this.randomized = randomized;
    this.aliases = aliases;
  }

  @Override
  public Stmt record(Expr target, At at) {
    String key = sampledKey(target);
    if (key == null) {
      return exact.record(target, at);
    }
    RandomizeSpec spec = randomized.spec(key);
    randomized.markRecorded(key);
    List<Expr> args = new ArrayList<>(List.of(Expr.Literal.ofInt(randomized.site(at.site())),
        Expr.Literal.ofDouble(spec.fraction()), target));
    args.addAll(RandomizedRecords.keyIndices(at.loopIndices(), spec));
    return new Stmt.Call(new Expr.ContextCall(RuntimeOp.PUSH_SAMPLED_AT, args, Type.VOID), Origin.SYNTHETIC);
  }

  @Override
  public Stmt.Assign restore(Expr target, At at) {
    String key = sampledKey(target);
    if (key == null) {
      return exact.restore(target, at);
    }
    RandomizeSpec spec = randomized.spec(key);
    List<Expr> args = new ArrayList<>(List.of(Expr.Literal.ofInt(randomized.site(at.site())),
        Expr.Literal.ofDouble(spec.fraction())));
    args.addAll(RandomizedRecords.keyIndices(at.loopIndices(), spec));
    return new Stmt.Assign(target, Stmt.AssignOp.SET, new Expr.ContextCall(RuntimeOp.POP_SAMPLED_AT, args, Type.DOUBLE),
        Origin.SYNTHETIC);
  }

  /**
   * A sampled slice needs the loop's index to be the last index of the record's key, so that the
   * slice's element keys are the element records' keys; a shifted one takes at most three outer
   * key indices (the runtime's overloads).
   */
  @Override
  public boolean takesSlice(Expr.Index target, Var index, boolean shifted, At at) {
    String key = sampledKey(target);
    if (key == null) {
      return exact.takesSlice(target, index, shifted, at);
    }
    List<Expr> indices = RandomizedRecords.keyIndices(at.loopIndices(), randomized.spec(key));
    if (indices.isEmpty() || !(indices.get(indices.size() - 1) instanceof Expr.Ref r && r.var().equals(index))) {
      return false;
    }
    return !shifted || indices.size() <= 4;
  }

  @Override
  public Stmt recordSlice(Slice slice, Expr target, At at) {
    return slice(true, slice, target, at);
  }

  @Override
  public Stmt restoreSlice(Slice slice, Expr target, At at) {
    return slice(false, slice, target, at);
  }

  /** {@code ctx.pushSampledRange(site, f, array, [shift,] from, to, outer indices)} or its pop. */
  private Stmt slice(boolean push, Slice slice, Expr target, At at) {
    String key = sampledKey(target);
    if (key == null) {
      return push ? exact.recordSlice(slice, target, at) : exact.restoreSlice(slice, target, at);
    }
    RandomizeSpec spec = randomized.spec(key);
    randomized.markRecorded(key);
    List<Expr> args = new ArrayList<>(List.of(Expr.Literal.ofInt(randomized.site(at.site())),
        Expr.Literal.ofDouble(spec.fraction()), slice.array()));
    if (slice.shifted()) {
      args.add(slice.shift()); // element x of the record is array[shift + x]
    }
    args.add(slice.from());
    args.add(slice.to());
    List<Expr> indices = RandomizedRecords.keyIndices(at.loopIndices(), spec);
    args.addAll(indices.subList(0, indices.size() - 1)); // the slice's own index is the element's
    RuntimeOp op = slice.shifted()
        ? push ? RuntimeOp.PUSH_SAMPLED_RANGE_SHIFTED : RuntimeOp.POP_SAMPLED_RANGE_SHIFTED
        : push ? RuntimeOp.PUSH_SAMPLED_RANGE : RuntimeOp.POP_SAMPLED_RANGE;
    return new Stmt.Call(new Expr.ContextCall(op, args, Type.VOID), Origin.SYNTHETIC);
  }

  @Override
  public List<Var> wholeAfter(Stmt s, Set<String> needed) {
    return randomized.spillsAfter(s, needed, aliases);
  }

  @Override
  public List<Stmt> recordWhole(Var v, boolean letGo, List<Var> loopIndices) {
    String key = aliases.contentsKey(v.name());
    RandomizeSpec spec = randomized.spec(key);
    randomized.markRecorded(key);
    List<Expr> args = new ArrayList<>(List.of(Expr.Literal.ofInt(randomized.site(v)), RandomizedRecords.sampling(spec),
        Expr.Literal.ofDouble(spec.fraction()), new Expr.Ref(v)));
    if (v.type().isNested() || v.type() == Type.MATRIX) {
      args.add(new Expr.Literal(Boolean.toString(spec.sameAcrossRows()), Type.BOOLEAN));
    }
    args.add(RandomizedRecords.key(List.copyOf(loopIndices), spec));
    Stmt record = new Stmt.Call(new Expr.ContextCall(RuntimeOp.recordWhole(v.type()), args, Type.VOID), Origin.SYNTHETIC);
    return letGo ? List.of(record, new Stmt.Assign(new Expr.Ref(v), Stmt.AssignOp.SET, new Expr.Literal("null", v.type()),
        Origin.SYNTHETIC)) : List.of(record);
  }

  @Override
  public Stmt restoreWhole(Var v, List<Var> loopIndices) {
    RandomizeSpec spec = randomized.spec(aliases.contentsKey(v.name()));
    List<Expr> args = new ArrayList<>(List.of(Expr.Literal.ofInt(randomized.site(v)), RandomizedRecords.sampling(spec),
        Expr.Literal.ofDouble(spec.fraction())));
    if (v.type().isNested() || v.type() == Type.MATRIX) {
      args.add(new Expr.Literal(Boolean.toString(spec.sameAcrossRows()), Type.BOOLEAN));
    }
    args.add(RandomizedRecords.key(List.copyOf(loopIndices), spec));
    return new Stmt.Assign(new Expr.Ref(v), Stmt.AssignOp.SET,
        new Expr.ContextCall(RuntimeOp.restoreWhole(v.type()), args, v.type()), Origin.SYNTHETIC);
  }

  /** The sampled push and pop of a @Randomize double handed from the forward to the reverse sweep. */
  static Stmt[] handoff(Var v, RandomizedRecords randomized) {
    RandomizeSpec spec = randomized.spec(v.name());
    randomized.markRecorded(v.name());
    Expr site = Expr.Literal.ofInt(randomized.site(v));
    Expr f = Expr.Literal.ofDouble(spec.fraction());
    // outside any loop: element 0 of the record keyed CounterRng.key()
    return new Stmt[] {
      new Stmt.Call(SweepBuilder.ctx(RuntimeOp.PUSH_SAMPLED_AT, Type.VOID, site, f, new Expr.Ref(v)), Origin.SYNTHETIC),
      new Stmt.Assign(new Expr.Ref(v), Stmt.AssignOp.SET, SweepBuilder.ctx(RuntimeOp.POP_SAMPLED_AT, Type.DOUBLE, site, f),
          Origin.SYNTHETIC)
    };
  }

  /**
   * The @Randomize key whose records {@code target} belongs to, when its record is a sampled
   * element record: a randomized double, or an element of a randomized array class.
   */
  private String sampledKey(Expr target) {
    if (target.type() != Type.DOUBLE) {
      return null;
    }
    String key = target instanceof Expr.Ref r ? r.var().name() : aliases.contentsKey(Statements.rootVar(target));
    return randomized.sampledKeys().contains(key) ? key : null;
  }
}
