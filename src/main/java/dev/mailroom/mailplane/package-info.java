/**
 * The mail plane: the {@code mailplane} SQL views Postfix and Dovecot read (the migrations own
 * them), the configuration generator for both servers, the milter that holds the header From: to
 * the same send-as rules as the envelope, and the app's side of doveadm's HTTP API (ending
 * sessions when access ends, storage usage, wiping purged mailboxes).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "mailbox" })
package dev.mailroom.mailplane;
