/**
 * Webmail: the mailboxes a person may open (their own, shared ones they are a member of, addresses
 * shared with them), read in the browser over IMAP through the real mail plane. The app holds no
 * password: each web session gets a credential Dovecot checks through the mail-plane views, and it
 * logs in as the person (or "mailbox*person"), so Dovecot's ACLs decide exactly as for a desktop
 * client. Uses sharing (what a person may open) and platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "sharing" })
package dev.mailroom.webmail;
