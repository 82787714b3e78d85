package dev.mailroom.mailbox.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.mailbox.MailStore;
import dev.mailroom.mailbox.MailboxView;

/** The mailbox as API.md shows it. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record MailboxJson(UUID id, String address, String localPart, UUID domainId, String kind, String status,
		String displayName, @JsonInclude(JsonInclude.Include.ALWAYS) Integer storageAllocationMb,
		@JsonInclude(JsonInclude.Include.ALWAYS) UUID ownerUserId, List<String> flags, Instant createdAt,
		Instant purgeAt, Integer memberCount, Double storageUsedMb, Long messageCount) {

	public static MailboxJson of(MailboxView m) {
		return of(m, null);
	}

	/** With the storage the mail plane reports (absent when none is connected). */
	public static MailboxJson of(MailboxView m, MailStore.StoredMail used) {
		return new MailboxJson(m.id(), m.address(), m.localPart(), m.domainId(), m.kind(), m.status(), m.displayName(),
				m.storageAllocationMb(), m.ownerUserId(), m.shared() ? m.flags() : null, m.createdAt(), m.purgeAt(),
				m.memberCount(), used == null ? null : used.megabytes(), used == null ? null : used.messages());
	}
}
