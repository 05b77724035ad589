package io.github.argrpo.rewards.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.reward.RewardFunction;
import io.github.argrpo.core.reward.RewardResult;

/**
 * A view of one base reward shared by several parts of a {@link RewardStack} (AR-GRPO's
 * {@code clone_reward}: {@code clip} and {@code clip_quantize} use one CLIP model).
 *
 * <p>While the stack scores a batch, the first part to ask computes the base result and the others reuse
 * it (same {@code ImageBatch} instance and equal conditions), so a shared model runs once per step. The
 * base's extra components (anything besides its own score, such as {@code vlm_judge_fake/unreadable})
 * are kept for the stack, because the core scaling wrappers report only their own value. Outside a stack
 * call nothing is cached. {@link #close()} does nothing: the stack closes the base once.
 */
final class SharedReward implements RewardFunction {

  private record Memo(ImageBatch images, List<? extends Condition> conditions, RewardResult result) {}

  private final RewardFunction base;
  private final ThreadLocal<Memo> memo = new ThreadLocal<>();
  private final ThreadLocal<Boolean> active = ThreadLocal.withInitial(() -> false);

  SharedReward(RewardFunction base) {
    this.base = base;
  }

  RewardFunction base() {
    return base;
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public RewardResult score(ImageBatch images, List<? extends Condition> conditions) {
    if (!active.get()) {
      return base.score(images, conditions);
    }
    Memo m = memo.get();
    if (m != null && m.images() == images && m.conditions().equals(conditions)) {
      return m.result();
    }
    RewardResult r = base.score(images, conditions);
    memo.set(new Memo(images, List.copyOf(conditions), r));
    return r;
  }

  /** Starts caching on this thread (the stack's score call). */
  void begin() {
    active.set(true);
    memo.remove();
  }

  /** The extra components of the cached result, then stops caching on this thread. */
  Map<String, double[]> end() {
    Memo m = memo.get();
    memo.remove();
    active.set(false);
    Map<String, double[]> extra = new LinkedHashMap<>();
    if (m != null) {
      m.result().components().forEach((k, v) -> {
        if (!k.equals(base.name())) {
          extra.put(k, v);
        }
      });
    }
    return extra;
  }

  /** Shared: the stack closes the base. */
  @Override
  public void close() {}
}
