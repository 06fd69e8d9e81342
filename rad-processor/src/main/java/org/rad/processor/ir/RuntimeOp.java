package org.rad.processor.ir;

/**
 * The methods of {@code org.rad.runtime.RadContext} that generated code calls, one constant per
 * method (per overload family): its Java name, how many arguments it takes, what it returns and
 * what it does to the tapes. The IR's {@link Expr.ContextCall} holds one of these instead of a
 * method name, so the passes ask an op what it is ({@link #pushes()}, {@link #pops()}) instead of
 * testing names, and {@code RuntimeOpTest} checks by reflection that every op names a public
 * method of the runtime with that arity and result type: renaming a runtime method fails a test,
 * not the code a user compiles.
 *
 * <p>The processor does not depend on the runtime at compile time (generated code does), which
 * is why the names are written out here once rather than taken from the runtime's classes.
 */
public enum RuntimeOp {
  // ---- one value at a time, last in first out ---------------------------------------------------
  PUSH_DOUBLE("pushDouble", Tape.PUSH, Type.DOUBLE, Type.VOID, 1),
  POP_DOUBLE("popDouble", Tape.POP, Type.DOUBLE, Type.DOUBLE, 0),
  PUSH_INT("pushInt", Tape.PUSH, Type.INT, Type.VOID, 1),
  POP_INT("popInt", Tape.POP, Type.INT, Type.INT, 0),
  PUSH_LONG("pushLong", Tape.PUSH, Type.LONG, Type.VOID, 1),
  POP_LONG("popLong", Tape.POP, Type.LONG, Type.LONG, 0),
  /** A branch decision or any boolean. */
  PUSH_BIT("pushBit", Tape.PUSH, Type.BOOLEAN, Type.VOID, 1),
  POP_BIT("popBit", Tape.POP, Type.BOOLEAN, Type.BOOLEAN, 0),
  /** An array reference (the array itself, not its contents). */
  PUSH_REF("pushRef", Tape.PUSH, null, Type.VOID, 1),
  /** Generic in the runtime ({@code <T> T popRef()}): typed by the call. */
  POP_REF("popRef", Tape.POP, null, null, 0),
  /**
   * A reference to a new {@code double[]} that only the local being overwritten reached: its
   * bytes are counted as it is pushed, with no identity table (see {@code RadContext.pushFreshRef}).
   */
  PUSH_FRESH_REF("pushFreshRef", Tape.PUSH, null, Type.VOID, 1),
  POP_FRESH_REF("popFreshRef", Tape.POP, null, Type.DOUBLE_ARRAY, 0),
  /**
   * The length of such an array alone, where the reverse sweep needs only an adjoint of its size
   * (see {@code RadContext.pushFreshLength}); the pop gives that adjoint, zeros.
   */
  PUSH_FRESH_LENGTH("pushFreshLength", Tape.PUSH, null, Type.VOID, 1),
  POP_FRESH_ADJOINT("popFreshAdjoint", Tape.POP, null, Type.DOUBLE_ARRAY, 0),

