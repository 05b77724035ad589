/**
 * Scorers that stay servers: UnifiedReward (chat completions) and DeQA (AR-GRPO's reward server).
 */
package io.github.argrpo.eval.drawbench.clients;
