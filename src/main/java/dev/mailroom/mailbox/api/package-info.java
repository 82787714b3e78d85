/**
 * The mailbox REST adapters. {@link dev.mailroom.mailbox.api.MailboxJson} is the one JSON shape
 * of a mailbox, shared with the sharing module's endpoints that return mailboxes.
 */
@org.springframework.modulith.NamedInterface("api")
package dev.mailroom.mailbox.api;
