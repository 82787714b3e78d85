package dev.mailroom.platform.mcp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.IdempotencyStore;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.ServerSecrets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The {@code confirm_token} of destructive tools: {@code <expiry>.<HMAC>} over the API key, the
 * tool, the canonical arguments and the expiry, keyed with the server secret. Nothing is stored:
 * any instance verifies it, and it cannot be moved to another key, tool or set of arguments.
 * Within its 5 minutes the same token may be presented again (the tools it guards are safe to
 * repeat or refuse a repeat).
 */
@Component
class ConfirmTokens {

	static final Duration LIFETIME = Duration.ofMinutes(5);

	private final SecretKeySpec key;
	private final Clock clock;

	@Autowired
	ConfirmTokens(ServerSecrets secrets) {
		this(secrets, Clock.systemUTC());
	}

	ConfirmTokens(ServerSecrets secrets, Clock clock) {
		this.key = new SecretKeySpec(IdempotencyStore.sha256(IdempotencyStore.concat(secrets.secret(),
				"mcp-confirm-v1".getBytes(StandardCharsets.UTF_8))), "HmacSHA256");
		this.clock = clock;
	}

	record Issued(String token, Instant expiresAt) {
	}

	Issued issue(Actor actor, String tool, String canonicalArguments) {
		long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
		return new Issued(expiry + "." + mac(actor, tool, canonicalArguments, expiry), Instant.ofEpochSecond(expiry));
	}

	/** Refuses a token that is malformed, was made for another call, or expired. */
	void verify(Actor actor, String tool, String canonicalArguments, String token) {
		int dot = token.indexOf('.');
		long expiry;
		try {
			expiry = Long.parseLong(token.substring(0, Math.max(dot, 0)));
		}
		catch (NumberFormatException e) {
			throw invalid();
		}
		String expected = mac(actor, tool, canonicalArguments, expiry);
		if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
			throw invalid();
		}
		if (clock.instant().getEpochSecond() > expiry) {
			throw new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, "confirm_token_expired",
					"The confirm_token expired (they last " + LIFETIME.toMinutes()
							+ " minutes): call " + tool + " again without confirm_token to review it and get a new one");
		}
	}

	private static MailroomException invalid() {
		return new MailroomException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_confirm_token",
				"This confirm_token was not issued for this tool with exactly these arguments: call the tool without "
						+ "confirm_token to review what it would do and get a token");
	}

	private String mac(Actor actor, String tool, String canonicalArguments, long expiry) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			String message = actor.apiKeyId() + "\n" + actor.orgId() + "\n" + tool + "\n" + expiry + "\n"
					+ canonicalArguments;
			return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
