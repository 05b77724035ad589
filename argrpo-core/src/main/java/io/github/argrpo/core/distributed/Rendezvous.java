package io.github.argrpo.core.distributed;

/** How the processes of a run find each other before the process group connects. */
public enum Rendezvous {
  /**
   * A {@code TCPStore} served by rank 0 at {@code MASTER_ADDR:MASTER_PORT}; the other ranks connect to
   * it and retry until the timeout (torchrun's {@code env://}).
   */
  TCP,
  /**
   * A {@code FileStore}: a file on a file system every rank sees (a shared folder across machines).
   * The file must not exist from an earlier run (stale keys make the rendezvous fail or mismatch).
   */
  FILE
}
