package org.rad.samples.zoo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The entries of the benchmark zoo, by name, in table order. */
public final class ZooEntries {
  private static final Map<String, Supplier<ZooEntry>> ENTRIES = new LinkedHashMap<>();

  static {
    ENTRIES.put("reactor-indexed", () -> new ReactorEntry("reactor-indexed", ReactorIndexed::loss, ReactorIndexedGrad::loss));
    ENTRIES.put("reactor-rows", () -> new ReactorEntry("reactor-rows", ReactorRows::loss, ReactorRowsGrad::loss));
    ENTRIES.put("reactor-flat", () -> new ReactorEntry("reactor-flat", ReactorFlat::loss, ReactorFlatGrad::loss));
    ENTRIES.put("reactor-three-buffers", () -> new ReactorEntry("reactor-three-buffers", ReactorThreeBuffers::loss, ReactorThreeBuffersGrad::loss));
    ENTRIES.put("reactor-hoisted", () -> new ReactorEntry("reactor-hoisted", ReactorHoisted::loss, ReactorHoistedGrad::loss));
    ENTRIES.put("reactor-rows-hoisted", () -> new ReactorEntry("reactor-rows-hoisted", ReactorRowsHoisted::loss, ReactorRowsHoistedGrad::loss));
    ENTRIES.put("reactor-slices", () -> new ReactorEntry("reactor-slices", ReactorSlices::loss, ReactorSlicesGrad::loss));
    ENTRIES.put("reactor-3d", () -> new ReactorEntry("reactor-3d", ReactorSlices3D::loss, ReactorSlices3DGrad::loss));
    ENTRIES.put("rnn", RnnEntry::new);
    ENTRIES.put("lstm", LstmEntry::new);
    ENTRIES.put("gmm", GmmEntry::new);
    ENTRIES.put("ba", BundleAdjustmentEntry::new);
    ENTRIES.put("small-function", SmallFunctionEntry::new);
    ENTRIES.put("rk4-functional", Rk4Entry::new);
    ENTRIES.put("burgers-godunov", BurgersEntry::new);
    ENTRIES.put("nbody-forces", NBodyEntry::new);
    ENTRIES.put("soft-dtw", SoftDtwEntry::new);
  }

  private ZooEntries() {}

  /** Every entry's name, in table order. */
  public static List<String> names() {
    return List.copyOf(ENTRIES.keySet());
  }

  /** A fresh entry (not yet set up); throws IllegalArgumentException for an unknown name. */
  public static ZooEntry create(String name) {
    Supplier<ZooEntry> entry = ENTRIES.get(name);
    if (entry == null) {
      throw new IllegalArgumentException("unknown zoo entry '" + name + "'; known: " + String.join(", ", names()));
    }
    return entry.get();
  }
}
