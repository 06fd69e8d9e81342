package org.rad.processor.transform;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rad.processor.ir.MethodIR;
import org.rad.processor.ir.Type;
import org.rad.processor.ir.Var;

/** Allocates fresh, readable variable names in one method, never clashing with the user's. */
public final class Names {
  private final Set<String> used = new HashSet<>();

  public Names(MethodIR method) {
    method.params().forEach(p -> used.add(p.name()));
    method.locals().forEach(l -> used.add(l.name()));
    used.add("ctx");
    used.add("self");
  }

  public Names(List<Var> vars) {
    vars.forEach(v -> used.add(v.name()));
    used.add("ctx");
    used.add("self");
  }

  public String unique(String base) {
    String name = base;
    for (int n = 2; !used.add(name); n++) {
      name = base + n;
    }
    return name;
  }

  public Var fresh(String base, Type type, Var.Kind kind) {
    return new Var(unique(base), type, kind);
  }
}
