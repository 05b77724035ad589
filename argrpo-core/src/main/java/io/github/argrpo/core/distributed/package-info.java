/**
 * Data-parallel GRPO across processes on libtorch's own distributed engine (c10d).
 *
 * <ul>
 *   <li>{@link io.github.argrpo.core.distributed.DistributedContext}: the collectives the trainer uses
 *       (broadcast, gradient averaging, all-gather, mean, barrier), with a single-process
 *       implementation and {@link io.github.argrpo.core.distributed.C10dContext} on c10d (Gloo on CPU,
 *       NCCL on CUDA), configured by {@link io.github.argrpo.core.distributed.DistributedConfig} from
 *       the torchrun variables.
 *   <li>{@link io.github.argrpo.core.distributed.DistributedGrpo}: how a GRPO step is split over ranks
 *       (whole groups per rank, advantages over the global batch, reduced statistics).
 *   <li>{@link io.github.argrpo.core.distributed.LocalLauncher}: starts N local ranks of a main class.
 * </ul>
 *
 * <p>Failures are never hangs: the rendezvous and every collective are bounded by
 * {@link io.github.argrpo.core.distributed.DistributedConfig#timeout()}, and a dead or stuck peer ends
 * the run on every rank with a {@link io.github.argrpo.core.distributed.DistributedException}. See
 * {@code docs/distributed.md}.
 */
package io.github.argrpo.core.distributed;
