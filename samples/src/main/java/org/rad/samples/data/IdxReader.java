package org.rad.samples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of the MNIST files (raw or gzip-compressed, detected from the magic bytes):
 * a big-endian header {@code 0x00 0x00 type rank}, one int per dimension, then the data. Only
 * unsigned bytes (type 0x08) are supported, which is what MNIST and Fashion-MNIST use.
 */
public final class IdxReader {
  private IdxReader() {}

  /** An IDX array: its dimensions and its unsigned bytes, row-major. */
  public record Idx(int[] dims, byte[] data) {
    /** Value at flat position {@code k} as an int in 0..255. */
    public int unsigned(int k) {
      return data[k] & 0xff;
    }
  }

  /** Thrown for a file that is not a well-formed IDX file; the message says what is wrong. */
  public static final class IdxFormatException extends IOException {
    public IdxFormatException(String message) {
      super(message);
    }
  }

  /** Reads {@code file}, raw or gzip-compressed. */
  public static Idx read(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads {@code file} like {@link #read(Path)} and feeds {@code contentDigest} the IDX bytes after
   * decompression, so one checksum identifies the data whether it is stored raw or gzipped (and
   * whichever gzip header or compression level produced the {@code .gz}).
   */
  public static Idx read(Path file, MessageDigest contentDigest) throws IOException {
    try (InputStream in = new DigestInputStream(open(file), contentDigest)) {
      return read(in, file.toString());
    }
  }

  private static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file));
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in)) : in;
  }

  static Idx read(InputStream raw, String name) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    try {
      int zero = in.readUnsignedShort();
      int type = in.readUnsignedByte();
      int rank = in.readUnsignedByte();
      if (zero != 0) {
        throw new IdxFormatException(name + " is not an IDX file (its first two bytes are not zero)");
      }
      if (type != 0x08) {
        throw new IdxFormatException(name + ": IDX element type 0x" + Integer.toHexString(type) + " is not supported (only unsigned bytes, 0x08)");
      }
      if (rank < 1 || rank > 4) {
        throw new IdxFormatException(name + ": IDX rank " + rank + " is not between 1 and 4");
      }
      int[] dims = new int[rank];
      long size = 1;
      for (int d = 0; d < rank; d++) {
        dims[d] = in.readInt();
        if (dims[d] < 0) {
          throw new IdxFormatException(name + ": negative dimension " + dims[d]);
        }
        size *= dims[d];
      }
      if (size > Integer.MAX_VALUE - 8) {
        throw new IdxFormatException(name + ": " + size + " elements are too many for one array");
      }
      byte[] data = new byte[(int) size];
      in.readFully(data);
      if (in.read() != -1) {
        throw new IdxFormatException(name + ": trailing bytes after " + size + " elements");
      }
      return new Idx(dims, data);
    } catch (EOFException e) {
      throw new IdxFormatException(name + " ends early: truncated or corrupt");
    } catch (ZipException e) {
      // A damaged .gz (bad deflate data, or a CRC or length trailer that does not match).
      throw new IdxFormatException(name + " is not a valid gzip file (" + e.getMessage() + "): truncated or corrupt");
    }
  }
}
