package dev.mailroom.invitation;

/** An invite just sent (or resent) and its current link. */
public record SentInvite(InviteView invite, String link) {
}
