package dev.mailroom.sharing;

import java.util.UUID;

/**
 * A mailbox a person may open: their own ({@code owner}), as a member, or through a grant.
 *
 * @param memberAddress for {@code member} access, the person's own mailbox that is the member (the
 * login that opens the shared mailbox); {@code null} otherwise
 */
public record OpenableMailbox(UUID mailboxId, String address, String kind, String access, String permission,
		String memberAddress) {
}
