/**
 * Data-parallel GRPO across processes: {@link io.github.argrpo.core.distributed.DistributedContext}, the
 * collectives the trainer uses, with a single-process implementation and one on libtorch's c10d
 * (Gloo on CPU, NCCL on CUDA).
 */
package io.github.argrpo.core.distributed;
