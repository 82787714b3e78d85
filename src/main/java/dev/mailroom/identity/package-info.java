/**
 * People and credentials: users, sign-up, sign-in, password hashing (in a format Dovecot also
 * verifies), API keys with scopes, the operator token, HTTP security, rate limits on sign-in and
 * the daily API quota. Uses organization (roles, limits), audit and platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "organization", "domains", "audit" })
package dev.mailroom.identity;
