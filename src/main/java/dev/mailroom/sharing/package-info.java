/**
 * Who may open a mailbox besides its own login: the members of shared mailboxes (each a regular
 * mailbox of the organization, with {@code reply} or {@code read_only}) and, later, address
 * grants. A shared mailbox always keeps at least one member. Uses mailbox, audit and platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "mailbox", "mailbox :: api", "identity", "notification", "audit" })
package dev.mailroom.sharing;
