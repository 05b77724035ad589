/**
 * Conditions an image is generated for: {@link io.github.argrpo.core.condition.ClassCondition} for
 * class-to-image and {@link io.github.argrpo.core.condition.TextCondition} (with optional
 * {@link io.github.argrpo.core.condition.TextFeatures}) for text-to-image.
 */
package io.github.argrpo.core.condition;
