package dev.mailroom.webmail;

import dev.mailroom.platform.Actor;
import jakarta.servlet.http.HttpSession;

/**
 * The person reading mail in one request: who they are, their web session (which holds the
 * credential Dovecot checks) and their browser's address (passed on to Dovecot).
 */
public record WebmailUser(Actor actor, HttpSession session, String clientIp) {
}
