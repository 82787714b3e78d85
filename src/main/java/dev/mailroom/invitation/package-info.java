/**
 * The invitation lifecycle shared by every kind (mailbox_setup now; address_access and team
 * build on it): one-time links that store no secret, expiry, resend and re-address (old links
 * die), cancel, bulk actions, and redemption. A pending setup invite holds a mailbox slot and
 * its dedicated storage until it is redeemed, canceled or expires. Uses mailbox, domains,
 * organization, identity, notification, audit and platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "organization", "domains",
		"identity", "mailbox", "sharing", "notification", "audit" })
package dev.mailroom.invitation;
