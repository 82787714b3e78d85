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
		Mailplane mailplane,
		String trustedProxies) {

	/** The shortest configured secret or token accepted: 32 characters (a generated one has 43). */
	public static final int MIN_SECRET_LENGTH = 32;

	/**
	 * Role names are pasted into migrations as identifiers, and the mail plane's gets a
	 * {@code _views} sibling: plain lower-case identifiers that fit PostgreSQL's 63 bytes with it.
	 */
	private static final java.util.regex.Pattern ROLE = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,56}");

	/** Refuses, at start, settings that would be unsafe: short secrets, role names that need quoting. */
	@org.springframework.boot.context.properties.bind.ConstructorBinding
	public MailroomSettings {
		requireLongSecret("MAILROOM_SECRET", secret);
		requireLongSecret("MAILROOM_OPERATOR_TOKEN", operatorToken);
		if (mailplane != null) {
			requireLongSecret("MAILROOM_MAILPLANE_DATABASE_PASSWORD", mailplane.databasePassword());
			requireLongSecret("MAILROOM_MAILPLANE_DOVEADM_API_KEY", mailplane.doveadmApiKey());
			requireRoleName("MAILROOM_MAILPLANE_DATABASE_ROLE", mailplane.databaseRole());
		}
		if (database != null) {
			requireRoleName("MAILROOM_DATABASE_APP_ROLE", database.appRole());
		}
	}

	/** The settings without trusted proxies (the form most tests build). */
	public MailroomSettings(Path dataDir, String baseUrl, String operatorToken, String secret, boolean signupEnabled,
			int trashRetentionDays, String dnsResolver, String mailFrom, long maxRequestBytes,
			boolean allowReservedLocalParts, java.util.Map<String, Integer> rateLimits, Database database, Smtp smtp,
			Mailplane mailplane) {
		this(dataDir, baseUrl, operatorToken, secret, signupEnabled, trashRetentionDays, dnsResolver, mailFrom,
				maxRequestBytes, allowReservedLocalParts, rateLimits, database, smtp, mailplane, null);
	}

	private static void requireLongSecret(String variable, String value) {
		if (isSet(value) && value.strip().length() < MIN_SECRET_LENGTH) {
			throw new IllegalArgumentException(variable + " is " + value.strip().length() + " characters long: use at least "
					+ MIN_SECRET_LENGTH + " random characters (e.g. openssl rand -base64 32), or leave it unset to have one "
					+ "generated into the data directory");
		}
	}

	private static void requireRoleName(String variable, String value) {
		if (isSet(value) && !ROLE.matcher(value).matches()) {
			throw new IllegalArgumentException(variable + " must be a plain lower-case PostgreSQL role name "
					+ "(letters, digits and _, at most 57 characters, not starting with a digit)");
		}
	}

	/** Whether the public base URL is https (Secure cookies and HSTS then apply). */
	public boolean httpsBaseUrl() {
		return baseUrl != null && baseUrl.strip().regionMatches(true, 0, "https://", 0, 8);
	}

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
