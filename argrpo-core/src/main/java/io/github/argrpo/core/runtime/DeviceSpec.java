package io.github.argrpo.core.runtime;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.Locale;
import java.util.OptionalInt;

import org.bytedeco.pytorch.Device;

/**
 * A device choice as users write it: {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto}
 * (CUDA when available, else CPU). CUDA is selectable, never assumed.
 *
 * @param spec the normalized text
 */
public record DeviceSpec(String spec) {

  /** The CPU. */
  public static final DeviceSpec CPU = new DeviceSpec("cpu");

  public DeviceSpec {
    spec = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
    checkArgument(!(!spec.equals("cpu") && !spec.equals("auto") && !spec.matches("cuda(:\\d+)?")),
        "unknown device '%s': use cpu, cuda, cuda:N or auto", spec);
  }

  /** Parses a device text. */
  public static DeviceSpec parse(String s) {
    return new DeviceSpec(s);
  }

  /** Whether this resolves to a CUDA device. */
  public boolean isCuda() {
    return spec.startsWith("cuda") || (spec.equals("auto") && NativeRuntime.cudaAvailable());
  }

  /**
   * A new libtorch {@link Device} (caller owns it). Fails with a clear message when CUDA is asked for
   * on a build or machine without it. Once the process selected its GPU ({@link RankDevice#select}),
   * an index-less {@code cuda} (and {@code auto} on CUDA) is that GPU, not whatever is current.
   */
  public Device toDevice() {
    NativeRuntime.init();
    if (spec.equals("cpu") || (spec.equals("auto") && !NativeRuntime.cudaAvailable())) {
      return new Device("cpu");
    }
    checkState(NativeRuntime.cudaAvailable(),
        "device '%s' requested but CUDA is not available: build with -Pgpu (linux-x86_64-gpu natives) on a "
            + "machine with an NVIDIA driver, or use --device cpu", spec);
    if (spec.equals("auto") || spec.equals("cuda")) {
      OptionalInt rankGpu = RankDevice.selected();
      return new Device(rankGpu.isPresent() ? "cuda:" + rankGpu.getAsInt() : "cuda");
    }
    return new Device(spec);
  }

  @Override
  public String toString() {
    return spec;
  }
}
