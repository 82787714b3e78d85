package dev.mailroom.invitation.api;

import java.util.List;
import java.util.UUID;

import dev.mailroom.invitation.BulkSent;

/** A batch of setup invites just sent, with each invite's link (REST and MCP). */
public record BulkSentJson(UUID batchId, List<InviteJson> items) {

	public static BulkSentJson of(BulkSent sent) {
		return new BulkSentJson(sent.batchId(),
				sent.invites().stream().map(s -> InviteJson.of(s.invite(), s.link())).toList());
	}
}
