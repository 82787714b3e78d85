package dev.mailroom.organization;

import java.util.LinkedHashMap;
import java.util.Map;

/** The effective limits of an organization: its plan's, with the operator's overrides applied. */
public record Limits(int domains, int mailboxesPerDomain, int sharedPerDomain, int activeMailboxes,
		int archivedMailboxes, long storagePoolMb, int seats, int apiCallsPerDay, int invitesPerBatch) {

	/** The names operators use in {@code PATCH …/organizations/{id}} {@code limits}. */
	public static final java.util.List<String> NAMES = java.util.List.of("domains", "mailboxes_per_domain",
			"shared_per_domain", "active_mailboxes", "archived_mailboxes", "storage_pool_mb", "seats",
			"api_calls_per_day", "invites_per_batch");

	Limits with(Map<String, Long> overrides) {
		return new Limits(pick(overrides, "domains", domains), pick(overrides, "mailboxes_per_domain", mailboxesPerDomain),
				pick(overrides, "shared_per_domain", sharedPerDomain), pick(overrides, "active_mailboxes", activeMailboxes),
				pick(overrides, "archived_mailboxes", archivedMailboxes),
				overrides.getOrDefault("storage_pool_mb", storagePoolMb), pick(overrides, "seats", seats),
				pick(overrides, "api_calls_per_day", apiCallsPerDay),
				pick(overrides, "invites_per_batch", invitesPerBatch));
	}

	public Map<String, Object> asMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("domains", domains);
		map.put("mailboxes_per_domain", mailboxesPerDomain);
		map.put("shared_per_domain", sharedPerDomain);
		map.put("active_mailboxes", activeMailboxes);
		map.put("archived_mailboxes", archivedMailboxes);
		map.put("storage_pool_mb", storagePoolMb);
		map.put("seats", seats);
		map.put("api_calls_per_day", apiCallsPerDay);
		map.put("invites_per_batch", invitesPerBatch);
		return map;
	}

	private static int pick(Map<String, Long> overrides, String name, int fallback) {
		Long value = overrides.get(name);
		return value == null ? fallback : Math.toIntExact(value);
	}
}
