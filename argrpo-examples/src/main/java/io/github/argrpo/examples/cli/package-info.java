/** Subcommands of the {@code argrpo} program and their shared pieces (progress bar, error handling). */
package io.github.argrpo.examples.cli;