  // ---- sampled element records of @Randomize values ------------------------------------------------
  /** {@code pushSampledAt(site, fraction, value, loop indices...)}. */
  PUSH_SAMPLED_AT("pushSampledAt", Tape.PUSH, Type.DOUBLE, Type.VOID, 3, Indices.UNBOUNDED),
  /** {@code popSampledAt(site, fraction, loop indices...)}: the kept value, else 0. */
  POP_SAMPLED_AT("popSampledAt", Tape.POP, Type.DOUBLE, Type.DOUBLE, 2, Indices.UNBOUNDED),
  /** {@code pushSampledRange(site, fraction, array, from, to, outer indices...)}. */
  PUSH_SAMPLED_RANGE("pushSampledRange", Tape.PUSH, Type.DOUBLE, Type.VOID, 5, Indices.UNBOUNDED),
  POP_SAMPLED_RANGE("popSampledRange", Tape.POP, Type.DOUBLE, Type.VOID, 5, Indices.UNBOUNDED),
  /**
   * {@code pushSampledRows(site, fraction, matrix, shift, rowFrom, rowTo, from, to, outer indices...)}:
   * the range records of rows {@code matrix[shift + r]}, r in [rowFrom, rowTo), each keyed by its
   * outer indices and r, in one call (a loop of row records that {@code RecordFission} took apart).
   * The reverse sweep restores them row by row with {@link #POP_SAMPLED_RANGE}: the tape holds the
   * same values in the same order.
   */
  PUSH_SAMPLED_ROWS("pushSampledRows", Tape.PUSH, Type.DOUBLE, Type.VOID, 8, Indices.UNBOUNDED),
  /**
   * {@code pushSampledStrided(site, fraction, array, stride, offset, rowFrom, rowTo, from, to, up to
   * two outer indices)}: the same for rows {@code array[r * stride + offset + x]} of a flat array,
   * restored row by row with {@link #POP_SAMPLED_RANGE_SHIFTED}.
   */
  PUSH_SAMPLED_STRIDED("pushSampledStrided", Tape.PUSH, Type.DOUBLE, Type.VOID, 9, 2),
  /** {@code pushSampledRangeShifted(site, fraction, array, shift, from, to, up to three outer indices)}. */
  PUSH_SAMPLED_RANGE_SHIFTED("pushSampledRangeShifted", Tape.PUSH, Type.DOUBLE, Type.VOID, 6, 3),
  POP_SAMPLED_RANGE_SHIFTED("popSampledRangeShifted", Tape.POP, Type.DOUBLE, Type.VOID, 6, 3),

  // ---- bulk records ------------------------------------------------------------------------------
  /** {@code pushDoubles(array, from, to)}: a slice of a row, in one call. */
  PUSH_DOUBLES("pushDoubles", Tape.PUSH, Type.DOUBLE, Type.VOID, 3),
  POP_DOUBLES("popDoubles", Tape.POP, Type.DOUBLE, Type.VOID, 3),
  /** The whole contents of an array, to be written back in place. */
  PUSH_CONTENTS("pushContents", Tape.PUSH, null, Type.VOID, 1),
  POP_CONTENTS("popContents", Tape.POP, null, Type.VOID, 1),

  // ---- sampled whole-array records (a @Randomize array after its last use) -------------------------
  /** {@code recordArray(site, sampling, fraction, values, key)}. */
  RECORD_ARRAY("recordArray", Tape.NONE, Type.DOUBLE, Type.VOID, 5),
  /** {@code restoreArray(site, sampling, fraction, key)}. */
  RESTORE_ARRAY("restoreArray", Tape.NONE, Type.DOUBLE, Type.DOUBLE_ARRAY, 4),
  /** {@code recordRows(site, sampling, fraction, matrix, sameSampleAcrossRows, key)}. */
  RECORD_ROWS("recordRows", Tape.NONE, Type.DOUBLE, Type.VOID, 6),
  RESTORE_ROWS("restoreRows", Tape.NONE, Type.DOUBLE, Type.DOUBLE_MATRIX, 5),
  RECORD_SLICES("recordSlices", Tape.NONE, Type.DOUBLE, Type.VOID, 6),
  RESTORE_SLICES("restoreSlices", Tape.NONE, Type.DOUBLE, Type.DOUBLE_TENSOR, 5),
  /** {@code recordMatrix(site, sampling, fraction, matrix, sameSampleAcrossRows, key)}. */
  RECORD_SAMPLED_MATRIX("recordMatrix", Tape.NONE, Type.DOUBLE, Type.VOID, 6),
  RESTORE_SAMPLED_MATRIX("restoreMatrix", Tape.NONE, Type.DOUBLE, Type.MATRIX, 5),
  /** {@code recordMatrix(matrix)}: an EJML matrix's values, exactly, to be written back in place. */
  RECORD_MATRIX("recordMatrix", Tape.NONE, Type.DOUBLE, Type.VOID, 1),
  RESTORE_MATRIX("restoreMatrix", Tape.NONE, Type.DOUBLE, Type.VOID, 1),

  // ---- intermediates kept by a primal for its reverse (fPrimalKeep, fReverseKept) ------------------
  KEEP("keep", Tape.PUSH, Type.DOUBLE, Type.VOID, 1),
  POP_KEPT("popKept", Tape.POP, Type.DOUBLE, Type.DOUBLE, 0),

