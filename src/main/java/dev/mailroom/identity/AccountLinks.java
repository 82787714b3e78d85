package dev.mailroom.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.mailroom.platform.PublicUrls;
import dev.mailroom.platform.ServerSecrets;
import org.springframework.stereotype.Component;

/**
 * One-time links of accounts, in the style of invite links: base64url(scope id, row id, first
 * 128 bits of HMAC-SHA256(server secret + purpose; scope, row, version)). Nothing about a token
 * is stored; bumping the row's version kills every older link. The scope is the organization of
 * an ownership invitation (its lookup runs inside that organization's row-level security) and
 * zero for an email verification, which belongs to none.
 */
@Component
class AccountLinks {

	static final UUID NO_SCOPE = new UUID(0, 0);

	/** What a well-formed token names; whether it is valid is decided against its row. */
	record Parsed(UUID scope, UUID id, byte[] mac) {
	}

	enum Purpose {
		VERIFY_EMAIL("/verify-email/"), OWNERSHIP("/ownership/");

		final String path;

		Purpose(String path) {
			this.path = path;
		}
	}

	private final byte[] secret;
	private final PublicUrls urls;

	AccountLinks(ServerSecrets secrets, PublicUrls urls) {
		this.secret = secrets.secret();
		this.urls = urls;
	}

	String link(Purpose purpose, UUID scope, UUID id, int version) {
		return urls.of(purpose.path + token(purpose, scope, id, version));
	}

	String token(Purpose purpose, UUID scope, UUID id, int version) {
		ByteBuffer bytes = ByteBuffer.allocate(48);
		bytes.putLong(scope.getMostSignificantBits()).putLong(scope.getLeastSignificantBits());
		bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
		bytes.put(mac(purpose, scope, id, version));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
	}

	Optional<Parsed> parse(String token) {
		if (token == null || token.length() != 64) {
			return Optional.empty();
		}
		byte[] bytes;
		try {
			bytes = Base64.getUrlDecoder().decode(token);
		}
		catch (IllegalArgumentException e) {
			return Optional.empty();
		}
		if (bytes.length != 48) {
			return Optional.empty();
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		UUID scope = new UUID(buffer.getLong(), buffer.getLong());
		UUID id = new UUID(buffer.getLong(), buffer.getLong());
		byte[] mac = new byte[16];
		buffer.get(mac);
		return Optional.of(new Parsed(scope, id, mac));
	}

	/** Whether the token's MAC is the one of {@code version} (constant time). */
	boolean matches(Purpose purpose, Parsed parsed, int version) {
		return MessageDigest.isEqual(parsed.mac(), mac(purpose, parsed.scope(), parsed.id(), version));
	}

	private byte[] mac(Purpose purpose, UUID scope, UUID id, int version) {
		try {
			byte[] label = ("account-link-v1:" + purpose.name()).getBytes(StandardCharsets.UTF_8);
			byte[] material = Arrays.copyOf(secret, secret.length + label.length);
			System.arraycopy(label, 0, material, secret.length, label.length);
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(material, "HmacSHA256"));
			mac.update(ByteBuffer.allocate(36)
				.putLong(scope.getMostSignificantBits())
				.putLong(scope.getLeastSignificantBits())
				.putLong(id.getMostSignificantBits())
				.putLong(id.getLeastSignificantBits())
				.putInt(version)
				.array());
			return Arrays.copyOf(mac.doFinal(), 16);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
