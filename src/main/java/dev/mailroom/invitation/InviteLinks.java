package dev.mailroom.invitation;

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
 * Invite link tokens: base64url(organization id, invite id, first 128 bits of
 * HMAC-SHA256(server secret; organization, invite, link version)). Nothing about the token is
 * stored: it is recomputed for "copy link" and checked in constant time; bumping the version
 * (resend, re-address) makes every older token fail. The ids let the lookup run inside the
 * organization's row-level security.
 */
@Component
class InviteLinks {

	/** What a well-formed token names; whether it is valid is decided against the invite. */
	record Parsed(UUID orgId, UUID inviteId, byte[] mac) {
	}

	private final SecretKeySpec key;
	private final PublicUrls urls;

	InviteLinks(ServerSecrets secrets, PublicUrls urls) {
		byte[] secret = secrets.secret();
		byte[] label = "invite-link-v1".getBytes(StandardCharsets.UTF_8);
		byte[] material = Arrays.copyOf(secret, secret.length + label.length);
		System.arraycopy(label, 0, material, secret.length, label.length);
		this.key = new SecretKeySpec(material, "HmacSHA256");
		this.urls = urls;
	}

	String token(UUID orgId, UUID inviteId, int version) {
		ByteBuffer bytes = ByteBuffer.allocate(48);
		bytes.putLong(orgId.getMostSignificantBits()).putLong(orgId.getLeastSignificantBits());
		bytes.putLong(inviteId.getMostSignificantBits()).putLong(inviteId.getLeastSignificantBits());
		bytes.put(mac(orgId, inviteId, version));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
	}

	String link(UUID orgId, UUID inviteId, int version) {
		return urls.of("/invite/" + token(orgId, inviteId, version));
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
		UUID org = new UUID(buffer.getLong(), buffer.getLong());
		UUID invite = new UUID(buffer.getLong(), buffer.getLong());
		byte[] mac = new byte[16];
		buffer.get(mac);
		return Optional.of(new Parsed(org, invite, mac));
	}

	/** Whether the token's MAC is the one of {@code version}. */
	boolean matches(Parsed parsed, int version) {
		return MessageDigest.isEqual(parsed.mac(), mac(parsed.orgId(), parsed.inviteId(), version));
	}

	private byte[] mac(UUID orgId, UUID inviteId, int version) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			mac.update(ByteBuffer.allocate(36)
				.putLong(orgId.getMostSignificantBits())
				.putLong(orgId.getLeastSignificantBits())
				.putLong(inviteId.getMostSignificantBits())
				.putLong(inviteId.getLeastSignificantBits())
				.putInt(version)
				.array());
			return Arrays.copyOf(mac.doFinal(), 16);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
