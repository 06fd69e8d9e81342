package org.rad.runtime;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A map by reference identity, cheap while small: up to {@value #SMALL} entries it is two arrays
 * scanned with {@code ==} (no identity hash, which costs a header write the first time an array
 * is hashed, and no table to clear), beyond that an {@link IdentityHashMap}. A gradient call of a
 * small function binds a handful of arrays to their adjoints and forgets them at its end; a
 * time-stepping code binds every row of its fields, and pays the hash table only then.
 */
final class IdentityTable {
  static final int SMALL = 32;
  private final Object[] keys = new Object[SMALL];
  private final Object[] values = new Object[SMALL];
  private int size;
  private Map<Object, Object> large;

  Object get(Object key) {
    if (large != null) {
      return large.get(key);
    }
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        return values[i];
      }
    }
    return null;
  }

  void put(Object key, Object value) {
    if (large != null) {
      large.put(key, value);
      return;
    }
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
    }
    if (size < SMALL) {
      keys[size] = key;
      values[size++] = value;
      return;
    }
    large = new IdentityHashMap<>(4 * SMALL);
    for (int i = 0; i < size; i++) {
      large.put(keys[i], values[i]);
    }
    clearSmall();
    large.put(key, value);
  }

  /** Adds {@code key} with {@code value} (not null) unless present; whether it was added. */
  boolean add(Object key, Object value) {
    if (large != null) {
      // one probe of the hash table, not a get and then a put
      return large.putIfAbsent(key, value) == null;
    }
    if (get(key) != null) {
      return false;
    }
    put(key, value);
    return true;
  }

  void remove(Object key) {
    if (large != null) {
      large.remove(key);
      return;
    }
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        size--;
        keys[i] = keys[size];
        values[i] = values[size];
        keys[size] = null;
        values[size] = null;
        return;
      }
    }
  }

  boolean isEmpty() {
    return large != null ? large.isEmpty() : size == 0;
  }

  /** Forgets every entry; a table that grew large stays a hash table for the next call. */
  void clear() {
    if (large != null) {
      if (!large.isEmpty()) {
        large.clear();
      }
      return;
    }
    clearSmall();
  }

  private void clearSmall() {
    for (int i = 0; i < size; i++) {
      keys[i] = null;
      values[i] = null;
    }
    size = 0;
  }
}
