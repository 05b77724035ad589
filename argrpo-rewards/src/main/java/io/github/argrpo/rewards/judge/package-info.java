/**
 * The VLM judge of AR-GRPO (Qwen2.5-VL-3B-Instruct asked three questions about each image), as a
 * client of an OpenAI-compatible {@code /v1/chat/completions} server such as vLLM or SGLang.
 *
 * <p>Pieces: {@link io.github.argrpo.rewards.judge.JudgePrompts} (the three prompts, read from the
 * reference JSON or a text file), {@link io.github.argrpo.rewards.judge.JudgeConfig} (endpoint, decoding
 * presets, concurrency, timeouts, retries, failure policy, start-up check), {@link io.github.argrpo.rewards.judge.ChatCompletionsClient} (HTTP with bounded
 * concurrency and exponential backoff), {@link io.github.argrpo.rewards.judge.JudgeReplyParser} (lenient
 * score extraction) and {@link io.github.argrpo.rewards.judge.VlmJudgeReward} (one reward per
 * {@link io.github.argrpo.rewards.judge.JudgeQuestion}). Serving instructions: {@code docs/serving-vlm-judge.md}.
 */
package io.github.argrpo.rewards.judge;
