/**
 * PickScore: exp(logit_scale) times the CLIP-H cosine, on the Hugging Face PickScore_v1 checkpoint.
 */
package io.github.argrpo.eval.drawbench.pickscore;
