package dev.mailroom.platform;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the person who started the server where to go: the URL, the sign-up page and, the one
 * time it was generated, the operator token. Printed to the console, not to the log.
 */
@Component
class StartupReport {

	private final MailroomSettings settings;
	private final ServerSecrets secrets;

	StartupReport(MailroomSettings settings, ServerSecrets secrets) {
		this.settings = settings;
		this.secrets = secrets;
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		String url = MailroomSettings.isSet(settings.baseUrl()) ? settings.baseUrl() : "http://localhost:"
				+ (event.getApplicationContext() instanceof WebServerApplicationContext web ? web.getWebServer().getPort()
						: 8080);
		StringBuilder out = new StringBuilder("\n  Mailroom is running at ").append(url).append('\n');
		if (settings.signupEnabled()) {
			out.append("  Create an account:     ").append(url).append("/signup\n");
		}
		out.append("  API reference:         ").append(url).append("/api-docs\n");
		if (secrets.operatorTokenGenerated()) {
			out.append("  Operator token (shown once; also in ")
				.append(settings.dataDir().resolve("operator-token"))
				.append("):\n    ")
				.append(secrets.operatorToken())
				.append('\n');
		}
		System.out.println(out);
	}
}
