/**
 * YAML configuration reading with strict keys ({@link io.github.argrpo.core.config.ConfigNode}) and
 * command-line overrides; unknown keys and wrong types are {@link io.github.argrpo.core.config.ConfigException}s
 * naming the key.
 */
package io.github.argrpo.core.config;
