/**
 * The run folder's pictures, drawn by the programs rather than the library: {@link
 * io.github.argrpo.examples.plot.CurvePlot} (plain Java2D line plots) and {@link
 * io.github.argrpo.examples.plot.CurvePlotListener}, which {@code argrpo train} and the demo register on
 * their {@code GrpoTrainer} to redraw {@code reward_curve.png} and {@code reward_components.png} at every
 * sampling step.
 */
package io.github.argrpo.examples.plot;
