package io.github.argrpo.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The sample grid a run writes as it trains (the trainer config's {@code samples} section): the same
 * conditions and noise every time, so grids compare over steps.
 *
 * @param every steps between grids, 0 = only before and after training
 * @param conditions conditions in the grid (fixed for the run), >= 1
 * @param perCondition images per condition (one grid row each), >= 1
 * @param seed seed of the grid's conditions and samples
 */
public record SampleGrid(
    @JsonProperty("every") @JsonPropertyDescription("steps between sample grids, 0 = only before and after training")
    int every,
    @JsonProperty("conditions") @JsonPropertyDescription("conditions in the grid, fixed for the run") int conditions,
    @JsonProperty("per_condition") @JsonPropertyDescription("images per condition, one grid row each") int perCondition,
    @JsonProperty("seed") @JsonPropertyDescription("seed of the grid's conditions and noise, fixed so grids compare "
        + "over time") long seed) {

  public SampleGrid {
    checkArgument(every >= 0, "samples.every must be >= 0, got %s", every);
    checkArgument(conditions >= 1 && perCondition >= 1, "samples.conditions and samples.per_condition must be >= 1");
  }
}
