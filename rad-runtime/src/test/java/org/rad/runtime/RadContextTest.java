package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RadContextTest {

  @Test
  void factoriesAndThreadDefault() {
    assertTrue(RadContext.exact().isExact());
    assertEquals(0, RadContext.exact().seed());
    RadContext seeded = RadContext.seeded(42);
    assertFalse(seeded.isExact());
    assertEquals(42, seeded.seed());
    assertSame(RadContext.threadDefault(), RadContext.threadDefault());
    assertTrue(RadContext.threadDefault().isExact());
  }

  @Test
  void longsRoundTripIncludingNegativeValues() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    long[] values = {
      0, 1, -1, 42, -42, Long.MAX_VALUE, Long.MIN_VALUE, 0xffffffffL, -0x100000000L,
      0x80000000L, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x1234_5678_9abc_def0L
    };
    SplittableRandom random = new SplittableRandom(3);
    long[] all = new long[values.length + 1000];
    System.arraycopy(values, 0, all, 0, values.length);
    for (int i = values.length; i < all.length; i++) {
      all[i] = random.nextLong();
    }
    ctx.pushInt(-5); // interleaved with ints, which share the tape
    for (long v : all) {
      ctx.pushLong(v);
    }
    long[] popped = new long[all.length];
    for (int i = all.length - 1; i >= 0; i--) {
      popped[i] = ctx.popLong();
    }
    assertArrayEquals(all, popped);
    assertEquals(-5, ctx.popInt());
    ctx.end();
  }

  @Test
  void shadowIsCreatedOnceAndKeyedByIdentity() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[] a = {1, 2, 3};
    double[] b = {1, 2, 3}; // equal to a, but a different array
    double[] sa = ctx.shadow(a);
    assertArrayEquals(new double[3], sa);
    sa[1] = 5;
    assertSame(sa, ctx.shadow(a));
    assertEquals(5, ctx.shadow(a)[1]);
    double[] sb = ctx.shadow(b);
    assertNotSame(sa, sb);
    assertArrayEquals(new double[3], sb);
    assertNull(ctx.shadow((double[]) null));
    assertNull(ctx.shadow((double[][]) null));
    ctx.end();
  }

  @Test
  void matrixShadowHasTheSameRaggedShape() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[][] m = {{1, 2}, null, {3, 4, 5}, {}};
    double[][] s = ctx.shadow(m);
    assertEquals(4, s.length);
    assertArrayEquals(new double[2], s[0]);
    assertNull(s[1]);
    assertArrayEquals(new double[3], s[2]);
    assertEquals(0, s[3].length);
    assertSame(s, ctx.shadow(m));
    ctx.end();
  }

  @Test
  void bindAndDropShadow() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[] x = {1, 2};
    double[] xBar = {10, 20};
    ctx.bindShadow(x, xBar);
    assertSame(xBar, ctx.shadow(x));
    ctx.bindShadow(x, null); // ignored
    assertSame(xBar, ctx.shadow(x));
    ctx.bindShadow(null, xBar); // ignored, no exception
    ctx.dropShadow(x);
    double[] fresh = ctx.shadow(x);
    assertNotSame(xBar, fresh);
    assertArrayEquals(new double[2], fresh);
    ctx.dropShadow(null); // ignored
    double[][] m = {{1}};
    double[][] mBar = {{7}};
    ctx.bindShadow(m, mBar);
    assertSame(mBar, ctx.shadow(m));
    ctx.end();
  }

  @Test
  void shadowsAreForgottenBetweenCalls() {
    RadContext ctx = RadContext.exact();
    double[] a = {1};
    ctx.begin();
    double[] first = ctx.shadow(a);
    ctx.end();
    ctx.begin();
    assertNotSame(first, ctx.shadow(a));
    ctx.abort();
    ctx.begin();
    double[] third = ctx.shadow(a);
    ctx.abort();
    ctx.begin();
    assertNotSame(third, ctx.shadow(a));
    ctx.end();
  }

  @Test
  void endForwardCountsTapesAndTapedArraysOnce() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[] argument = new double[100];
    double[][] matrixArgument = {new double[50]};
    double[] local = new double[5]; // 16 + 40 = 56
    int[] ints = new int[3]; // 16 + 12 = 28
    double[][] matrix = {new double[2], null, new double[1]}; // 16 + 24 + (16 + 16) + (16 + 8) = 96
    for (int i = 0; i < 10; i++) {
      ctx.pushDouble(i); // 80 bytes
    }
    for (int i = 0; i < 3; i++) {
      ctx.pushInt(i); // 12 bytes
    }
    ctx.pushLong(-1); // 8 bytes
    for (int i = 0; i < 9; i++) {
      ctx.pushBit(true); // 2 bytes
    }
    ctx.pushRef(argument);
    ctx.pushRef(local);
    ctx.pushRef(local);
    ctx.pushRef(null);
    ctx.pushRef(ints);
    ctx.pushRef(matrix);
    ctx.pushRef(matrixArgument);
    ctx.pushRef(argument); // 8 refs: 64 bytes
    ctx.pushAdjoint(3); // not counted: the adjoint tape is the reverse sweep's own
    ctx.endForward(argument, matrixArgument, null);
    long tapes = 80 + 12 + 8 + 2 + 64;
    long arrays = 56 + 28 + 96;
    assertEquals(tapes + arrays, ctx.peakTapeBytes());
    ctx.popAdjoint();

    // a smaller second measurement within the same call does not lower the peak
    for (int i = 0; i < 8; i++) {
      ctx.popRef();
    }
    ctx.endForward(argument);
    assertEquals(tapes + arrays, ctx.peakTapeBytes());
    ctx.end();
    assertEquals(tapes + arrays, ctx.peakTapeBytes(), "readable after the call");

    // begin() resets the peak
    ctx.begin();
    ctx.pushDouble(1);
    ctx.endForward();
    assertEquals(8, ctx.peakTapeBytes());
    ctx.popDouble();
    ctx.end();
  }

  /**
   * A short reference tape without matrices is counted by pairwise comparison, a long one by the
   * identity table: both count each array once and leave out the arguments.
   */
  @Test
  void shortAndLongReferenceTapesCountEachArrayOnce() {
    double[] argument = new double[7];
    double[] local = new double[5]; // 16 + 40 = 56
    int[] ints = new int[3]; // 16 + 12 = 28
    for (int copies : new int[] {1, 10}) { // 4 refs, then 40 (past the short path)
      RadContext ctx = RadContext.exact();
      ctx.begin();
      for (int c = 0; c < copies; c++) {
        ctx.pushRef(local);
        ctx.pushRef(argument);
        ctx.pushRef(null);
        ctx.pushRef(ints);
      }
      ctx.endForward(argument);
      assertEquals(8L * 4 * copies + 56 + 28, ctx.peakTapeBytes(), copies + " copies");
      ctx.abort();
    }
  }

  @Test
  void endForwardWithoutArgumentsCountsEveryTapedArray() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[] a = new double[4];
    ctx.pushRef(a);
    ctx.endForward();
    assertEquals(8 + 16 + 32, ctx.peakTapeBytes());
    ctx.endForward(a);
    assertEquals(8 + 16 + 32, ctx.peakTapeBytes());
    ctx.abort();
  }

  @Test
  void beginWhileActiveThrowsAndAbortMakesItReusable() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    ctx.pushDouble(1);
    ctx.pushRef(new double[3]);
    IllegalStateException e = assertThrows(IllegalStateException.class, ctx::begin);
    assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    // the failed begin() did not disturb the running call
    assertEquals(3, ctx.<double[]>popRef().length);
    assertEquals(1, ctx.popDouble());
    ctx.pushDouble(2);
    ctx.pushBit(true);
    ctx.abort(); // the call failed midway
    ctx.begin();
    assertThrows(IllegalStateException.class, ctx::popDouble, "abort() emptied the tapes");
    assertThrows(IllegalStateException.class, ctx::popBit);
    ctx.end();
    ctx.begin(); // end() also makes it reusable
    ctx.end();
  }

  @Test
  void endForwardWithOneMatrixArgumentNeedsACastToObject() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[][] m = {new double[1]};
    ctx.pushRef(m);
    // a lone double[][] is an Object[], so endForward(m) would take its rows as the arguments;
    // (Object) m passes the matrix itself
    ctx.endForward((Object) m);
    assertEquals(8, ctx.peakTapeBytes());
    ctx.abort();
  }

  @Test
  void rowsSharedBetweenTapedMatricesOrWithArgumentsAreCountedOnce() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[] shared = new double[10]; // 16 + 80 = 96
    double[] own = new double[1]; // 16 + 8 = 24
    double[][] first = {shared, own}; // header 16 + 16 = 32
    double[][] second = {shared}; // header 16 + 8 = 24
    ctx.pushRef(first);
    ctx.pushRef(second);
    ctx.pushRef(shared);
    ctx.endForward();
    assertEquals(3 * 8 + 32 + 96 + 24 + 24, ctx.peakTapeBytes());
    ctx.abort();

    // rows of an argument matrix are alive anyway
    ctx.begin();
    double[][] argument = {new double[4], new double[4]};
    double[][] view = {argument[1]}; // header 24, its row belongs to the argument
    ctx.pushRef(argument[0]);
    ctx.pushRef(view);
    ctx.endForward(argument, new double[0]);
    assertEquals(2 * 8 + 24, ctx.peakTapeBytes());
    ctx.abort();
  }

  @Test
  void theReverseSweepFlagIsPerThreadAndFollowsAContextAcrossThreads() throws Exception {
    RadContext ctx = RadContext.exact();
    for (int round = 0; round < 2; round++) {
      // the same context on this thread, then on another: each sees its own flag
      boolean[] seen = new boolean[4];
      Runnable call = () -> {
        ctx.begin();
        seen[0] = RadContext.inReverseSweep();
        ctx.endForward();
        seen[1] = RadContext.inReverseSweep();
        ctx.end();
        seen[2] = RadContext.inReverseSweep();
      };
      call.run();
      assertFalse(seen[0]);
      assertTrue(seen[1]);
      assertFalse(seen[2]);
      boolean[] otherSaw = new boolean[1];
      ctx.begin();
      ctx.endForward();
      Thread other = new Thread(() -> otherSaw[0] = RadContext.inReverseSweep());
      other.start();
      other.join();
      assertFalse(otherSaw[0], "another thread is not in this call's reverse sweep");
      ctx.end();
      Thread worker = new Thread(call);
      worker.start();
      worker.join();
      assertFalse(seen[0]);
      assertTrue(seen[1], "a context used by a second thread sets that thread's flag");
      assertFalse(seen[2]);
      assertFalse(RadContext.inReverseSweep());
    }
  }

  @Test
  void freshReferencesCountTheirArraysAsTheyCome() {
    RadContext ctx = RadContext.exact();
    double[] argument = new double[10];
    double[] a = new double[3];
    double[] b = new double[5];
    ctx.begin();
    ctx.pushFreshRef(a);
    ctx.pushFreshRef(null);
    ctx.pushFreshRef(b);
    ctx.pushRef(argument); // an argument on the ordinary tape: not counted
    ctx.pushRef(a); // the last value of a local (a hand-off): counted by identity, once
    ctx.endForward(argument);
    // references: 5 * 8; arrays: a and b from the fresh tape, (16 + 24) + (16 + 40), and a again
    // from the ordinary tape, which does not look into the fresh one
    assertEquals(5 * 8 + 40 + 56 + 40, ctx.peakTapeBytes());
    assertSame(a, ctx.popRef());
    assertSame(argument, ctx.popRef());
    assertSame(b, ctx.popFreshRef());
    assertNull(ctx.popFreshRef());
    assertSame(a, ctx.popFreshRef());
    ctx.end();
    ctx.begin();
    ctx.pushFreshRef(b);
    ctx.endForward();
    assertEquals(8 + 56, ctx.peakTapeBytes(), "the last call's fresh bytes are gone");
    ctx.abort();
  }
}
