package org.rad.processor.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rad.processor.analysis.AliasClasses;
import org.rad.processor.ir.Expr;
import org.rad.processor.ir.IrText;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Origin;
import org.rad.processor.ir.RandomizeSpec;
import org.rad.processor.ir.RuntimeOp;
import org.rad.processor.ir.Stmt;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/**
 * The record strategies ({@link ExactRecords}, {@link SampledRecords}) on hand-built IR: which
 * runtime call records a value, an element, a slice or a whole array, and that each restore takes
 * back what its record took (the same op family, site and key indices).
 */
class RecordsTest {
  static final Var A = new Var("a", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var B = new Var("b", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var W = new Var("w", Type.DOUBLE_ARRAY, Var.Kind.PARAMETER);
  static final Var M = new Var("m", Type.DOUBLE_MATRIX, Var.Kind.PARAMETER);
  static final Var S = Var.local("s", Type.DOUBLE);
  static final Var N = Var.local("n", Type.INT);
  static final Var I = Var.local("i", Type.INT);
  static final Var J = Var.local("j", Type.INT);
  static final Var K = Var.local("k", Type.INT);
  static final Var P = Var.local("p", Type.INT);
  static final Var Q = Var.local("q", Type.INT);

  /** A statement that owns records (their site). */
  static final Stmt SITE = new Stmt.Assign(new Expr.Index(new Expr.Ref(A), new Expr.Ref(I)), Stmt.AssignOp.SET,
      Expr.Literal.ofDouble(0), Origin.SYNTHETIC);

  static Expr.Index elem(Var array, Var index) {
    return new Expr.Index(new Expr.Ref(array), new Expr.Ref(index));
  }

  static Expr.ContextCall call(Stmt s) {
    if (s instanceof Stmt.Call c) {
      return (Expr.ContextCall) c.call();
    }
    return (Expr.ContextCall) ((Stmt.Assign) s).value();
  }

  static List<String> args(Expr.ContextCall c) {
    List<String> out = new ArrayList<>();
    c.args().forEach(a -> out.add(IrText.of(a)));
    return out;
  }

  /** A method {@code f(a, b, w, m)} with the given @Randomize requests and its strategy. */
  static final class Method {
    final MethodIR ir;
    final AliasClasses aliases;
    final RandomizedRecords randomized;
    final Records records;

    Method(Stmt.Block body, RandomizeSpec... specs) {
      Map<String, RandomizeSpec> requests = new LinkedHashMap<>();
      for (RandomizeSpec spec : specs) {
        requests.put(spec.var(), spec);
      }
      ir = new MethodIR("f", true, List.of(A, B, W, M), Type.DOUBLE, body, List.of(S, N, I, J, K, P, Q), List.of(A),
          true, Origin.SYNTHETIC, requests);
      aliases = AliasClasses.of(ir, Map.of());
      AtomicInteger sites = new AtomicInteger(7);
      randomized = specs.length == 0 ? null : new RandomizedRecords(ir, aliases, sites::getAndIncrement);
      records = Records.of(randomized, aliases);
    }
  }

  static RandomizeSpec randomize(Var v, double fraction, String... sameAcross) {
    return new RandomizeSpec(v.name(), fraction, "BERNOULLI", List.of(sameAcross), Origin.SYNTHETIC);
  }

  @Test
  void aMethodWithoutRequestsRecordsExactlyAndOneWithRequestsSamples() {
    assertInstanceOf(ExactRecords.class, new Method(Stmt.Block.of(List.of())).records);
    assertInstanceOf(SampledRecords.class, new Method(Stmt.Block.of(List.of()), randomize(A, 0.5)).records);
  }

  @Test
  void exactRecordsUseTheTapeOfTheValuesType() {
    Records exact = new Method(Stmt.Block.of(List.of())).records;
    Records.At at = new Records.At(SITE, List.of(I));
    assertEquals(RuntimeOp.PUSH_DOUBLE, call(exact.record(elem(A, I), at)).op());
    assertEquals(RuntimeOp.PUSH_INT, call(exact.record(new Expr.Ref(N), at)).op());
    assertEquals(RuntimeOp.PUSH_REF, call(exact.record(new Expr.Ref(B), at)).op());
    Stmt.Assign pop = exact.restore(new Expr.Ref(N), at);
    assertEquals(new Expr.Ref(N), pop.target());
    assertEquals(RuntimeOp.POP_INT, call(pop).op());
    assertEquals(Type.INT, call(pop).type());
    assertTrue(Records.isElementRestore(exact.restore(elem(A, I), at), elem(A, I)));
    assertFalse(Records.isElementRestore(exact.restore(elem(A, I), at), elem(B, I)));
  }

  /** A fresh array local (every value a new array only it reaches) goes on the fresh-reference tape; others do not. */
  @Test
  void freshArrayLocalsGoOnTheFreshReferenceTape() {
    Var fresh = Var.local("k1", Type.DOUBLE_ARRAY);
    Var other = Var.local("buffer", Type.DOUBLE_ARRAY);
    Records exact = new ExactRecords(java.util.Set.of("k1"));
    Records.At at = new Records.At(SITE, List.of(I));
    assertEquals(RuntimeOp.PUSH_FRESH_REF, call(exact.record(new Expr.Ref(fresh), at)).op());
    Stmt.Assign pop = exact.restore(new Expr.Ref(fresh), at);
    assertEquals(RuntimeOp.POP_FRESH_REF, call(pop).op());
    assertEquals(new Expr.Ref(fresh), pop.target());
    assertEquals(RuntimeOp.PUSH_REF, call(exact.record(new Expr.Ref(other), at)).op());
    assertEquals(RuntimeOp.POP_REF, call(exact.restore(new Expr.Ref(other), at)).op());
    // an element of the fresh array is a value like any other
    assertEquals(RuntimeOp.PUSH_DOUBLE, call(exact.record(elem(fresh, I), at)).op());
  }

  @Test
  void exactSlicesAreOneBulkCopyShiftedByTheirBase() {
    Records exact = new Method(Stmt.Block.of(List.of())).records;
    Records.At at = new Records.At(SITE, List.of(J, I));
    assertTrue(exact.takesSlice(elem(A, I), I, true, at));
    Records.Slice plain = new Records.Slice(new Expr.Ref(A), Expr.Literal.ofInt(0), new Expr.Ref(N), I,
        Expr.Literal.ofInt(0));
    Expr.ContextCall push = call(exact.recordSlice(plain, elem(A, I), at));
    assertEquals(RuntimeOp.PUSH_DOUBLES, push.op());
    assertEquals(List.of("a", "0", "n"), args(push));
    Records.Slice shifted = new Records.Slice(new Expr.Ref(A), Expr.Literal.ofInt(1), new Expr.Ref(N), I,
        new Expr.Ref(K));
    Expr.ContextCall pop = call(exact.restoreSlice(shifted, elem(A, I), at));
    assertEquals(RuntimeOp.POP_DOUBLES, pop.op());
    assertEquals(List.of("a", "(k + 1)", "(k + n)"), args(pop));
    assertEquals(List.of(), exact.wholeAfter(SITE, Set.of("#a")));
    assertThrows(IllegalStateException.class, () -> exact.recordWhole(W, true, List.of()));
  }

  @Test
  void aRandomizedElementIsSampledAtItsSiteAndLoopIndicesAndItsRestoreRegeneratesTheSame() {
    Method m = new Method(Stmt.Block.of(List.of()), randomize(A, 0.25));
    Records.At at = new Records.At(SITE, List.of(J, I));
    Expr.ContextCall push = call(m.records.record(elem(A, I), at));
    assertEquals(RuntimeOp.PUSH_SAMPLED_AT, push.op());
    assertEquals(List.of("7", "0.25", "a[i]", "j", "i"), args(push));
    Expr.ContextCall pop = call(m.records.restore(elem(A, I), at));
    assertEquals(RuntimeOp.POP_SAMPLED_AT, pop.op());
    assertEquals(List.of("7", "0.25", "j", "i"), args(pop)); // the same site and key: the same decision
    assertTrue(Records.isElementRestore(m.records.restore(elem(A, I), at), elem(A, I)));
    assertFalse(m.randomized.unrecorded().contains(m.aliases.contentsKey("a")));
  }

  @Test
  void whatIsNotRandomizedStaysExactInASampledMethod() {
    Method m = new Method(Stmt.Block.of(List.of()), randomize(A, 0.25));
    Records.At at = new Records.At(SITE, List.of(I));
    assertEquals(RuntimeOp.PUSH_DOUBLE, call(m.records.record(elem(B, I), at)).op());
    assertEquals(RuntimeOp.POP_DOUBLE, call(m.records.restore(elem(B, I), at)).op());
    assertEquals(RuntimeOp.PUSH_INT, call(m.records.record(new Expr.Ref(N), at)).op());
    // an array reference is not a sampled value, even of a randomized class
    assertEquals(RuntimeOp.PUSH_REF, call(m.records.record(new Expr.Ref(A), at)).op());
  }

  @Test
  void indicesNamedSameAcrossAreLeftOutOfTheKey() {
    Method m = new Method(Stmt.Block.of(List.of()), randomize(S, 0.5, "j"));
    Expr.ContextCall push = call(m.records.record(new Expr.Ref(S), new Records.At(SITE, List.of(J, I))));
    assertEquals(RuntimeOp.PUSH_SAMPLED_AT, push.op());
    assertEquals(List.of("7", "0.5", "s", "i"), args(push));
  }

  @Test
  void aSampledSliceNeedsTheLoopIndexLastInTheKeyAndAtMostThreeOuterIndicesWhenShifted() {
    Method m = new Method(Stmt.Block.of(List.of()), randomize(A, 0.25));
    assertTrue(m.records.takesSlice(elem(A, I), I, false, new Records.At(SITE, List.of(J, I))));
    // the loop over i is not the innermost key index: the slice's element keys would differ
    assertFalse(m.records.takesSlice(elem(A, I), I, false, new Records.At(SITE, List.of(I, J))));
    Method across = new Method(Stmt.Block.of(List.of()), randomize(A, 0.25, "i"));
    assertFalse(across.records.takesSlice(elem(A, I), I, false, new Records.At(SITE, List.of(I))));
    List<Var> five = List.of(P, Q, K, J, I);
    assertTrue(m.records.takesSlice(elem(A, I), I, false, new Records.At(SITE, five)));
    assertFalse(m.records.takesSlice(elem(A, I), I, true, new Records.At(SITE, five)));
    assertTrue(m.records.takesSlice(elem(A, I), I, true, new Records.At(SITE, five.subList(1, 5))));
    // an exact array in a sampled method: any slice
    assertTrue(m.records.takesSlice(elem(B, I), I, true, new Records.At(SITE, List.of(I, J))));
  }

  @Test
  void aSampledSliceIsOneRangeRecordKeyedByTheOuterIndices() {
    Method m = new Method(Stmt.Block.of(List.of()), randomize(A, 0.25));
    Records.At at = new Records.At(SITE, List.of(J, I));
    Records.Slice plain = new Records.Slice(new Expr.Ref(A), Expr.Literal.ofInt(0), new Expr.Ref(N), I,
        Expr.Literal.ofInt(0));
    Expr.ContextCall push = call(m.records.recordSlice(plain, elem(A, I), at));
    assertEquals(RuntimeOp.PUSH_SAMPLED_RANGE, push.op());
    assertEquals(List.of("7", "0.25", "a", "0", "n", "j"), args(push));
    Expr.ContextCall pop = call(m.records.restoreSlice(plain, elem(A, I), at));
    assertEquals(RuntimeOp.POP_SAMPLED_RANGE, pop.op());
    assertEquals(args(push), args(pop));
    Records.Slice shifted = new Records.Slice(new Expr.Ref(A), Expr.Literal.ofInt(0), new Expr.Ref(N), I,
        new Expr.Ref(K));
    Expr.ContextCall range = call(m.records.recordSlice(shifted, elem(A, I), at));
    assertEquals(RuntimeOp.PUSH_SAMPLED_RANGE_SHIFTED, range.op());
    assertEquals(List.of("7", "0.25", "a", "k", "0", "n", "j"), args(range));
    // an exact array's slice in a sampled method is the exact bulk copy
    assertEquals(RuntimeOp.PUSH_DOUBLES, call(m.records.recordSlice(
        new Records.Slice(new Expr.Ref(B), Expr.Literal.ofInt(0), new Expr.Ref(N), I, Expr.Literal.ofInt(0)),
        elem(B, I), at)).op());
  }

  @Test
  void anArrayReadButNeverOverwrittenIsRecordedWholeAfterItsLastUseAndRestoredFromTheSameSite() {
    Stmt read = new Stmt.Assign(new Expr.Ref(S), Stmt.AssignOp.SET, elem(W, I), Origin.SYNTHETIC);
    Stmt after = new Stmt.Assign(new Expr.Ref(S), Stmt.AssignOp.MUL, Expr.Literal.ofDouble(2), Origin.SYNTHETIC);
    Method m = new Method(Stmt.Block.of(List.of(read, after)), randomize(W, 0.5));
    m.randomized.planSpills(m.ir, m.aliases, Set.of());
    String key = m.aliases.contentsKey("w");
    assertEquals(List.of(W), m.records.wholeAfter(read, Set.of(key)));
    assertEquals(List.of(), m.records.wholeAfter(after, Set.of(key)));
    assertEquals(List.of(), m.records.wholeAfter(read, Set.of())); // the reverse sweep never reads it
    List<Stmt> record = m.records.recordWhole(W, true, List.of());
    assertEquals(2, record.size());
    Expr.ContextCall whole = call(record.get(0));
    assertEquals(RuntimeOp.RECORD_ARRAY, whole.op());
    assertEquals("w = null", IrText.of(record.get(1))); // let go: the full array becomes unreachable
    assertEquals(1, m.records.recordWhole(W, false, List.of()).size());
    Stmt restore = m.records.restoreWhole(W, List.of());
    assertEquals(RuntimeOp.RESTORE_ARRAY, call(restore).op());
    assertEquals(Type.DOUBLE_ARRAY, call(restore).type());
    assertEquals(IrText.of(whole.args().get(0)), IrText.of(call(restore).args().get(0))); // one site
  }

  @Test
  void aMatrixIsRecordedRowByRowWithItsSameAcrossRowsFlag() {
    Method m = new Method(Stmt.Block.of(List.of()), randomize(M, 0.5, RandomizeSpec.ROWS));
    Expr.ContextCall rows = call(m.records.recordWhole(M, false, List.of(I)).get(0));
    assertEquals(RuntimeOp.RECORD_ROWS, rows.op());
    assertEquals(6, rows.args().size());
    assertEquals("true", IrText.of(rows.args().get(4)));
    Expr.ContextCall back = call(m.records.restoreWhole(M, List.of(I)));
    assertEquals(RuntimeOp.RESTORE_ROWS, back.op());
    assertEquals(5, back.args().size());
  }

  @Test
  void controlFlowAndContentsRecordsAreExactInEveryStrategy() {
    Stmt.Assign trips = new Stmt.Assign(new Expr.Ref(N), Stmt.AssignOp.SET, Expr.Literal.ofInt(0), Origin.SYNTHETIC);
    for (Records r : List.of(new Method(Stmt.Block.of(List.of())).records,
        new Method(Stmt.Block.of(List.of()), randomize(A, 0.25), randomize(S, 0.5)).records)) {
      Expr.ContextCall bit = call(r.recordBit(new Expr.Ref(S)));
      assertEquals(RuntimeOp.PUSH_BIT, bit.op());
      assertEquals(List.of("s"), args(bit));
      assertEquals(RuntimeOp.POP_BIT, ((Expr.ContextCall) r.restoreBit()).op());
      assertEquals(RuntimeOp.PUSH_INT, call(r.recordTrips(N)).op());
      assertEquals(Type.INT, r.restoreTrips().type());
      assertEquals(RuntimeOp.POP_INT, call(new Stmt.Assign(trips.target(), Stmt.AssignOp.SET, r.restoreTrips(),
          Origin.SYNTHETIC)).op());
      assertEquals(RuntimeOp.PUSH_CONTENTS, call(r.recordContents(new Expr.Ref(A))).op());
      assertEquals(RuntimeOp.POP_CONTENTS, call(r.restoreContents(new Expr.Ref(A))).op());
    }
  }

  @Test
  void aHandedOffDoubleIsOneSampledElementPushedAndPoppedAtItsOwnSite() {
    Method m = new Method(Stmt.Block.of(List.of()), randomize(S, 0.5));
    Stmt[] handoff = SampledRecords.handoff(S, m.randomized);
    assertEquals(RuntimeOp.PUSH_SAMPLED_AT, call(handoff[0]).op());
    assertEquals(List.of("7", "0.5", "s"), args(call(handoff[0])));
    assertEquals(RuntimeOp.POP_SAMPLED_AT, call(handoff[1]).op());
    assertEquals(List.of("7", "0.5"), args(call(handoff[1])));
  }
}
