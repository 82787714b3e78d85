package dev.mailroom.platform;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The server's public base URL for links in emails and pages: {@code MAILROOM_BASE_URL}, or
 * {@code http://localhost:<port>} when it is not set. Never taken from a request's Host header,
 * which an attacker controls.
 */
@Component
public class PublicUrls {

	private final MailroomSettings settings;
	private volatile int port = 8080;

	PublicUrls(MailroomSettings settings) {
		this.settings = settings;
	}

	@EventListener
	void started(WebServerInitializedEvent event) {
		this.port = event.getWebServer().getPort();
	}

	public String base() {
		if (MailroomSettings.isSet(settings.baseUrl())) {
			String base = settings.baseUrl().strip();
			return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		}
		return "http://localhost:" + port;
	}

	public String of(String path) {
		return base() + path;
	}
}
