package io.github.argrpo.examples.cli;

import java.io.PrintStream;
import java.util.Locale;

import io.github.argrpo.core.train.StepRecord;
import io.github.argrpo.core.train.TrainingListener;

/**
 * A one-line terminal progress bar for training: step, elapsed time, ETA, reward and KL, redrawn in
 * place with a carriage return. Programs attach it unless {@code --no-progress} is given.
 */
public final class ProgressBar implements TrainingListener {

  private final PrintStream out;
  private final String label;
  private int first;
  private int last;
  private long startNanos;

  /** @param out where to draw (standard error, so standard output stays machine-readable); @param label prefix */
  public ProgressBar(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  @Override
  public void onStart(int firstStep, int lastStep) {
    this.first = firstStep;
    this.last = lastStep;
    this.startNanos = System.nanoTime();
  }

  @Override
  public void onStep(StepRecord r) {
    int done = r.step() - first + 1;
    int total = Math.max(1, last - first + 1);
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double eta = done == 0 ? 0 : elapsed / done * (total - done);
    int width = 24;
    int filled = (int) Math.round(width * (double) done / total);
    String bar = "#".repeat(Math.min(width, filled)) + ".".repeat(Math.max(0, width - filled));
    out.print(String.format(Locale.ROOT, "\r%s [%s] %d/%d  %s elapsed, ETA %s  reward %.3f  kl %.4f   ", label, bar, r.step(),
        last, time(elapsed), time(eta), r.get("reward_mean"), r.get("kl")));
    out.flush();
  }

  @Override
  public void onEnd() {
    out.println();
    out.flush();
  }

  private static String time(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
        : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
  }
}
