package dev.mailroom.team.api;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.invitation.InviteView;

/**
 * A team invitation as API.md shows it (REST and MCP): {@code sent_at} is the latest sending;
 * {@code link} only where the contract returns it (invite, resend).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamInvitationJson(UUID id, String email, String status,
		@JsonInclude(JsonInclude.Include.ALWAYS) Instant sentAt, Instant expiresAt, Instant createdAt, int sendCount,
		String link) {

	public static TeamInvitationJson of(InviteView i, String link) {
		return new TeamInvitationJson(i.id(), i.recipientEmail(), i.status(), i.lastSentAt(), i.expiresAt(), i.createdAt(),
				i.sendCount(), link);
	}
}
