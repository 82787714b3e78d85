package dev.mailroom.sharing;

import java.util.UUID;

/** A mailbox a person may open: their own ({@code owner}), as a member, or through a grant. */
public record OpenableMailbox(UUID mailboxId, String address, String kind, String access, String permission) {
}
