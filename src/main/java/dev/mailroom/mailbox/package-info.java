/**
 * Mailboxes: regular (one login) and shared, their storage (a dedicated allocation or the
 * organization's pool), the plan limits on them — held under concurrency by the organization's
 * row lock — and their life: create, bulk create, archive, recycle bin, restore, purge.
 * Uses domains, identity (mailbox logins), organization (limits), audit and platform.
 */
@org.springframework.modulith.ApplicationModule(
		allowedDependencies = { "platform", "organization", "domains", "identity", "audit" })
package dev.mailroom.mailbox;
