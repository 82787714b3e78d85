package dev.mailroom.webmail;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where webmail reaches Dovecot's IMAP ({@code MAILROOM_WEBMAIL_IMAP_HOST}, {@code _PORT}) and
 * Postfix's submission ({@code MAILROOM_WEBMAIL_SMTP_HOST}, default the IMAP host;
 * {@code _SMTP_PORT}, default 587); no IMAP host = no mail plane connected, and the Mail page says
 * so. STARTTLS is used whenever the server offers it and required when {@code imap-starttls} is
 * set (a mail plane on another machine), for both.
 *
 * @param connectionsPerSession how many IMAP connections one web session keeps open (one per
 * mailbox it works in; the least recently used is closed beyond that)
 * @param pollSeconds how often an open Mail page asks for new mail and unread counts (default 60)
 */
@ConfigurationProperties("mailroom.webmail")
public record WebmailSettings(String imapHost, Integer imapPort, Boolean imapStarttls, Integer connectionsPerSession,
		String smtpHost, Integer smtpPort, Integer pollSeconds) {

	public WebmailSettings {
		imapHost = imapHost == null ? "" : imapHost.strip();
		imapPort = imapPort == null ? 143 : imapPort;
		imapStarttls = imapStarttls != null && imapStarttls;
		connectionsPerSession = connectionsPerSession == null ? 5 : Math.max(1, connectionsPerSession);
		smtpHost = smtpHost == null || smtpHost.isBlank() ? imapHost : smtpHost.strip();
		smtpPort = smtpPort == null ? 587 : smtpPort;
		pollSeconds = pollSeconds == null ? 60 : Math.max(5, pollSeconds);
	}

	public boolean connected() {
		return !imapHost.isEmpty();
	}
}
