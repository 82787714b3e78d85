package dev.mailroom.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 keyed with the server secret and a label (the key is the secret followed by the
 * label's UTF-8 bytes), so that what one purpose signs is worthless for another: link tokens,
 * recovery codes, device cookies, webmail credentials each have their own label.
 */
public final class SecretMac {

	private final SecretKeySpec key;

	public SecretMac(byte[] secret, String label) {
		byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
		byte[] material = Arrays.copyOf(secret, secret.length + bytes.length);
		System.arraycopy(bytes, 0, material, secret.length, bytes.length);
		this.key = new SecretKeySpec(material, "HmacSHA256");
	}

	/** The MAC of the parts, in order (the same as of their concatenation). */
	public byte[] of(byte[]... parts) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			for (byte[] part : parts) {
				mac.update(part);
			}
			return mac.doFinal();
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
