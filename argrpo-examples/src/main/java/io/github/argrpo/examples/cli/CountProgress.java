package io.github.argrpo.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;

/** A one-line "done/total" progress display with ETA, redrawn in place on standard error. */
final class CountProgress implements IntConsumer {

  private final PrintStream out;
  private final String label;
  private final int total;
  private final long start = System.nanoTime();

  CountProgress(PrintStream out, String label, int total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
  }

  /** A progress display, or a no-op when {@code enabled} is false. */
  static IntConsumer of(boolean enabled, String label, int total) {
    return enabled ? new CountProgress(System.err, label, total) : done -> { };
  }

  @Override
  public void accept(int done) {
    double el = (System.nanoTime() - start) / 1e9;
    double eta = done == 0 ? 0 : el / done * (total - done);
    int width = 24;
    int filled = (int) Math.round(width * (double) done / total);
    out.print(String.format(Locale.ROOT, "\r%s [%s] %d/%d  %.0fs elapsed, ETA %.0fs   ", label,
        "#".repeat(Math.min(width, filled)) + ".".repeat(Math.max(0, width - filled)), done, total, el, eta));
    if (done >= total) {
      out.println();
    }
    out.flush();
  }
}
