package io.github.argrpo.core.distributed;

/**
 * The advantages of this rank's rollouts, computed from the rewards of the whole global batch, with
 * the global statistics the single-process trainer would log.
 *
 * @param local one advantage per local rollout (this rank's slice of {@code globalAdvantages})
 * @param globalRewards every rank's rewards in rank order
 * @param globalAdvantages the advantages of the whole batch in rank order
 * @param zeroStdFraction fraction of all groups whose rewards were all equal
 */
public record ShardAdvantages(double[] local, double[] globalRewards, double[] globalAdvantages, double zeroStdFraction) {}
