package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import io.github.argrpo.core.runtime.NativeRuntime;

/** The bucket plan of the gradient all-reduce and the broadcast, over generated tensor lists. */
class BucketPlanDistributedTest {

  @Test
  void bucketsCoverEveryTensorOnceInOrderWithinTheCapAndOneKeyEach() {
    qt().forAll(lists().of(longs().between(0, 5000)).ofSizeBetween(0, 40), integers().between(1, 3),
        longs().between(1, 8000)).checkAssert((sizes, kinds, cap) -> {
          long[] bytes = sizes.stream().mapToLong(Long::longValue).toArray();
          Object[] keys = new Object[bytes.length];
          for (int i = 0; i < keys.length; i++) {
            keys[i] = (i / 7) % kinds; // runs of equal keys, like parameters of one dtype
          }
          List<BucketPlan.Bucket> plan = BucketPlan.plan(bytes, keys, cap);
          int next = 0;
          for (BucketPlan.Bucket b : plan) {
            assertThat(b.from()).isEqualTo(next);
            assertThat(b.to()).isGreaterThan(b.from());
            long sum = 0;
            for (int i = b.from(); i < b.to(); i++) {
              sum += bytes[i];
              assertThat(keys[i]).isEqualTo(keys[b.from()]);
            }
            assertThat(b.bytes()).isEqualTo(sum);
            // over the cap only when a single tensor is larger than the cap on its own
            assertThat(sum <= cap || b.count() == 1).isTrue();
            next = b.to();
          }
          assertThat(next).isEqualTo(bytes.length);
        });
  }

  @Test
  void liveTensorsOfOneDtypeShareABucketAndADtypeChangeStartsANewOne() {
    NativeRuntime.init();
    try (PointerScope s = new PointerScope()) {
      TensorOptions f32 = new TensorOptions(ScalarType.Float);
      TensorOptions bf16 = new TensorOptions(ScalarType.BFloat16);
      List<Tensor> ts = List.of(torch.zeros(new long[] {4}, f32), torch.zeros(new long[] {2, 3}, f32),
          torch.zeros(new long[] {5}, bf16), torch.zeros(new long[] {1}, bf16));
      // 16 + 24 bytes of float32, then 10 + 2 bytes of bfloat16
      assertThat(BucketPlan.of(ts, 1 << 20)).containsExactly(new BucketPlan.Bucket(0, 2, 40), new BucketPlan.Bucket(2, 4, 12));
      assertThat(BucketPlan.of(ts, 20)).containsExactly(new BucketPlan.Bucket(0, 1, 16), new BucketPlan.Bucket(1, 2, 24),
          new BucketPlan.Bucket(2, 4, 12));
    }
  }

  @Test
  void consecutiveBucketsCouldNotHaveBeenMerged() {
    qt().forAll(lists().of(longs().between(1, 100)).ofSizeBetween(1, 30), longs().between(1, 300)).checkAssert((sizes, cap) -> {
      long[] bytes = sizes.stream().mapToLong(Long::longValue).toArray();
      Object[] keys = new Object[bytes.length];
      Arrays.fill(keys, "float@cpu");
      List<BucketPlan.Bucket> plan = BucketPlan.plan(bytes, keys, cap);
      for (int k = 0; k + 1 < plan.size(); k++) {
        // greedy: the next tensor did not fit into the bucket
        assertThat(plan.get(k).bytes() + bytes[plan.get(k + 1).from()]).isGreaterThan(cap);
      }
    });
  }
}
