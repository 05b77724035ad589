package io.github.argrpo.examples.plot;

import java.util.List;

import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.StepRecord;
import io.github.argrpo.core.train.TrainingListener;

/**
 * Redraws the run folder's {@code reward_curve.png} (reward, KL and entropy) and
 * {@code reward_components.png} (one panel per {@code reward/<name>}) at every sampling step of a
 * {@code GrpoTrainer}, from the whole run's history (steps before a resume included).
 *
 * <pre>{@code
 * trainer.addListener(new CurvePlotListener(folder));
 * }</pre>
 */
public final class CurvePlotListener implements TrainingListener {

  /** The metrics of {@code reward_curve.png}, one panel each, left to right. */
  public static final List<String> CURVES = List.of("reward_mean", "kl", "entropy");

  private final RunFolder folder;

  /** @param folder the run folder the pictures are written to */
  public CurvePlotListener(RunFolder folder) {
    this.folder = folder;
  }

  @Override
  public void onSamplingStep(int step, List<StepRecord> history) {
    CurvePlot.write(history, CURVES, folder.rewardCurve());
    CurvePlot.writeComponents(history, folder.root().resolve(CurvePlot.COMPONENTS_FILE));
  }
}
