package org.rad.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.rad.processor.ir.Expr;

/**
 * The fields of the user's class that the generated class cannot name (private ones, protected
 * ones of a superclass in another package), read through {@code VarHandle}s: one
 * {@code private static final VarHandle} per field, which the JIT treats as a constant and
 * inlines, so a read costs what a plain field read does.
 *
 * <p>The handles come from {@code MethodHandles.privateLookupIn(User.class, MethodHandles.lookup())}
 * in the generated class, which lives in the user's package and so in the user's module: no
 * {@code opens} is needed, in the unnamed module or in a named one (privateLookupIn asks only that
 * the lookup's module reads the target's and that the package is open to it, which holds within a
 * module). A {@code SecurityManager} that denies {@code suppressAccessChecks} would refuse it; the
 * class then fails to initialize with that reason.
 */
final class FieldHandles {
  private static final ClassName VAR_HANDLE = ClassName.get("java.lang.invoke", "VarHandle");
  private static final ClassName METHOD_HANDLES = ClassName.get("java.lang.invoke", "MethodHandles");

  private final ClassName userClass;
  /** The handles used so far, by field name: the constant's name and the field. */
  private final Map<String, Map.Entry<String, Expr.FieldRead>> handles = new LinkedHashMap<>();

  FieldHandles(ClassName userClass) {
    this.userClass = userClass;
  }

  /** The read of {@code f} through its handle: {@code (double) SCALE_FIELD.get(self)}. */
  CodeBlock read(Expr.FieldRead f) {
    String handle = handles.computeIfAbsent(f.name(), n -> Map.entry(constantName(n), f)).getKey();
    return CodeBlock.of("($T) $L.get($L)", GradClassWriter.typeName(f.type()), handle, f.isStatic() ? "" : f.owner());
  }

  private String constantName(String field) {
    String base = field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_FIELD";
    String name = base;
    for (int n = 2; containsConstant(name); n++) {
      name = base + n;
    }
    return name;
  }

  private boolean containsConstant(String name) {
    return handles.values().stream().anyMatch(e -> e.getKey().equals(name));
  }

  /** Adds the handles used, and the method that looks them up, to the generated class. */
  void addTo(TypeSpec.Builder type) {
    if (handles.isEmpty()) {
      return;
    }
    for (var e : handles.values()) {
      Expr.FieldRead f = e.getValue();
      type.addField(FieldSpec.builder(VAR_HANDLE, e.getKey(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Reads {@code $T.$L}, which this class cannot name.\n", userClass, f.name())
          .initializer("fieldHandle($S, $T.class, $L)", f.name(), GradClassWriter.typeName(f.type()), f.isStatic())
          .build());
    }
    type.addMethod(MethodSpec.methodBuilder("fieldHandle")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("A handle on the field {@code name} of {@link $T} (declared there or inherited), with its private access.\n",
            userClass)
        .returns(VAR_HANDLE)
        .addParameter(String.class, "name")
        .addParameter(ClassName.get(Class.class), "type")
        .addParameter(TypeName.BOOLEAN, "isStatic")
        .beginControlFlow("try")
        .addStatement("$T.Lookup lookup = $T.privateLookupIn($T.class, $T.lookup())", METHOD_HANDLES, METHOD_HANDLES,
            userClass, METHOD_HANDLES)
        .addStatement("return isStatic ? lookup.findStaticVarHandle($T.class, name, type) : lookup.findVarHandle($T.class, name, type)",
            userClass, userClass)
        .nextControlFlow("catch ($T e)", ReflectiveOperationException.class)
        .addStatement("throw new $T(\"cannot read the field \" + name + \" of $L: \" + e, e)", IllegalStateException.class,
            userClass.canonicalName())
        .endControlFlow()
        .build());
  }
}