  // ---- adjoints handed between a caller and a callee ---------------------------------------------
  PUSH_ADJOINT("pushAdjoint", Tape.PUSH, Type.DOUBLE, Type.VOID, 1),
  POP_ADJOINT("popAdjoint", Tape.POP, Type.DOUBLE, Type.DOUBLE, 0),

  // ---- adjoint arrays found by their array's identity ----------------------------------------------
  /** The adjoint array of an array; overloaded per array type in the runtime, so typed by the call. */
  SHADOW("shadow", Tape.NONE, null, null, 1),
  /** The adjoint matrix of an EJML matrix. */
  SHADOW_MATRIX("shadowMatrix", Tape.NONE, null, Type.MATRIX, 1),
  /** {@code bindShadow(array, bar)}: {@code bar} is the adjoint of {@code array} from now on. */
  BIND_SHADOW("bindShadow", Tape.NONE, null, Type.VOID, 2),
  /** Forgets an array's adjoint (the local that held the array is overwritten). */
  DROP_SHADOW("dropShadow", Tape.NONE, null, Type.VOID, 1),

  // ---- a gradient call's life ----------------------------------------------------------------------
  BEGIN("begin", Tape.NONE, null, Type.VOID, 0),
  /** {@code endForward(Object... arguments)}: the arrays given, one array argument. */
  END_FORWARD("endForward", Tape.NONE, null, Type.VOID, 1),
  END("end", Tape.NONE, null, Type.VOID, 0),
  ABORT("abort", Tape.NONE, null, Type.VOID, 0),

  // ---- what a GPU launch asks of the context -------------------------------------------------------
  IS_EXACT("isExact", Tape.NONE, null, Type.BOOLEAN, 0),
  SAMPLE_SEED("sampleSeed", Tape.NONE, null, Type.LONG, 0),
  SCALES_SAMPLES("scalesSamples", Tape.NONE, null, Type.BOOLEAN, 0),
  FRACTION_FOR("fractionFor", Tape.NONE, null, Type.DOUBLE, 1);

  /** What a call does to the tapes, in the order the reverse sweep must mirror. */
  public enum Tape {
    /** Appends to a tape: the reverse sweep takes it back with the matching pop. */
    PUSH,
    /** Takes back the last push of its kind. */
    POP,
    /**
     * Not a push or a pop of one kind of value: the adjoint lookups, a gradient call's life, and
     * the record and restore pairs of whole arrays and matrices (which keep their own tallies on
     * the tapes; the passes treat them as neither, which is what they assume of them).
     */
    NONE
  }

  /** {@link #maxIndices} of an op whose runtime method has a varargs overload for any number of indices. */
  public static final int UNBOUNDED = Indices.UNBOUNDED;

  /** (Holds the constant the enum constants above are built with: they cannot refer to a field of their own class.) */
  private static final class Indices {
    static final int UNBOUNDED = Integer.MAX_VALUE;
  }

  private final String methodName;
  private final Tape tape;
  private final Type element;
  private final Type result;
  private final int arity;
  private final int maxIndices;

  RuntimeOp(String methodName, Tape tape, Type element, Type result, int arity) {
    this(methodName, tape, element, result, arity, 0);
  }

  RuntimeOp(String methodName, Tape tape, Type element, Type result, int arity, int maxIndices) {
    this.methodName = methodName;
    this.tape = tape;
    this.element = element;
    this.result = result;
    this.arity = arity;
    this.maxIndices = maxIndices;
  }

  /** The method's name in {@code RadContext}, as generated code calls it. */
  public String methodName() {
    return methodName;
  }

  /**
   * Whether the GPU session ({@code org.rad.runtime.cuda.CudaSession}, {@code cs} in generated
   * code) has this method too, for device arrays: the adjoint lookups.
   */
  public boolean onCudaSession() {
    return this == SHADOW || this == BIND_SHADOW || this == DROP_SHADOW;
  }

  /**
   * Whether its record keeps a random sample of the values (a @Randomize record): the sampled
   * element, range and whole-array records and their restores.
   */
  public boolean sampled() {
    return switch (this) {
      case PUSH_SAMPLED_AT, POP_SAMPLED_AT, PUSH_SAMPLED_RANGE, POP_SAMPLED_RANGE, PUSH_SAMPLED_ROWS,
          PUSH_SAMPLED_STRIDED, PUSH_SAMPLED_RANGE_SHIFTED, POP_SAMPLED_RANGE_SHIFTED, RECORD_ARRAY, RESTORE_ARRAY,
          RECORD_ROWS, RESTORE_ROWS, RECORD_SLICES, RESTORE_SLICES, RECORD_SAMPLED_MATRIX, RESTORE_SAMPLED_MATRIX -> true;
      default -> false;
    };
  }

