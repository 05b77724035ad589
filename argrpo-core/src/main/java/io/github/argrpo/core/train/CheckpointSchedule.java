package io.github.argrpo.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * When a run writes checkpoints and how many it keeps (the trainer config's {@code checkpoint} section).
 *
 * @param every steps between checkpoints, 0 = only at the end
 * @param keep how many recent checkpoints are kept, >= 1
 */
public record CheckpointSchedule(
    @JsonProperty("every") @JsonPropertyDescription("steps between checkpoints, 0 = only at the end") int every,
    @JsonProperty("keep") @JsonPropertyDescription("how many recent checkpoints are kept (older ones are deleted), >= 1")
    int keep) {

  public CheckpointSchedule {
    checkArgument(every >= 0, "checkpoint.every must be >= 0, got %s", every);
    checkArgument(keep >= 1, "checkpoint.keep must be >= 1, got %s", keep);
  }
}
