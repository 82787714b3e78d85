package dev.mailroom.sharing.api;

import dev.mailroom.mailbox.CreatedMailbox;
import dev.mailroom.mailbox.api.MailboxJson;

/**
 * A shared mailbox converted back to regular: the mailbox, its password if it was generated and
 * its new recovery code, both shown only here (REST and MCP).
 */
public record RegularJson(MailboxJson mailbox, String password, String recoveryCode) {

	public static RegularJson of(CreatedMailbox created) {
		return new RegularJson(MailboxJson.of(created.mailbox()), created.generatedPassword(), created.recoveryCode());
	}
}
