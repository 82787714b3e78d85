package dev.mailroom.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The API-key scope an endpoint needs, as published in the OpenAPI document
 * ({@code x-required-scope} and the operation's security requirement). It documents the
 * contract only: the service method the endpoint calls checks the scope itself
 * ({@link Actor#requireScope}), so REST, MCP and the web cannot differ.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {

	/** One of the key scopes of API.md, e.g. {@code mailboxes:write}. */
	String value();
}
