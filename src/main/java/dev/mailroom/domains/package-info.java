/**
 * Domains of an organization and proof of control: a domain is added {@code pending} with a
 * TXT record to publish and becomes {@code active} when a real DNS lookup finds it (or the
 * operator marks it verified). Uses organization (limits), audit and platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform", "organization", "audit" })
package dev.mailroom.domains;
