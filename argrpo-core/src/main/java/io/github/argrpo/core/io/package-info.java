/**
 * File-system helpers shared by the writers of checkpoints, weights, images and exports:
 * {@link io.github.argrpo.core.io.TempSiblings} (temporary siblings renamed into place).
 */
package io.github.argrpo.core.io;