  /** Whether the call appends to a tape. */
  public boolean pushes() {
    return tape == Tape.PUSH;
  }

  /** Whether the call takes back the last push of its kind. */
  public boolean pops() {
    return tape == Tape.POP;
  }

  /** What the call does to the tapes. */
  public Tape tape() {
    return tape;
  }

  /**
   * The type of the values it records or restores ({@code DOUBLE} for the sampled and bulk
   * records, {@code BOOLEAN} for bits), or null where it handles array references or no value.
   */
  public Type element() {
    return element;
  }

  /** What the runtime method returns, or null where the call's own type says it (see {@link #typedByCall}). */
  public Type result() {
    return result;
  }

  /** Whether the result type is the call's: a generic method ({@code popRef}) or one overload per array type ({@code shadow}). */
  public boolean typedByCall() {
    return result == null;
  }

  /** The number of arguments before any loop indices. */
  public int arity() {
    return arity;
  }

  /**
   * How many loop indices ({@code long}) may follow the {@link #arity} fixed arguments: 0 for most
   * ops, {@link #UNBOUNDED} where the runtime has overloads for up to three and a varargs one.
   */
  public int maxIndices() {
    return maxIndices;
  }

  /** Whether a call passes {@code args} arguments: the fixed ones, then at most {@link #maxIndices} indices. */
  public boolean accepts(int args) {
    return args >= arity && args - arity <= maxIndices;
  }

  /** {@link #PUSH_DOUBLE}, {@link #PUSH_INT}, ...: the push of one value of type {@code t}. */
  public static RuntimeOp push(Type t) {
    return switch (t) {
      case DOUBLE -> PUSH_DOUBLE;
      case INT -> PUSH_INT;
      case LONG -> PUSH_LONG;
      case BOOLEAN -> PUSH_BIT;
      default -> PUSH_REF;
    };
  }

  /** {@link #POP_DOUBLE}, {@link #POP_INT}, ...: the pop of one value of type {@code t}. */
  public static RuntimeOp pop(Type t) {
    return switch (t) {
      case DOUBLE -> POP_DOUBLE;
      case INT -> POP_INT;
      case LONG -> POP_LONG;
      case BOOLEAN -> POP_BIT;
      default -> POP_REF;
    };
  }

  /** The adjoint lookup for an array of type {@code t}: {@link #SHADOW_MATRIX} for an EJML matrix, else {@link #SHADOW}. */
  public static RuntimeOp shadow(Type t) {
    return t == Type.MATRIX ? SHADOW_MATRIX : SHADOW;
  }

  /**
   * This op as called with a first argument of type {@code first}: {@link #SHADOW} on a matrix is
   * {@link #SHADOW_MATRIX}; every other op is itself.
   */
  public RuntimeOp on(Type first) {
    return this == SHADOW ? shadow(first) : this;
  }

  /**
   * The sampled whole-array record of a @Randomize array of type {@code t}: {@code recordArray},
   * {@code recordRows} (a double[][], row by row), {@code recordSlices} (a double[][][], slice by
   * slice and row by row), {@code recordMatrix}.
   */
  public static RuntimeOp recordWhole(Type t) {
    return switch (t) {
      case DOUBLE_MATRIX -> RECORD_ROWS;
      case DOUBLE_TENSOR -> RECORD_SLICES;
      case MATRIX -> RECORD_SAMPLED_MATRIX;
      default -> RECORD_ARRAY;
    };
  }

  /** The sampled reconstruction that matches {@link #recordWhole}. */
  public static RuntimeOp restoreWhole(Type t) {
    return switch (t) {
      case DOUBLE_MATRIX -> RESTORE_ROWS;
      case DOUBLE_TENSOR -> RESTORE_SLICES;
      case MATRIX -> RESTORE_SAMPLED_MATRIX;
      default -> RESTORE_ARRAY;
    };
  }
}
