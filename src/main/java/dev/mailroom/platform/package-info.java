/**
 * Cross-cutting pieces every feature uses and none owns: settings, the embedded or external
 * PostgreSQL, tenancy (the per-transaction organization that row-level security keys on),
 * the acting principal, problem details, request ids, idempotency and pagination. It knows no
 * feature module.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.mailroom.platform;
