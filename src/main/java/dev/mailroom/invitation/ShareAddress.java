package dev.mailroom.invitation;

import java.time.Instant;

/**
 * An address shared by link: {@code recipientEmail} {@code null} makes a sharing link for
 * whoever receives it (single use); {@code sendEmail} {@code null} means yes when there is a
 * recipient; {@code accessUntil} {@code null} means no end. {@code mailboxPassword} is the
 * address's own password, the proof that its person agrees (required for a regular mailbox unless
 * its own login shares it; never stored or logged).
 */
public record ShareAddress(String recipientEmail, String permission, String language, Boolean sendEmail,
		Instant accessUntil, String mailboxPassword) {

	@Override
	public String toString() {
		return "ShareAddress[recipientEmail=" + recipientEmail + ", permission=" + permission + "]";
	}
}
