package dev.mailroom.invitation;

import java.time.Instant;

/**
 * An address shared by link: {@code recipientEmail} {@code null} makes a sharing link for
 * whoever receives it (single use); {@code sendEmail} {@code null} means yes when there is a
 * recipient; {@code accessUntil} {@code null} means no end.
 */
public record ShareAddress(String recipientEmail, String permission, String language, Boolean sendEmail,
		Instant accessUntil) {
}
