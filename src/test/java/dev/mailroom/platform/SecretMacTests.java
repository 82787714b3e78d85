package dev.mailroom.platform;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one HMAC of link tokens, recovery codes, device cookies and webmail credentials: its key is
 * the secret followed by the label, so values made before it existed (stored recovery-code hashes,
 * links in sent emails) still check.
 */
class SecretMacTests {

	@Test
	void isHmacSha256KeyedWithTheSecretThenTheLabel() {
		byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
		// HMAC-SHA256(key "s3cretlabel-v1", "hello world"), computed independently (openssl dgst -sha256 -hmac)
		assertThat(HexFormat.of().formatHex(new SecretMac(secret, "label-v1").of("hello world".getBytes(StandardCharsets.UTF_8))))
			.isEqualTo("4cd0afe857614145855856c2f4825dfad3ee57d14cf2133963b111172c2ca0a9");
		// parts are MACed as their concatenation
		assertThat(new SecretMac(secret, "label-v1").of("hello ".getBytes(StandardCharsets.UTF_8),
				"world".getBytes(StandardCharsets.UTF_8))).isEqualTo(new SecretMac(secret, "label-v1")
			.of("hello world".getBytes(StandardCharsets.UTF_8)));
		assertThat(new SecretMac(secret, "other-v1").of("hello world".getBytes(StandardCharsets.UTF_8)))
			.isNotEqualTo(new SecretMac(secret, "label-v1").of("hello world".getBytes(StandardCharsets.UTF_8)));
	}
}
