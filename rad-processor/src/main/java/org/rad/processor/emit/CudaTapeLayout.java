package org.rad.processor.emit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rad.processor.cuda.Kernel;
import org.rad.processor.ir.Expr;

/**
 * Where the records of one kernel launch live on the device tape. A launch over {@code T} threads
 * with {@code D} exact records (pushDouble, pushBit) and {@code S} sampled ones (pushSampledAt)
 * takes one region of the tape, starting at the {@code base} the host reserves:
 *
 * <pre>
 *   [ exact records: D x T, dense ][ sampled records ]
 * </pre>
 *
 * Exact record {@code d} of thread {@code t} is at {@code base + d * T + t} (consecutive threads,
 * consecutive addresses). The sampled part depends on the context: with {@code RadContext.exact()}
 * it is dense as well ({@code S x T}, record {@code s} of thread {@code t} at {@code base + D * T +
 * s * T + t}); with a seeded context it is compact and holds only the kept entries, so its size is
 * the number {@code K} of kept entries, as on the CPU's tape.
 *
 * <p><b>The compact part.</b> Each thread decides its records with {@code rad_keep}, the skip walk
 * of {@code CounterRng} (a pure function of the sample seed, the site, the loop indices and the
 * fraction), and each warp gathers its decisions with {@code __ballot_sync}: {@code mask[s]} has bit
 * {@code l} set when lane {@code l} keeps record {@code s}. A warp {@code w} (in the order {@code
 * rad_warp_index}) keeps {@code c(w) = popc(mask[0]) + ... + popc(mask[S-1])} entries; a count
 * kernel ({@code <kernel>_count}, the same decisions) writes {@code c(w)}, and {@code
 * CudaSession} turns the counts into their exclusive prefix sums {@code o(w) = c(0) + ... +
 * c(w-1)} (warp-level scans, level by level) and reserves {@code K = o(W)}. Then lane {@code l}'s
 * entry of record {@code s} is at
 *
 * <pre>
 *   base + D * T + o(w) + popc(mask[0]) + ... + popc(mask[s-1]) + popc(mask[s] &amp; lanes below l)
 * </pre>
 *
 * <p><b>Why concurrent writers cannot collide.</b> The ranges {@code [o(w), o(w) + c(w))} of the
 * warps are disjoint and tile {@code [0, K)}; inside a warp the formula maps the kept pairs
 * {@code (s, l)} one to one onto its range (record by record, then lane by lane). So every kept
 * entry has its own address, no thread writes where another writes or reads, and no atomic
 * operation is involved: the layout is a function of the decisions and the launch's shape alone,
 * not of the order in which blocks or warps run. The reverse kernel runs over the same range
 * (the host checks its shape and records against those of the forward launch), regenerates the
 * same decisions and counts (the host checks that it finds the same {@code K}), and so reads each
 * entry from the address its forward kernel wrote it to. A warp's kept entries of one record lie
 * at consecutive addresses in lane order: its stores and loads touch one or two memory segments.
 */
final class CudaTapeLayout {
  private final Map<Expr, Integer> index = new IdentityHashMap<>();
  private final Map<Expr, Boolean> sampled = new IdentityHashMap<>();
  private final Kernel.Record[] sampledRecords;
  private final int dense;

  private CudaTapeLayout(Kernel k) {
    List<Kernel.Record> pushOrder = new ArrayList<>(k.records());
    if (k.pops()) {
      // a reverse kernel regenerates its records in the reverse order of the forward's pushes
      java.util.Collections.reverse(pushOrder);
    }
    int d = 0;
    List<Kernel.Record> s = new ArrayList<>();
    for (Kernel.Record r : pushOrder) {
      boolean isSampled = r.fraction() != null;
      sampled.put(r.call(), isSampled);
      index.put(r.call(), isSampled ? s.size() : d);
      if (isSampled) {
        s.add(r);
      } else {
        d++;
      }
    }
    this.dense = d;
    this.sampledRecords = s.toArray(new Kernel.Record[0]);
  }

  static CudaTapeLayout of(Kernel k) {
    return new CudaTapeLayout(k);
  }

  /** The number of exact records of a thread. */
  int denseCount() {
    return dense;
  }

  /** The number of sampled records of a thread. */
  int sampledCount() {
    return sampledRecords.length;
  }

  /** The sampled records by their index (push order): the fraction parameter {@code rad_frac<s>} is record s's. */
  List<Kernel.Record> sampledRecords() {
    return Arrays.asList(sampledRecords);
  }

  boolean isSampled(Expr.ContextCall call) {
    return sampled.get(call);
  }

  /** The record's index among the exact records or among the sampled ones, in push order. */
  int index(Expr.ContextCall call) {
    return index.get(call);
  }
}
