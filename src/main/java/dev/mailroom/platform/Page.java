package dev.mailroom.platform;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: {@code {items, next_cursor}}. Queries fetch {@code limit + 1} rows; the
 * extra row only tells that another page exists.
 */
public record Page<T>(List<T> items, String nextCursor) {

	public static <T> Page<T> of(List<T> rows, PageRequest request, Function<T, String> sortKey) {
		if (rows.size() <= request.limit()) {
			return new Page<>(rows, null);
		}
		List<T> items = rows.subList(0, request.limit());
		return new Page<>(List.copyOf(items), PageRequest.encode(sortKey.apply(items.getLast())));
	}

	public <R> Page<R> map(Function<T, R> mapper) {
		return new Page<>(items.stream().map(mapper).toList(), nextCursor);
	}
}
