package io.github.argrpo.core.distributed;

/**
 * A distributed run cannot go on: the rendezvous did not complete, a peer process died, or a
 * collective did not finish within the configured timeout. Every rank that sees it should end the
 * run (the other ranks see their own failure within the same timeout, so nobody hangs).
 *
 * <p>The message names the rank, the operation and the timeout; the cause, when there is one, is
 * libtorch's own error (for example Gloo's "Connection closed by peer").
 */
public class DistributedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error without an underlying cause. */
  public DistributedException(String message) {
    super(message);
  }

  /** An error caused by {@code cause} (usually a libtorch exception). */
  public DistributedException(String message, Throwable cause) {
    super(message, cause);
  }
}
