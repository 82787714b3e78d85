package dev.mailroom.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The one store behind idempotency keys, for every channel (the REST {@code Idempotency-Key}
 * header and the MCP {@code idempotency_key} argument): a key is scoped to its caller
 * ({@code principal}) and bound to a hash of the request it first came with; the outcome is kept
 * 24 hours, encrypted (it may hold a token or link shown once). A first attempt that dies
 * without finishing frees its key after 5 minutes.
 */
@Component
public class IdempotencyStore {

	/** What a key may look like: 1–255 visible ASCII characters. */
	public static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

	private static final Duration RETENTION = Duration.ofHours(24);
	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;
	private final SecretKeySpec key;

	IdempotencyStore(JdbcClient jdbc, ServerSecrets secrets) {
		this.jdbc = jdbc;
		this.key = new SecretKeySpec(sha256(concat(secrets.secret(), "idempotency-v1".getBytes(StandardCharsets.UTF_8))),
				"AES");
	}

	/** What a claim on a key found. */
	public sealed interface Claim {

		/** The key is new: run the request, then {@link #complete} or {@link #release} it. */
		record First() implements Claim {
		}

		/** The same request ran before: answer this again and change nothing. */
		record Replay(int status, String contentType, String location, byte[] body) implements Claim {
		}

		/** The first request with this key is still running. */
		record InUse() implements Claim {
		}

		/** The key was used with another request. */
		record Reused() implements Claim {
		}
	}

	/** Claims {@code key} for {@code principal} and the request whose hash is {@code requestHash}. */
	public Claim claim(String principal, String idempotencyKey, byte[] requestHash) {
		// an expired record, or a first attempt that died without finishing, frees the key
		jdbc.sql("""
				delete from mailroom.idempotency_records where principal = :p and key = :k
				  and (created_at < now() - interval '24 hours' or (status is null and created_at < now() - interval '5 minutes'))
				""")
			.param("p", principal)
			.param("k", idempotencyKey)
			.update();
		boolean first = jdbc.sql("""
				insert into mailroom.idempotency_records (principal, key, request_hash) values (:p, :k, :h)
				on conflict (principal, key) do nothing
				""").param("p", principal).param("k", idempotencyKey).param("h", requestHash).update() == 1;
		if (first) {
			return new Claim.First();
		}
		record Stored(byte[] requestHash, Integer status, String contentType, String location, byte[] body) {
		}
		Optional<Stored> record = jdbc.sql("""
				select request_hash, status, content_type, location, body from mailroom.idempotency_records
				where principal = :p and key = :k
				""").param("p", principal).param("k", idempotencyKey).query((rs, n) -> new Stored(rs.getBytes(1),
				(Integer) rs.getObject(2), rs.getString(3), rs.getString(4), rs.getBytes(5))).optional();
		if (record.isEmpty() || record.get().status() == null) {
			return new Claim.InUse();
		}
		Stored stored = record.get();
		if (!MessageDigest.isEqual(stored.requestHash(), requestHash)) {
			return new Claim.Reused();
		}
		return new Claim.Replay(stored.status(), stored.contentType(), stored.location(), decrypt(stored.body()));
	}

	/** Stores the outcome of a first request, for its retries. */
	public void complete(String principal, String idempotencyKey, int status, String contentType, String location,
			byte[] body) {
		jdbc.sql("""
				update mailroom.idempotency_records
				set status = :status, content_type = :type, location = :location, body = :body
				where principal = :p and key = :k
				""")
			.param("status", status)
			.param("type", contentType)
			.param("location", location)
			.param("body", encrypt(body))
			.param("p", principal)
			.param("k", idempotencyKey)
			.update();
	}

	/** Frees a key whose first request failed (a real retry may use it again). */
	public void release(String principal, String idempotencyKey) {
		jdbc.sql("delete from mailroom.idempotency_records where principal = :p and key = :k")
			.param("p", principal)
			.param("k", idempotencyKey)
			.update();
	}

	/** How a caller is named in the store: the same for every channel. */
	public static String principal(Actor actor) {
		return switch (actor.kind()) {
			case OPERATOR -> "operator";
			case API_KEY -> "api_key:" + actor.apiKeyId();
			case USER -> "user:" + actor.userId();
		};
	}

	/** Forgets keys older than the retention window. */
	@Scheduled(fixedDelay = 60 * 60 * 1000, initialDelay = 60 * 1000)
	void purge() {
		jdbc.sql("delete from mailroom.idempotency_records where created_at < now() - cast(:age as interval)")
			.param("age", RETENTION.toHours() + " hours")
			.update();
	}

	public static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	public static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	private byte[] encrypt(byte[] plain) {
		try {
			byte[] iv = new byte[12];
			RANDOM.nextBytes(iv);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
			return concat(iv, cipher.doFinal(plain));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	private byte[] decrypt(byte[] stored) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 0, 12));
			return cipher.doFinal(stored, 12, stored.length - 12);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}
}
