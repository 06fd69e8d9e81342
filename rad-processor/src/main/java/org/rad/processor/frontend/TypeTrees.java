package org.rad.processor.frontend;

import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import org.rad.processor.ir.Type;

/** Reads IR types from type trees as written in the source. */
final class TypeTrees {
  private TypeTrees() {}

  /** The type a type tree names, or null when it is outside the subset (or is {@code var}). */
  static Type typeOf(Tree tree) {
    if (tree instanceof PrimitiveTypeTree p) {
      return switch (p.getPrimitiveTypeKind()) {
        case DOUBLE -> Type.DOUBLE;
        case INT -> Type.INT;
        case LONG -> Type.LONG;
        case BOOLEAN -> Type.BOOLEAN;
        default -> null;
      };
    }
    if (tree instanceof com.sun.source.tree.IdentifierTree id && id.getName().contentEquals("DMatrixRMaj")
        || tree instanceof com.sun.source.tree.MemberSelectTree ms && ms.toString().equals(EjmlRules.MATRIX_CLASS)) {
      return Type.MATRIX;
    }
    if (tree instanceof ArrayTypeTree a) {
      Type element = typeOf(a.getType());
      if (element == Type.DOUBLE) {
        return Type.DOUBLE_ARRAY;
      }
      if (element == Type.INT) {
        return Type.INT_ARRAY;
      }
      if (element != null && element.isDoubleArray()) {
        return Type.doubleArray(element.rank() + 1);
      }
    }
    return null;
  }

  /** The array type with {@code rank} more dimensions than {@code element}. */
  static Type arrayOf(Type element, int rank) {
    if (element == Type.DOUBLE) {
      return Type.doubleArray(rank);
    }
    if (element == Type.INT && rank == 1) {
      return Type.INT_ARRAY;
    }
    if (element != null && element.isDoubleArray()) {
      return Type.doubleArray(element.rank() + rank);
    }
    return null;
  }
}
