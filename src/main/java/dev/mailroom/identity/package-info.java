/**
 * People and credentials: users, sign-up, sign-in, password hashing (in a format Dovecot also
 * verifies), API keys with scopes, the operator token, HTTP security, rate limits on sign-in and
 * the daily API quota, email verification of sign-ups and the operator's ownership invitations.
 * Uses organization (roles, limits), notification (their emails), audit and platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "organization", "domains", "audit",
		"notification" })
package dev.mailroom.identity;
