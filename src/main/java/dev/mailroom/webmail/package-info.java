/**
 * Webmail: the mailboxes a person may open (their own, shared ones they are a member of, addresses
 * shared with them), read in the browser over IMAP through the real mail plane. The app holds no
 * password: each web session gets a credential Dovecot checks through the mail-plane views, and it
 * logs in as the person (or "mailbox*person"), so Dovecot's ACLs decide exactly as for a desktop
 * client; it sends through Postfix's submission with the same credential. Uses sharing (what a person
 * may open), identity (rate limits) and platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "sharing", "identity" })
package dev.mailroom.webmail;
