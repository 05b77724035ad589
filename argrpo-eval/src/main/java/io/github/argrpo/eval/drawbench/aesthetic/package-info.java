/**
 * The LAION aesthetic predictor: its MLP head on CLIP ViT-L/14 image embeddings.
 */
package io.github.argrpo.eval.drawbench.aesthetic;
