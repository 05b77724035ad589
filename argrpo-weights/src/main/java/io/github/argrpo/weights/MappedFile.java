package io.github.argrpo.weights;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only file mapped into memory as consecutive regions of at most {@value #REGION} bytes, so
 * files beyond the 2 GB limit of one {@link MappedByteBuffer} work; a copy that crosses a region
 * boundary is split in two. Nothing of the file is ever copied onto the Java heap in bulk.
 *
 * <p>Every access is bounds-checked against the file size first, so a corrupt header cannot make
 * {@code memcpy} read outside the mapping. Reads and {@link #close()} are guarded by a read-write
 * lock: closing waits for running copies and later reads fail with {@link IllegalStateException}
 * instead of touching an unmapped region.
 */
final class MappedFile implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MappedFile.class);

  /** Region size: 1 GiB, below the 2 GiB limit of a {@code ByteBuffer}. */
  static final long REGION = 1L << 30;

  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final List<MappedByteBuffer> regions = new ArrayList<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private MappedFile(Path path, FileChannel channel) throws IOException {
    this.path = path;
    this.channel = channel;
    this.size = channel.size();
    for (long start = 0; start < size; start += REGION) {
      regions.add(channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(REGION, size - start)));
    }
  }

  /** Opens and maps {@code path}. */
  static MappedFile open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new MappedFile(path, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  Path path() {
    return path;
  }

  long size() {
    return size;
  }

  /** Checks that {@code [offset, offset + length)} lies inside the file. */
  void checkRange(long offset, long length, String what) throws WeightFormatException {
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw new WeightFormatException(path, what + " spans bytes [" + offset + ", "
          + (offset + length) + ") but the file has only " + size + " bytes (truncated or corrupt)");
    }
  }

  /** Copies {@code length} bytes at {@code offset} into a heap array (for headers and pickles). */
  byte[] readBytes(long offset, int length, String what) throws WeightFormatException {
    checkRange(offset, length, what);
    byte[] out = new byte[length];
    lock.readLock().lock();
    try {
      ensureOpen();
      int done = 0;
      while (done < length) {
        long pos = offset + done;
        ByteBuffer r = regions.get((int) (pos / REGION)).duplicate();
        int inRegion = (int) (pos % REGION);
        int n = Math.min(length - done, r.capacity() - inRegion);
        r.position(inRegion);
        r.get(out, done, n);
        done += n;
      }
    } finally {
      lock.readLock().unlock();
    }
    return out;
  }

  /**
   * Copies {@code length} bytes at {@code offset} to native memory at {@code dst} with
   * {@code memcpy}, region by region.
   */
  void copyTo(long offset, long length, Pointer dst, String what) throws WeightFormatException {
    checkRange(offset, length, what);
    lock.readLock().lock();
    try {
      ensureOpen();
      BytePointer out = new BytePointer(dst);
      long done = 0;
      while (done < length) {
        long pos = offset + done;
        MappedByteBuffer r = regions.get((int) (pos / REGION));
        long inRegion = pos % REGION;
        long n = Math.min(length - done, r.capacity() - inRegion);
        BytePointer src = new BytePointer(r);
        // JavaCPP's memcpy adds each pointer's position (in bytes for BytePointer).
        Pointer.memcpy(out.position(done), src.position(inRegion), n);
        done += n;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private void ensureOpen() {
    checkState(!closed, "%s is closed", path);
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (MappedByteBuffer r : regions) {
        unmap(r);
      }
      regions.clear();
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing {}: {}", path, e.toString());
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Unmaps now instead of at some later GC, so that a closed source releases its address space and
   * the file can be deleted or replaced at once (Windows-style locks, tests that rewrite files).
   * {@code sun.misc.Unsafe.invokeCleaner} is the only way on Java 17; without it the GC unmaps.
   */
  private static void unmap(MappedByteBuffer buffer) {
    Method m = UNMAPPER;
    if (m == null) {
      return;
    }
    try {
      m.invoke(UNSAFE, buffer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("could not unmap eagerly: {}", e.toString());
    }
  }

  private static final Object UNSAFE;
  private static final Method UNMAPPER;

  static {
    Object unsafe = null;
    Method unmapper = null;
    try {
      Class<?> c = Class.forName("sun.misc.Unsafe");
      Field f = c.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe = f.get(null);
      unmapper = c.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("eager unmapping unavailable: {}", e.toString());
    }
    UNSAFE = unsafe;
    UNMAPPER = unmapper;
  }
}
