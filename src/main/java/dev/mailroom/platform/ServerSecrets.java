package dev.mailroom.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.stereotype.Component;

/**
 * The server secret (keys HMACs such as invite links) and the operator token. Each comes from
 * configuration, or is generated once into the data directory (mode 0600, see {@link SecretFiles})
 * and reused after. Configured values shorter than 32 characters are refused when the settings
 * bind (see {@link MailroomSettings}).
 */
@Component
public class ServerSecrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final byte[] secret;
	private final String operatorToken;
	private final boolean operatorTokenGenerated;
	private final String mailplaneDatabasePassword;
	private final String doveadmApiKey;

	ServerSecrets(MailroomSettings settings) {
		Path dir = settings.dataDir();
		this.secret = configuredOrStored(settings.secret(), dir.resolve("secret")).getBytes(StandardCharsets.UTF_8);
		if (MailroomSettings.isSet(settings.operatorToken())) {
			this.operatorToken = settings.operatorToken();
			this.operatorTokenGenerated = false;
		}
		else {
			this.operatorTokenGenerated = !Files.exists(dir.resolve("operator-token"));
			this.operatorToken = readOrCreate(dir.resolve("operator-token"));
		}
		MailroomSettings.Mailplane mailplane = settings.mailplane();
		this.mailplaneDatabasePassword = configuredOrStored(mailplane == null ? null : mailplane.databasePassword(),
				dir.resolve("mailplane-database-password"));
		this.doveadmApiKey = configuredOrStored(mailplane == null ? null : mailplane.doveadmApiKey(),
				dir.resolve("doveadm-api-key"));
	}

	/** The configured value, or the one generated once into {@code file} and reused after. */
	private static String configuredOrStored(String configured, Path file) {
		return MailroomSettings.isSet(configured) ? configured : readOrCreate(file);
	}

	/**
	 * The password of the mail plane's database login: the app sets it at every start, the config
	 * generator writes it into Dovecot's and Postfix's SQL settings.
	 */
	public String mailplaneDatabasePassword() {
		return mailplaneDatabasePassword;
	}

	/** The key for doveadm's HTTP API, shared by the generated Dovecot config and the app. */
	public String doveadmApiKey() {
		return doveadmApiKey;
	}

	/** The server-wide secret for HMACs; never leaves the process. */
	public byte[] secret() {
		return secret.clone();
	}

	/** HMACs keyed with the server secret for one purpose, named by {@code label}. */
	public SecretMac mac(String label) {
		return new SecretMac(secret, label);
	}

	/** Whether the operator token was generated during this start (to show it once). */
	public boolean operatorTokenGenerated() {
		return operatorTokenGenerated;
	}

	public String operatorToken() {
		return operatorToken;
	}

	/** Constant-time check of a presented operator token. */
	public boolean isOperatorToken(String presented) {
		return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
				operatorToken.getBytes(StandardCharsets.UTF_8));
	}

	/** A random URL-safe string carrying {@code bytes} bytes of entropy. */
	public static String randomToken(int bytes) {
		byte[] value = new byte[bytes];
		RANDOM.nextBytes(value);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
	}

	private static String readOrCreate(Path file) {
		return SecretFiles.readOrCreate(file, () -> randomToken(32));
	}
}
