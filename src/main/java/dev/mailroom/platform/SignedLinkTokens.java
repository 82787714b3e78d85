package dev.mailroom.platform;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;


/**
 * The one format of Mailroom's one-time link tokens: base64url(scope id, row id, first 128 bits
 * of HMAC-SHA256(server secret + label; scope, row, version)). Nothing about a token is stored:
 * it is recomputed and checked in constant time, and bumping the row's version kills every older
 * token. The scope (an organization, or none) lets the lookup run inside that organization's
 * row-level security; the label keeps the tokens of one purpose from being valid for another.
 */
public final class SignedLinkTokens {

	/** What a well-formed token names; whether it is valid is decided against its row. */
	public record Parsed(UUID scope, UUID id, byte[] mac) {
	}

	private static final int TOKEN_CHARACTERS = 64;
	private static final int TOKEN_BYTES = 48;
	private static final int MAC_BYTES = 16;

	private final SecretMac mac;

	public SignedLinkTokens(byte[] secret, String label) {
		this.mac = new SecretMac(secret, label);
	}

	public String token(UUID scope, UUID id, int version) {
		ByteBuffer bytes = ByteBuffer.allocate(TOKEN_BYTES);
		bytes.putLong(scope.getMostSignificantBits()).putLong(scope.getLeastSignificantBits());
		bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
		bytes.put(mac(scope, id, version));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
	}

	/** The ids a token names, or empty for anything that is not a well-formed token. */
	public static Optional<Parsed> parse(String token) {
		if (token == null || token.length() != TOKEN_CHARACTERS) {
			return Optional.empty();
		}
		byte[] bytes;
		try {
			bytes = Base64.getUrlDecoder().decode(token);
		}
		catch (IllegalArgumentException e) {
			return Optional.empty();
		}
		if (bytes.length != TOKEN_BYTES) {
			return Optional.empty();
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		UUID scope = new UUID(buffer.getLong(), buffer.getLong());
		UUID id = new UUID(buffer.getLong(), buffer.getLong());
		byte[] mac = new byte[MAC_BYTES];
		buffer.get(mac);
		return Optional.of(new Parsed(scope, id, mac));
	}

	/** Whether the token's MAC is the one of {@code version} (constant time). */
	public boolean matches(Parsed parsed, int version) {
		return MessageDigest.isEqual(parsed.mac(), mac(parsed.scope(), parsed.id(), version));
	}

	private byte[] mac(UUID scope, UUID id, int version) {
		return Arrays.copyOf(mac.of(ByteBuffer.allocate(36)
			.putLong(scope.getMostSignificantBits())
			.putLong(scope.getLeastSignificantBits())
			.putLong(id.getMostSignificantBits())
			.putLong(id.getLeastSignificantBits())
			.putInt(version)
			.array()), MAC_BYTES);
	}
}
