package io.github.argrpo.rewards.judge;

/**
 * A judge score could not be obtained: the server kept failing, refused the request (4xx), or its
 * replies could not be read, and the {@link FailurePolicy} is {@link FailurePolicy#ERROR} (or the
 * client was called directly). The message names the endpoint, the status or cause, and an excerpt of
 * the reply.
 */
public class JudgeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message what failed, for people */
  public JudgeException(String message) {
    super(message);
  }

  /**
   * @param message what failed, for people
   * @param cause the underlying I/O error, if any
   */
  public JudgeException(String message, Throwable cause) {
    super(message, cause);
  }
}
