/**
 * Teams: an organization whose plan has seats has an owner and members. The owner invites people
 * (team invites of the invitation lifecycle, each holding a seat until it is accepted, canceled or
 * expires), removes members (their mailboxes leave the organization at once; the operator may
 * bring them back for 24 hours) and sees usage per member; quotas are the organization's, shared.
 * Members manage only their own mailboxes and keys (enforced where those live). Uses
 * organization (memberships, seats), identity (people, sessions, keys, API calls), mailbox,
 * invitation, sharing (a removed member's grants end), domains, audit and platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "organization", "identity",
		"mailbox", "mailbox :: api", "invitation", "sharing", "domains", "audit" })
package dev.mailroom.team;
