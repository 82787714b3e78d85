package dev.mailroom.platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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

	/** Encodes a row's sort key as the cursor that continues after it. */
	public static String encode(String sortKey) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
	}

	private static String decode(String cursor) {
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			throw new MailroomException(HttpStatus.BAD_REQUEST, "invalid_cursor", "The cursor is not valid");
		}
	}
}
