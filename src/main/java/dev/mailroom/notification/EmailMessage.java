package dev.mailroom.notification;

/** A rendered email: subject, plain text and HTML alternatives. */
public record EmailMessage(String subject, String text, String html) {
}
