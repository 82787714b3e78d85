package dev.mailroom;

import dev.mailroom.platform.Subcommand;
import dev.mailroom.platform.mcp.StdioBridge;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@org.springframework.scheduling.annotation.EnableScheduling
public class MailroomApplication {

	/**
	 * Starts the server, or with {@code mcp} as the first argument the MCP stdio bridge to a
	 * running server ({@code MAILROOM_API_KEY}, {@code MAILROOM_BASE_URL}; no web app, no database),
	 * or with {@code mailplane config --out DIR} the Postfix/Dovecot configuration generator.
	 */
	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("mcp")) {
			System.exit(StdioBridge.run(System.getenv(), System.in, System.out, System.err));
		}
		if (args.length > 0) {
			var command = Subcommand.named(args[0]);
			if (command.isPresent()) {
				System.exit(command.get().run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
			}
		}
		try {
			SpringApplication.run(MailroomApplication.class, args);
		}
		catch (SpringApplication.AbandonedRunException abandoned) {
			throw abandoned;
		}
		catch (RuntimeException failure) {
			// Spring Boot has printed why ("APPLICATION FAILED TO START"); threads that libraries
			// started before the failure (reactor, the MCP session sweeper) are not daemons and would
			// keep a process alive that serves nothing: a service manager must see it exit
			System.exit(1);
		}
	}
}
