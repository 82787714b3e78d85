package dev.mailroom;

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
	 * running server ({@code MAILROOM_API_KEY}, {@code MAILROOM_BASE_URL}; no web app, no database).
	 */
	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("mcp")) {
			System.exit(StdioBridge.run(System.getenv(), System.in, System.out, System.err));
		}
		SpringApplication.run(MailroomApplication.class, args);
	}
}
