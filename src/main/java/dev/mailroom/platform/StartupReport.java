package dev.mailroom.platform;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the person who started the server where to go: the URL, the sign-up page and the operator
 * token (itself the one time it was generated, where it is kept after). Printed to the console,
 * not to the log.
 */
@Component
class StartupReport {

	private final MailroomSettings settings;
	private final ServerSecrets secrets;
	private final PublicUrls urls;

	StartupReport(MailroomSettings settings, ServerSecrets secrets, PublicUrls urls) {
		this.settings = settings;
		this.secrets = secrets;
		this.urls = urls;
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		System.out.println(report());
	}

	String report() {
		String url = urls.base();
		StringBuilder out = new StringBuilder("\n  Mailroom is running at ").append(url).append('\n');
		boolean relay = settings.smtp() != null && MailroomSettings.isSet(settings.smtp().host());
		if (settings.signupEnabled() && relay) {
			out.append("  Create an account:     ").append(url).append("/signup\n");
		}
		else {
			// a sign-up is verified through its emailed link: without a relay no link reaches anyone
			out.append("  Create an account:     POST ").append(url)
				.append("/api/v1/operator/organizations with the operator token (README, first tour)\n");
		}
		out.append("  API reference:         ").append(url).append("/api-docs\n");
		if (!relay) {
			out.append("  Outgoing email:        kept for the dev mail viewer at ").append(url).append("/dev/mail\n");
			out.append("                         (account emails' links, such as a sign-up's, are printed in this log)\n");
		}
		if (settings.mailplane() != null && settings.mailplane().connected()) {
			out.append("  Mail plane:            doveadm at ").append(settings.mailplane().doveadmUrl()).append('\n');
		}
		else {
			out.append("  Mail plane:            not connected (scripts/mailplane start, see the README)\n");
		}
		if (secrets.operatorTokenGenerated()) {
			out.append("  Operator token (shown once; also in ")
				.append(settings.dataDir().resolve("operator-token"))
				.append("):\n    ")
				.append(secrets.operatorToken())
				.append('\n');
		}
		else if (MailroomSettings.isSet(settings.operatorToken())) {
			out.append("  Operator token:        the one set in MAILROOM_OPERATOR_TOKEN\n");
		}
		else {
			// shown once, at the start that made it: every later start says where it is kept
			out.append("  Operator token:        kept in ").append(settings.dataDir().resolve("operator-token")).append('\n');
		}
		return out.toString();
	}
}
