package dev.mailroom.mailbox;

/**
 * A new mailbox with what is shown only once: the generated password (when none was given) and
 * the recovery code (regular mailboxes).
 */
public record CreatedMailbox(MailboxView mailbox, String generatedPassword, String recoveryCode) {
}
