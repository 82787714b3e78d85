/**
 * Organizations (tenants), the plan catalog and the effective limits (plan plus operator
 * overrides), and who holds which role in an organization. Uses platform and audit.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "audit" })
package dev.mailroom.organization;
