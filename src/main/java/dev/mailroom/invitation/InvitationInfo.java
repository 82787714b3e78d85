package dev.mailroom.invitation;

import java.time.Instant;

/** What the person holding a link may see before accepting it. */
public record InvitationInfo(String kind, String status, String organizationName, String inviterName,
		String recipientEmail, String domain, String address, String localPart, boolean localPartChoosable,
		String permission, Instant expiresAt, String language) {
}
