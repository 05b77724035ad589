/**
 * Config files bound to records: {@link io.github.argrpo.core.config.ConfigBinding} reads strict YAML,
 * applies {@code key.path=value} overrides, merges a preset and binds through the records' validating
 * constructors; {@link io.github.argrpo.core.config.ConfigSchema} reads the keys and their descriptions
 * from the record components, for the unknown-key check and the generated option tables. Errors are
 * {@link io.github.argrpo.core.config.ConfigException}s naming the key.
 */
package io.github.argrpo.core.config;
