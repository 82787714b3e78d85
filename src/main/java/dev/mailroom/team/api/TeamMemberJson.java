package dev.mailroom.team.api;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mailroom.team.TeamMemberView;

/** A person of the team as API.md shows it (REST and MCP). */
public record TeamMemberJson(UUID userId, String email, String name, String role, Instant joinedAt, long mailboxCount,
		@JsonInclude(JsonInclude.Include.ALWAYS) Instant lastActiveAt) {

	public static TeamMemberJson of(TeamMemberView m) {
		return new TeamMemberJson(m.userId(), m.email(), m.name(), m.owner() ? "owner" : "member", m.joinedAt(),
				m.mailboxCount(), m.lastActiveAt());
	}
}
