package io.github.argrpo.eval.imagenet.inception;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bytedeco.pytorch.Module;

/**
 * An Inception block: a module made of {@link BasicConv2d} units, which it lists so that the network
 * can {@link BasicConv2d#prepare prepare} every unit once at load.
 */
abstract class ConvBlock extends Module {

  private final List<BasicConv2d> units = new ArrayList<>();

  /** Registers {@code conv} as child {@code name} and lists it. */
  final BasicConv2d unit(String name, BasicConv2d conv) {
    units.add(register_module(name, conv));
    return conv;
  }

  /** The units, in registration order. */
  final List<BasicConv2d> units() {
    return Collections.unmodifiableList(units);
  }
}
