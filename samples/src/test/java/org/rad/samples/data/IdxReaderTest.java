package org.rad.samples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir
  Path dir;

  static byte[] idx(int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeShort(0);
    out.writeByte(0x08);
    out.writeByte(dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  @Test
  void readsRawAndGzipped() throws IOException {
    byte[] data = {0, 1, 2, (byte) 200, 5, 6};
    byte[] file = idx(new int[] {2, 3}, data);
    Path raw = dir.resolve("a-idx3-ubyte");
    Files.write(raw, file);
    Path gz = dir.resolve("a-idx3-ubyte.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(file);
    }
    for (Path p : new Path[] {raw, gz}) {
      IdxReader.Idx idx = IdxReader.read(p);
      assertArrayEquals(new int[] {2, 3}, idx.dims());
      assertEquals(200, idx.unsigned(3));
    }
  }

  @Test
  void truncatedFileGivesAClearMessage() throws IOException {
    byte[] file = idx(new int[] {10}, new byte[10]);
    Path p = dir.resolve("t");
    Files.write(p, java.util.Arrays.copyOf(file, file.length - 3));
    IOException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.read(p));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void notAnIdxFileGivesAClearMessage() throws IOException {
    Path p = dir.resolve("x");
    Files.writeString(p, "hello world, not idx");
    IOException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.read(p));
    assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
  }

  @Test
  void corruptGzipGivesAClearMessage() throws IOException {
    byte[] file = idx(new int[] {1000}, new byte[1000]);
    Path gz = dir.resolve("c.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(file);
    }
    byte[] bytes = Files.readAllBytes(gz);
    bytes[bytes.length - 6] ^= 1; // in the CRC-32 trailer
    Files.write(gz, bytes);
    IOException e = assertThrows(IdxReader.IdxFormatException.class, () -> IdxReader.read(gz));
    assertTrue(e.getMessage().startsWith(gz + " is not a valid gzip file"), e.getMessage());
  }
}
