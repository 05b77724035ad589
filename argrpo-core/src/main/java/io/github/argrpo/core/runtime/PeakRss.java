package io.github.argrpo.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident set ({@code VmHWM} of {@code /proc/self/status}); NaN where there is none. For
 * benchmarks that report memory per phase and tests that bound it.
 */
public final class PeakRss {

  private PeakRss() {}

  /** The peak resident set in GB (since the process started or the last {@link #reset}); NaN off Linux. */
  public static double gigabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /**
   * Resets the high-water mark to the current resident set (Linux 4.0+: {@code 5} written to
   * {@code /proc/self/clear_refs}), so that {@link #gigabytes} then reports the peak since this call.
   *
   * @return false where the kernel refuses it (then the peak stays the process's)
   */
  public static boolean reset() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
