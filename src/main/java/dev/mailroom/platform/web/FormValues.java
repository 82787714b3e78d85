package dev.mailroom.platform.web;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a person typed into a form that was refused, so the page can show it again. Secrets
 * (passwords, tokens, the CSRF token) are never kept.
 */
public record FormValues(Map<String, List<String>> values) implements Serializable {

	public static final FormValues EMPTY = new FormValues(Map.of());

	public FormValues {
		values = Map.copyOf(values);
	}

	/** The submitted parameters minus anything secret. */
	public static FormValues of(Map<String, String[]> parameters) {
		Map<String, List<String>> kept = new LinkedHashMap<>();
		parameters.forEach((name, submitted) -> {
			if (!secret(name) && submitted != null) {
				kept.put(name, List.of(submitted));
			}
		});
		return new FormValues(kept);
	}

	/** The first value submitted for {@code name}, or {@code ""}. */
	public String get(String name) {
		List<String> submitted = values.get(name);
		return submitted == null || submitted.isEmpty() ? "" : submitted.getFirst();
	}

	/** Whether {@code value} was among the values submitted for {@code name} (checkboxes). */
	public boolean has(String name, String value) {
		List<String> submitted = values.get(name);
		return submitted != null && submitted.contains(value);
	}

	public boolean isEmpty() {
		return values.isEmpty();
	}

	private static boolean secret(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.startsWith("_") || lower.contains("password") || lower.contains("token") || lower.contains("secret");
	}
}
