package dev.mailroom.platform;

import java.io.PrintStream;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A command of the jar besides serving ({@code java -jar mailroom.jar NAME ARGS…}). Feature modules
 * register theirs in {@code META-INF/services}, so the launcher knows none of them by name.
 */
public interface Subcommand {

	String name();

	/** Runs to completion; the process exits with the returned code. */
	int run(String[] args, PrintStream out, PrintStream err);

	static Optional<Subcommand> named(String name) {
		return ServiceLoader.load(Subcommand.class).stream()
			.map(ServiceLoader.Provider::get)
			.filter(command -> command.name().equals(name))
			.findFirst();
	}
}
