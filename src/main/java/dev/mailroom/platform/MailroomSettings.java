package dev.mailroom.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Everything configured through {@code MAILROOM_*} environment variables (see the README).
 * Blank strings mean "not set".
 */
@ConfigurationProperties("mailroom")
public record MailroomSettings(
		Path dataDir,
		String baseUrl,
		String operatorToken,
		String secret,
		boolean signupEnabled,
		int trashRetentionDays,
		String dnsResolver,
		String mailFrom,
		long maxRequestBytes,
		boolean allowReservedLocalParts,
		java.util.Map<String, Integer> rateLimits,
		Database database,
		Smtp smtp,
		Mailplane mailplane) {

	public record Database(String url, String username, String password, String appRole, String appUsername,
			String appPassword) {

		public boolean external() {
			return url != null && !url.isBlank();
		}
	}

	public record Smtp(String host, int port, String username, String password, boolean starttls) {
	}

	/**
	 * The mail plane: the database login Dovecot, Postfix and the milter use (its password is
	 * generated into the data dir when not given) and doveadm's HTTP API, which the app calls to
	 * end sessions, read storage usage and wipe purged mailboxes. No doveadm URL = not connected.
	 */
	public record Mailplane(String databaseRole, String databasePassword, String doveadmUrl, String doveadmApiKey) {

		public boolean connected() {
			return isSet(doveadmUrl);
		}
	}

	/**
	 * The configured capacity of the rate limit {@code name} ({@code signin-client}, …), however
	 * the key was spelled: {@code mailroom.rate-limits.signin-client} or the environment's
	 * {@code MAILROOM_RATELIMITS_SIGNIN_CLIENT} (which binds as {@code signin.client}).
	 */
	public java.util.Optional<Integer> rateLimit(String name) {
		if (rateLimits == null) {
			return java.util.Optional.empty();
		}
		String wanted = name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
		return rateLimits.entrySet()
			.stream()
			.filter(e -> e.getKey().replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT).equals(wanted))
			.map(java.util.Map.Entry::getValue)
			.findFirst();
	}

	public static boolean isSet(String value) {
		return value != null && !value.isBlank();
	}
}
