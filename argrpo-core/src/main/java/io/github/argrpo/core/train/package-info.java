/**
 * Training loops: {@link io.github.argrpo.core.train.GrpoTrainer} (AR-GRPO section 3.4: generation,
 * evaluation, optimisation, with run folders, metrics, grids and resumable checkpoints) configured by
 * {@link io.github.argrpo.core.train.TrainerConfig}, and
 * {@link io.github.argrpo.core.train.MaximumLikelihoodTrainer} for teacher-forced pretraining.
 */
package io.github.argrpo.core.train;
