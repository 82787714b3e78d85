package dev.mailroom.platform;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.springframework.http.HttpStatus;

/**
 * A cursor page request: {@code ?limit=} (default 50, 1–200) and {@code ?cursor=}, an opaque
 * token that encodes the sort key of the last row seen (keyset pagination, stable under inserts).
 */
public record PageRequest(int limit, String after) {

	public static final int DEFAULT_LIMIT = 50;
	public static final int MAX_LIMIT = 200;

	public static PageRequest of(Integer limit, String cursor) {
		int size = limit == null ? DEFAULT_LIMIT : limit;
		if (size < 1 || size > MAX_LIMIT) {
			throw MailroomException.invalid("limit", "invalid_limit", "limit must be between 1 and " + MAX_LIMIT);
		}
		return new PageRequest(size, cursor == null || cursor.isBlank() ? null : decode(cursor));
	}

	public static PageRequest first(int limit) {
		return new PageRequest(limit, null);
	}

	/** A keyset position: the time and id of the last row seen (lists sort by both). */
	public record Keyset(Instant at, UUID id) {

		public Timestamp timestamp() {
			return Timestamp.from(at);
		}
	}

	/** The sort key of a row in a list ordered by (time, id). */
	public static String keyset(Instant at, UUID id) {
		return at + "|" + id;
	}

	/**
	 * Where to continue a list ordered by (time, id): {@code null} on the first page; 400
	 * {@code invalid_cursor} when the cursor is not one this server made.
	 */
	public Keyset afterKeyset() {
		if (after == null) {
			return null;
		}
		try {
			String[] parts = after.split("\\|", 2);
			return new Keyset(Instant.parse(parts[0]), UUID.fromString(parts[1]));
		}
		catch (RuntimeException e) {
			throw invalidCursor();
		}
	}

	/** Encodes a row's sort key as the cursor that continues after it. */
	public static String encode(String sortKey) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
	}

	private static MailroomException invalidCursor() {
		return new MailroomException(HttpStatus.BAD_REQUEST, "invalid_cursor", "The cursor is not valid");
	}

	private static String decode(String cursor) {
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			throw invalidCursor();
		}
	}
}
