package dev.mailroom.identity.security;

import java.io.Serial;

import dev.mailroom.platform.Actor;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A signed-in browser session: the principal is the {@link Actor}, the name its user id. The
 * name matters because Spring Session indexes sessions by it in a 100-character column: the
 * default ({@code Actor.toString()}) does not fit, nor would every email address; the id always
 * does, and finds the user's sessions even after an email change.
 */
public final class WebAuthentication extends UsernamePasswordAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	public WebAuthentication(Actor actor) {
		super(actor, null, AuthorityUtils.createAuthorityList("ROLE_USER"));
	}

	@Override
	public String getName() {
		return ((Actor) getPrincipal()).userId().toString();
	}
}
