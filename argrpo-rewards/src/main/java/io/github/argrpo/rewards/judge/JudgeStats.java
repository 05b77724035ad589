package io.github.argrpo.rewards.judge;

/**
 * Counters of a judge since it was created (monotonic; take differences for per-step numbers).
 *
 * @param httpAttempts HTTP requests sent, retries included
 * @param retries HTTP attempts that were retries (after a connection error, timeout, 429 or 5xx)
 * @param failedRequests requests given up after {@link JudgeConfig#maxAttempts()} or refused with a 4xx
 * @param unreadableReplies replies in which no valid score could be found
 * @param defaulted images that got the failure value ({@link FailurePolicy#DEFAULT_SCORE} or NaN)
 * @param promptTokens sum of {@code usage.prompt_tokens} reported by the server
 * @param completionTokens sum of {@code usage.completion_tokens} reported by the server
 */
public record JudgeStats(long httpAttempts, long retries, long failedRequests, long unreadableReplies, long defaulted,
    long promptTokens, long completionTokens) {}
