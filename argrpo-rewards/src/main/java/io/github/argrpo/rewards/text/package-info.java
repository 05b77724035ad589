/**
 * Text a reward needs besides the model: {@link io.github.argrpo.rewards.text.ClassNames}, the ImageNet
 * class names that turn a class label into {@code "a photo of <names>"}, shared by the CLIP, HPSv2 and judge
 * rewards (so none of them imports the others' packages for it).
 */
package io.github.argrpo.rewards.text;
