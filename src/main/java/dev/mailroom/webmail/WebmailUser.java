package dev.mailroom.webmail;

import java.util.List;

import dev.mailroom.platform.Actor;
import dev.mailroom.sharing.OpenableMailbox;
import jakarta.servlet.http.HttpSession;

/**
 * The person reading mail in one request: who they are, their web session (which holds the
 * credential Dovecot checks) and their browser's address (passed on to Dovecot). What they may
 * open is read once per request (a page asks several times) and never kept longer.
 */
public final class WebmailUser {

	private final Actor actor;
	private final HttpSession session;
	private final String clientIp;
	private List<OpenableMailbox> openable;

	public WebmailUser(Actor actor, HttpSession session, String clientIp) {
		this.actor = actor;
		this.session = session;
		this.clientIp = clientIp;
	}

	public Actor actor() {
		return actor;
	}

	public HttpSession session() {
		return session;
	}

	public String clientIp() {
		return clientIp;
	}

	List<OpenableMailbox> openable(java.util.function.Supplier<List<OpenableMailbox>> read) {
		if (openable == null) {
			openable = List.copyOf(read.get());
		}
		return openable;
	}
}
