package dev.mailroom.sharing;

import java.util.UUID;

/** A member to add; {@code permission} {@code null} means {@code reply}. */
public record NewMember(UUID mailboxId, String permission) {
}
