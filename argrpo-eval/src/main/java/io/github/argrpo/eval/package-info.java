/**
 * Evaluation of generated images as the AR-GRPO paper reports it, without Python or TensorFlow:
 * ImageNet statistics (FID, sFID, Inception Score, precision, recall) exactly as OpenAI's ADM
 * evaluator computes them, and the DrawBench / prompt-folder scorers of Table 4.
 */
package io.github.argrpo.eval;
