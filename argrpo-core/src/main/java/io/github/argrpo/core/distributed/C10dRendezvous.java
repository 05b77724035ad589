package io.github.argrpo.core.distributed;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.FileStore;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.gloo.Device;

/**
 * The native half of {@link C10dContext#connect}: the store the ranks meet at and the Gloo process
 * group that connects them, both bounded by the configured timeout. The objects returned live until
 * the context closes them (they are created outside any {@code PointerScope}).
 */
final class C10dRendezvous {

  private C10dRendezvous() {}

  /** Whether this rank serves the {@code TCPStore} (rank 0, unless a launcher agent already does). */
  static boolean servesStore(DistributedConfig config) {
    return config.rendezvous() == Rendezvous.TCP && config.rank() == 0 && !config.agentStore();
  }

  /** The store in words, for messages: {@code TCPStore 10.0.0.1:29500} or {@code FileStore /shared/x}. */
  static String describe(DistributedConfig config) {
    return config.rendezvous() == Rendezvous.TCP ? (config.agentStore() ? "agent " : "") + "TCPStore "
        + config.masterAddr() + ":" + config.masterPort() : "FileStore " + config.storeFile();
  }

  /** Creates (rank 0) or connects to (the others) the store; clients retry until the timeout. */
  static Store createStore(DistributedConfig config) {
    Milliseconds timeout = new Milliseconds(config.timeout().toMillis());
    if (config.rendezvous() == Rendezvous.FILE) {
      FileStore fs = new FileStore(config.storeFile().toAbsolutePath().toString(), config.worldSize());
      fs.setTimeout(timeout);
      return fs;
    }
    TCPStoreOptions so = new TCPStoreOptions();
    // The port is a uint16_t in C++: (short) 40000 is negative in Java and the right bits in C++.
    // Rank 0 does not wait for the workers here; the process-group constructor below does (through
    // the store, bounded by the same timeout), and the clients retry their connection until it.
    so.port((short) config.masterPort()).isServer(servesStore(config)).waitWorkers(false)
        .timeout(timeout);
    TCPStore tcp = new TCPStore(config.masterAddr(), so);
    if (config.agentStore()) {
      // torchrun's agent serves the store and may restart the workers: each attempt gets its own key
      // space, as torch.distributed's env:// rendezvous does
      return new PrefixStore("/worker/attempt_" + config.restartCount(), tcp);
    }
    return tcp;
  }

  /**
   * Connects the Gloo full mesh: publishes this rank's address in the store and waits (at most the
   * timeout) for every other rank's.
   */
  static ProcessGroupGloo createGloo(Store store, DistributedConfig config) {
    ProcessGroupGloo.Options opts = ProcessGroupGloo.Options.create(new Milliseconds(config.timeout().toMillis()));
    Device dev;
    if (config.networkInterface() != null) {
      dev = ProcessGroupGloo.createDeviceForInterface(config.networkInterface());
    } else if (config.loopback()) {
      // Loopback explicitly: the host name may resolve to an address the sandbox or firewall blocks.
      dev = ProcessGroupGloo.createDeviceForHostname("127.0.0.1");
    } else {
      dev = ProcessGroupGloo.createDefaultDevice();
    }
    opts.devices(new GlooDeviceVector(dev));
    return new ProcessGroupGloo(store, config.rank(), config.worldSize(), opts);
  }
}
