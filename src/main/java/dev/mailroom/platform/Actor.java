package dev.mailroom.platform;

import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpStatus;

/**
 * Who is acting in a request: a signed-in user, an API key (on behalf of its user), or the
 * operator. Services take it as their first argument and decide with it; adapters only pass it.
 *
 * @param orgId the organization the actor works in; {@code null} for the operator
 * @param scopes the API key's scopes; {@code null} when not acting through a key (no scope limit)
 * @param domainIds the domains an API key is limited to; {@code null} for no limit
 */
public record Actor(Kind kind, UUID userId, String email, UUID orgId, OrgRole role, UUID apiKeyId,
		Set<String> scopes, Set<UUID> domainIds, String ip) implements java.io.Serializable {

	public enum Kind {
		USER, API_KEY, OPERATOR
	}

	public static Actor operator(String ip) {
		return new Actor(Kind.OPERATOR, null, null, null, null, null, null, null, ip);
	}

	public boolean isOperator() {
		return kind == Kind.OPERATOR;
	}

	/** How the actor is named in audit events. */
	public String label() {
		return switch (kind) {
			case OPERATOR -> "operator";
			case USER -> "user:" + email;
			case API_KEY -> "api_key:" + apiKeyId + " (" + email + ")";
		};
	}

	/** Refuses an API key that lacks {@code scope} with 403 {@code insufficient_scope}. */
	public void requireScope(String scope) {
		if (scopes != null && !scopes.contains(scope)) {
			throw new MailroomException(HttpStatus.FORBIDDEN, "insufficient_scope",
					"This API key lacks the scope " + scope);
		}
	}

	/** Refuses unless the actor is at least an admin of its organization (owner or admin). */
	public void requireAdmin() {
		if (!isOperator() && (role == null || role == OrgRole.MEMBER)) {
			throw MailroomException.forbidden("Only an owner or admin of the organization may do this");
		}
	}

	/** Whether this is an API key limited to some domains. */
	public boolean domainLimited() {
		return domainIds != null;
	}

	/** Whether an API key's domain limit (if any) admits {@code domainId}. */
	public boolean mayUseDomain(UUID domainId) {
		return domainIds == null || domainIds.contains(domainId);
	}

	public Actor inOrganization(UUID organization, OrgRole newRole) {
		return new Actor(kind, userId, email, organization, newRole, apiKeyId, scopes, domainIds, ip);
	}
}
