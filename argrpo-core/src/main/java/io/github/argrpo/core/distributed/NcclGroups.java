package io.github.argrpo.core.distributed;

import static com.google.common.base.Preconditions.checkState;

import java.util.OptionalInt;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch_cuda;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.RankDevice;

/**
 * The NCCL process group, in its own class so that the CPU build never loads the NCCL bindings
 * ({@code ProcessGroupNCCL}'s static initialiser loads {@code libjnitorch_nccl}, which only the
 * {@code linux-x86_64-gpu} natives ship). Not exercised on the CPU build machines.
 */
final class NcclGroups {

  private NcclGroups() {}

  /**
   * The CUDA device of this rank, made current for NCCL: the GPU the program selected before building
   * its models ({@link RankDevice#select}), else {@code cuda:LOCAL_RANK} (selected here, so that
   * whatever is built after the group joins lands on the same GPU).
   */
  static Device device(DistributedConfig config) {
    requireCuda(config);
    OptionalInt chosen = RankDevice.selected();
    if (chosen.isEmpty()) {
      try {
        // checks the GPU exists (LOCAL_RANK < device count) with a message that names the fix
        RankDevice.resolve(DeviceSpec.parse("cuda"), config.localRank(), torch_cuda.device_count());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("backend nccl: " + e.getMessage(), e);
      }
      RankDevice.select(DeviceSpec.parse("cuda"), config.localRank());
    }
    int index = RankDevice.selected().getAsInt();
    RankDevice.makeCurrent();
    return new Device(DeviceType.CUDA, (byte) index);
  }

  /** A {@code ProcessGroupNCCL} over {@code store} with the configured timeout. */
  static Backend create(Store store, DistributedConfig config) {
    requireCuda(config);
    try {
      ProcessGroupNCCL.Options opts = ProcessGroupNCCL.Options.create();
      opts.timeout(new Milliseconds(config.timeout().toMillis()));
      return new ProcessGroupNCCL(store, config.rank(), config.worldSize(), opts);
    } catch (LinkageError e) {
      throw new IllegalStateException(noNcclMessage(), e);
    }
  }

  private static void requireCuda(DistributedConfig config) {
    boolean cuda;
    try {
      cuda = torch.cuda_is_available();
    } catch (LinkageError e) {
      cuda = false;
    }
    checkState(cuda, "%s (rank %s: no CUDA device is usable)", noNcclMessage(), config.rank());
  }

  private static String noNcclMessage() {
    return "backend nccl needs the CUDA build of libtorch and a GPU per rank: this is the CPU build (the "
        + "linux-x86_64 natives have no NCCL). Build with -Pgpu (linux-x86_64-gpu natives) on a CUDA machine, or "
        + "use backend gloo (ARGRPO_DIST_BACKEND=gloo) on CPU";
  }
}
