package io.github.argrpo.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;

import io.github.argrpo.core.train.StepRecord;
import io.github.argrpo.core.train.TrainingListener;

/**
 * The progress display of every argrpo command: {@code label [#####.....] done/total, elapsed, ETA}, plus
 * reward and KL for training. On a terminal ({@link System#console()} present) it redraws one line in
 * place; otherwise (a log file, a pipe, a batch job) it prints a plain line every {@code every} updates
 * and at the end, so logs stay readable instead of filling with carriage returns.
 *
 * <p>Training attaches it as a {@link TrainingListener}; counting loops (sampling, exports) call it as an
 * {@link IntConsumer} with the number done so far.
 */
public final class ProgressBar implements TrainingListener, IntConsumer {

  /** Updates between plain lines when standard error is not a terminal. */
  public static final int DEFAULT_EVERY = 10;

  private static final int WIDTH = 24;

  private final PrintStream out;
  private final String label;
  private final boolean terminal;
  private final int every;
  private int first = 1;
  private int total;
  private long startNanos = System.nanoTime();
  private boolean lineOpen;

  /**
   * @param out where to draw (standard error, so standard output stays machine-readable)
   * @param label the line's prefix
   * @param terminal redraw in place (true) or print a line every {@code every} updates
   * @param every updates between lines when not on a terminal, at least 1
   * @param total the count a counting loop reaches (training takes it from {@link #onStart})
   */
  public ProgressBar(PrintStream out, String label, boolean terminal, int every, int total) {
    checkArgument(every >= 1, "every must be >= 1, got %s", every);
    this.out = out;
    this.label = label;
    this.terminal = terminal;
    this.every = every;
    this.total = Math.max(1, total);
  }

  /** A training progress bar on standard error, drawn in place only on a terminal. */
  public static ProgressBar forTraining(String label) {
    return new ProgressBar(System.err, label, onTerminal(), DEFAULT_EVERY, 1);
  }

  /** A counting progress display on standard error, or a no-op when {@code enabled} is false. */
  public static IntConsumer counter(boolean enabled, String label, int total) {
    return enabled ? new ProgressBar(System.err, label, onTerminal(), DEFAULT_EVERY, total) : done -> { };
  }

  /** Whether the JVM runs attached to a terminal. */
  static boolean onTerminal() {
    return System.console() != null;
  }

  @Override
  public void onStart(int firstStep, int lastStep) {
    this.first = firstStep;
    this.total = Math.max(1, lastStep - firstStep + 1);
    this.startNanos = System.nanoTime();
  }

  @Override
  public void onStep(StepRecord r) {
    int done = r.step() - first + 1;
    String metrics = String.format(Locale.ROOT, "  reward %.3f  kl %.4f", r.get("reward_mean"), r.get("kl"));
    show(done, String.format(Locale.ROOT, "%d/%d", r.step(), first + total - 1), metrics);
  }

  @Override
  public void onEnd() {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    out.flush();
  }

  @Override
  public void accept(int done) {
    show(done, done + "/" + total, "");
    if (done >= total) {
      onEnd();
    }
  }

  private void show(int done, String count, String extra) {
    boolean last = done >= total;
    if (!terminal && done % every != 0 && !last) {
      return;
    }
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double eta = done <= 0 ? 0 : elapsed / done * (total - done);
    int filled = (int) Math.round(WIDTH * (double) Math.max(0, done) / total);
    String bar = "#".repeat(Math.min(WIDTH, filled)) + ".".repeat(Math.max(0, WIDTH - filled));
    String line = String.format(Locale.ROOT, "%s [%s] %s  %s elapsed, ETA %s%s", label, bar, count, time(elapsed),
        time(Math.max(0, eta)), extra);
    if (terminal) {
      out.print("\r" + line + "   ");
      lineOpen = true;
    } else {
      out.println(line);
    }
    out.flush();
  }

  private static String time(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
        : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
  }
}
