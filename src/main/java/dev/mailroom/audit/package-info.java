/**
 * Audit events: who did what to which target, when and from where, for every change made by
 * a user, an API key, an agent or the operator. Written in the transaction of the change.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform" })
package dev.mailroom.audit;
