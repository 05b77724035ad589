/**
 * ImageReward: a TorchScript export of the BLIP model and a native BERT WordPiece tokenizer.
 */
package io.github.argrpo.eval.drawbench.imagereward;
