package io.github.argrpo.examples.bench;

import static com.google.common.base.Preconditions.checkState;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.argrpo.core.runtime.PeakRss;

/**
 * Wall time and peak resident memory of each phase of one benchmark step. {@link #start} resets the
 * kernel's high-water mark ({@link PeakRss#reset}), so each phase's peak is its own and not the step's:
 * the figure that says which phase a smaller machine runs out of memory in.
 */
final class PhaseClock {

  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private final PrintWriter progress;
  private final Map<String, Double> peakGigabytes = new LinkedHashMap<>();
  private String open;
  private long t0;

  /** A clock that reports nothing until asked. */
  PhaseClock() {
    this(null);
  }

  /**
   * A clock that also writes one line to {@code progress} as each phase ends, so that a run killed for memory
   * in a later phase still shows how far it got and what each finished phase held.
   */
  PhaseClock(PrintWriter progress) {
    this.progress = progress;
  }

  /** Starts timing {@code phase}; the previous phase must have been stopped. */
  void start(String phase) {
    checkState(open == null, "phase '%s' is still running", open);
    PeakRss.reset();
    open = phase;
    t0 = System.nanoTime();
  }

  /** Stops the running phase and records its seconds and peak RSS. */
  void stop() {
    checkState(open != null, "no phase is running");
    seconds.put(open, StepBenchmark.seconds(t0));
    peakGigabytes.put(open, PeakRss.gigabytes());
    if (progress != null) {
      progress.printf(Locale.ROOT, "  (%s done: %.2f s, peak RSS %.2f GB)%n", open, seconds.get(open), peakGigabytes.get(open));
      progress.flush();
    }
    open = null;
  }

  /** Seconds per phase, in the order they ran. */
  Map<String, Double> seconds() {
    return Collections.unmodifiableMap(seconds);
  }

  /** Peak RSS of the process during {@code phase} in GB; NaN where the kernel keeps no high-water mark. */
  double peakGigabytes(String phase) {
    return peakGigabytes.getOrDefault(phase, Double.NaN);
  }
}
