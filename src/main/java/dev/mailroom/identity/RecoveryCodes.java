package dev.mailroom.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.mailroom.platform.ServerSecrets;
import org.springframework.stereotype.Component;

/**
 * Recovery codes: 20 characters of Crockford base32 (100 bits), shown as four groups of five
 * ({@code 7K3QD-M9XWP-…}). Stored as an HMAC keyed with the server secret, so a database leak
 * alone cannot be brute-forced. Reading is forgiving: case, dashes, spaces and the look-alikes
 * O/0 and I/L/1 do not matter.
 */
@Component
class RecoveryCodes {

	private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
	private static final SecureRandom RANDOM = new SecureRandom();

	private final SecretKeySpec key;

	RecoveryCodes(ServerSecrets secrets) {
		byte[] secret = secrets.secret();
		byte[] label = "recovery-code-v1".getBytes(StandardCharsets.UTF_8);
		byte[] material = new byte[secret.length + label.length];
		System.arraycopy(secret, 0, material, 0, secret.length);
		System.arraycopy(label, 0, material, secret.length, label.length);
		this.key = new SecretKeySpec(material, "HmacSHA256");
	}

	String generate() {
		StringBuilder code = new StringBuilder(23);
		for (int i = 0; i < 20; i++) {
			if (i > 0 && i % 5 == 0) {
				code.append('-');
			}
			code.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
		}
		return code.toString();
	}

	byte[] hash(String code) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			return mac.doFinal(normalise(code).getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	static String normalise(String code) {
		if (code == null) {
			return "";
		}
		StringBuilder out = new StringBuilder();
		for (char c : code.toUpperCase(Locale.ROOT).toCharArray()) {
			switch (c) {
				case '-', ' ', '\t' -> {
				}
				case 'O' -> out.append('0');
				case 'I', 'L' -> out.append('1');
				default -> out.append(c < 128 ? c : '?');
			}
		}
		return out.toString();
	}
}
