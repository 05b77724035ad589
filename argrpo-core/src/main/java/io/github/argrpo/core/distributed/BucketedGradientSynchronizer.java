package io.github.argrpo.core.distributed;

import java.util.List;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.Work;

import io.github.argrpo.core.grpo.GradientSynchronizer;

/**
 * Data-parallel gradient averaging, the part of PyTorch's DistributedDataParallel that libtorch's C++
 * API lacks: the gradients are flattened into buckets of the configured size (one dtype and device per
 * bucket), all buckets' all-reduce SUM are started, then each is awaited, divided by the world size
 * (Gloo has no AVG) and copied back into the {@code grad()} of its parameters.
 *
 * <p>A parameter whose gradient is undefined on this rank (it took no part in this rank's loss) counts
 * as a zero gradient and receives the averaged gradient of the others, so every rank ends with the
 * same defined gradients and takes the same AdamW step. A parameter that <em>no</em> rank gave a
 * gradient keeps an undefined gradient on every rank, as in a single process: AdamW skips it, so
 * neither weight decay nor momentum moves it. Which parameters have a gradient anywhere is one more
 * all-reduce, of a per-parameter 0/1 flag, in flight with the buckets.
 *
 * <p>Why averaging gives the single-process update: each rank's loss is the mean over its shard of
 * {@code N / world} sequences, so the mean of the ranks' gradients is the gradient of the mean over
 * all {@code N} (equal shards; see {@link DistributedGrpo#localConfig}).
 */
final class BucketedGradientSynchronizer implements GradientSynchronizer {

  private final C10dContext context;
  private final long bucketBytes;

  BucketedGradientSynchronizer(C10dContext context, long bucketBytes) {
    this.context = context;
    this.bucketBytes = bucketBytes;
  }

  @Override
  public void synchronize(List<Tensor> params) {
    context.ensureUsable("gradient all-reduce");
    if (params.isEmpty()) {
      return; // every rank has the same (empty) list: nothing to reduce, no collective to match
    }
    int world = context.worldSizeInternal();
    List<BucketPlan.Bucket> plan = BucketPlan.of(params, bucketBytes);
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      Tensor flags = context.toDevice(Tensor.create(hasGradFlags(params), params.size()));
      Work flagWork = context.startAllReduceSum(flags);
      Tensor[] flats = new Tensor[plan.size()];
      Work[] works = new Work[plan.size()];
      // Start every bucket before waiting on the first: Gloo works through them on its own threads
      // while this thread flattens the next bucket.
      for (int k = 0; k < plan.size(); k++) {
        flats[k] = C10dContext.flatten(params, plan.get(k), true);
        works[k] = context.startAllReduceSum(flats[k]);
      }
      context.await(flagWork, "gradient presence all-reduce (" + params.size() + " flags)");
      double[] ranksWithGrad = new double[params.size()];
      new DoublePointer(flags.cpu().contiguous().data_ptr_double()).get(ranksWithGrad);
      for (int k = 0; k < plan.size(); k++) {
        BucketPlan.Bucket b = plan.get(k);
        context.await(works[k], "gradient all-reduce (bucket " + (k + 1) + " of " + plan.size() + ", " + b.count()
            + " tensors, " + b.bytes() + " bytes)");
        Tensor mean = flats[k].div_(new Scalar((double) world));
        long off = 0;
        for (int i = b.from(); i < b.to(); i++) {
          Tensor p = params.get(i);
          if (ranksWithGrad[i] == 0) {
            // no rank computed a gradient: stays undefined here too (it is undefined on this rank as
            // well, since this rank's flag is part of the sum)
            off += p.numel();
            continue;
          }
          Tensor slice = mean.narrow(0, off, p.numel()).view_as(p);
          Tensor g = p.grad();
          if (g.defined()) {
            g.copy_(slice);
          } else {
            // assigns the parameter's grad field (C++: p.mutable_grad() = ...); a fresh tensor, not a
            // view into the bucket, so the bucket can be freed with this scope
            p.mutable_grad().put(slice.clone());
          }
          off += p.numel();
        }
      }
    }
  }

  /** 1 where this rank has a defined gradient, else 0 (summed over ranks: how many have one). */
  private static double[] hasGradFlags(List<Tensor> params) {
    double[] f = new double[params.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = params.get(i).grad().defined() ? 1 : 0;
    }
    return f;
  }
}
