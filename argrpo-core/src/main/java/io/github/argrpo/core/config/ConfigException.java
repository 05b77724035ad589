package io.github.argrpo.core.config;

/**
 * A configuration that cannot be used: an unknown key, a value of the wrong type or out of range, a
 * malformed file. The message names the key path (for example {@code grpo.beta}) and says what to fix.
 */
public class ConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and how to fix it */
  public ConfigException(String message) {
    super(message);
  }

  /** @param message what is wrong and how to fix it */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
