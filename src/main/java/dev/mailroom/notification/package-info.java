/**
 * Email as a transactional outbox: a message row commits with the change that causes it, a
 * cluster-safe dispatcher delivers it over SMTP (Angus Mail) with retries and exponential
 * backoff, or — without an SMTP relay — keeps it for the dev mail viewer. Messages are rendered
 * at delivery time from a template and parameters by the module that owns the template, so no
 * link ever rests in the database. Uses platform.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "platform" })
package dev.mailroom.notification;
