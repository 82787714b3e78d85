package dev.mailroom.identity;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;


import dev.mailroom.platform.SecretMac;
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

	private final SecretMac mac;

	RecoveryCodes(ServerSecrets secrets) {
		this.mac = secrets.mac("recovery-code-v1");
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
		return mac.of(normalise(code).getBytes(StandardCharsets.US_ASCII));
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
