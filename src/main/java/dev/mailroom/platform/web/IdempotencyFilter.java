package dev.mailroom.platform.web;

import java.io.IOException;
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

import dev.mailroom.platform.Actor;
import dev.mailroom.platform.ServerSecrets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on every API {@code POST}: the first request with a key runs and its
 * response is stored (encrypted: it may hold a token shown once); a retry with the same key and
 * body within 24 hours gets that response again ({@code Idempotent-Replayed: true}) and changes
 * nothing; the same key with another body → 422 {@code idempotency_key_reused}; a retry while
 * the first is still running → 409 {@code idempotency_key_in_use}. Keys are scoped to the caller.
 * Runs after authentication (it is ordered after Spring Security's filter).
 */
@Component
class IdempotencyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";
	private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
	private static final Duration RETENTION = Duration.ofHours(24);
	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;
	private final SecretKeySpec key;

	IdempotencyFilter(JdbcClient jdbc, ServerSecrets secrets) {
		this.jdbc = jdbc;
		this.key = new SecretKeySpec(sha256(concat(secrets.secret(), "idempotency-v1".getBytes(StandardCharsets.UTF_8))),
				"AES");
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
				|| !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String idempotencyKey = request.getHeader(HEADER);
		if (!KEY.matcher(idempotencyKey).matches()) {
			problem(response, HttpStatus.BAD_REQUEST, "invalid_idempotency_key",
					"Idempotency-Key must be 1–255 visible ASCII characters");
			return;
		}
		String principal = principal(request);
		byte[] body = request.getInputStream().readAllBytes();
		byte[] hash = sha256(concat((request.getMethod() + " " + request.getRequestURI() + "?"
				+ (request.getQueryString() == null ? "" : request.getQueryString()) + "\n").getBytes(StandardCharsets.UTF_8),
				body));
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
				""").param("p", principal).param("k", idempotencyKey).param("h", hash).update() == 1;
		if (!first) {
			replay(principal, idempotencyKey, hash, response);
			return;
		}
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		boolean stored = false;
		try {
			chain.doFilter(request, captured);
			if (captured.getStatus() < 500) {
				jdbc.sql("""
						update mailroom.idempotency_records
						set status = :status, content_type = :type, location = :location, body = :body
						where principal = :p and key = :k
						""")
					.param("status", captured.getStatus())
					.param("type", captured.getContentType())
					.param("location", captured.getHeader("Location"))
					.param("body", encrypt(captured.getContentAsByteArray()))
					.param("p", principal)
					.param("k", idempotencyKey)
					.update();
				stored = true;
			}
		}
		finally {
			if (!stored) {
				// a failed first attempt leaves the key free for a real retry
				jdbc.sql("delete from mailroom.idempotency_records where principal = :p and key = :k")
					.param("p", principal)
					.param("k", idempotencyKey)
					.update();
			}
			captured.copyBodyToResponse();
		}
	}

	private void replay(String principal, String idempotencyKey, byte[] hash, HttpServletResponse response)
			throws IOException {
		record Stored(byte[] requestHash, Integer status, String contentType, String location, byte[] body) {
		}
		Optional<Stored> record = jdbc.sql("""
				select request_hash, status, content_type, location, body from mailroom.idempotency_records
				where principal = :p and key = :k
				""").param("p", principal).param("k", idempotencyKey).query((rs, n) -> new Stored(rs.getBytes(1),
				(Integer) rs.getObject(2), rs.getString(3), rs.getString(4), rs.getBytes(5))).optional();
		if (record.isEmpty() || record.get().status() == null) {
			response.setHeader("Retry-After", "1");
			problem(response, HttpStatus.CONFLICT, "idempotency_key_in_use",
					"A request with this Idempotency-Key is still being processed; retry shortly");
			return;
		}
		Stored stored = record.get();
		if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
			problem(response, HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
					"This Idempotency-Key was used with a different request; use a new key");
			return;
		}
		response.setStatus(stored.status());
		if (stored.contentType() != null) {
			response.setContentType(stored.contentType());
		}
		if (stored.location() != null) {
			response.setHeader("Location", stored.location());
		}
		response.setHeader("Idempotent-Replayed", "true");
		byte[] body = decrypt(stored.body());
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** Forgets keys older than the retention window. */
	@Scheduled(fixedDelay = 60 * 60 * 1000, initialDelay = 60 * 1000)
	void purge() {
		jdbc.sql("delete from mailroom.idempotency_records where created_at < now() - cast(:age as interval)")
			.param("age", RETENTION.toHours() + " hours")
			.update();
	}

	private static String principal(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
			return switch (actor.kind()) {
				case OPERATOR -> "operator";
				case API_KEY -> "api_key:" + actor.apiKeyId();
				case USER -> "user:" + actor.userId();
			};
		}
		return "anonymous:" + request.getRemoteAddr();
	}

	private static void problem(HttpServletResponse response, HttpStatus status, String code, String detail)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(ProblemResponses.json(status, code, detail).getBytes(StandardCharsets.UTF_8));
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

	private static byte[] sha256(byte[] data) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(data);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}
}
