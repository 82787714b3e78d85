package dev.mailroom.sharing.api;

import java.time.Instant;
import java.util.UUID;

import dev.mailroom.sharing.MemberView;

/** A member of a shared mailbox as API.md shows it (REST and MCP). */
public record MemberJson(UUID mailboxId, String address, String permission, Instant addedAt) {

	public static MemberJson of(MemberView m) {
		return new MemberJson(m.mailboxId(), m.address(), m.permission(), m.addedAt());
	}
}
