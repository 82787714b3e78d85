package dev.mailroom.mailbox.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.mailbox.MailboxView;

/** The mailbox as API.md shows it. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record MailboxJson(UUID id, String address, String localPart, UUID domainId, String kind, String status,
		String displayName, @JsonInclude(JsonInclude.Include.ALWAYS) Integer storageAllocationMb,
		@JsonInclude(JsonInclude.Include.ALWAYS) UUID ownerUserId, List<String> flags, Instant createdAt,
		Instant purgeAt, Integer memberCount) {

	public static MailboxJson of(MailboxView m) {
		return new MailboxJson(m.id(), m.address(), m.localPart(), m.domainId(), m.kind(), m.status(), m.displayName(),
				m.storageAllocationMb(), m.ownerUserId(), m.shared() ? m.flags() : null, m.createdAt(), m.purgeAt(),
				m.memberCount());
	}
}
