package dev.mailroom.invitation;

import java.util.Optional;
import java.util.UUID;

import dev.mailroom.platform.PublicUrls;
import dev.mailroom.platform.ServerSecrets;
import dev.mailroom.platform.SignedLinkTokens;
import org.springframework.stereotype.Component;

/**
 * Invite link tokens ({@link SignedLinkTokens}, scoped by the organization, keyed by the invite's
 * link version): recomputed for "copy link"; resend and re-address bump the version, so every
 * older token fails.
 */
@Component
class InviteLinks {

	private final SignedLinkTokens tokens;
	private final PublicUrls urls;

	InviteLinks(ServerSecrets secrets, PublicUrls urls) {
		this.tokens = new SignedLinkTokens(secrets.secret(), "invite-link-v1");
		this.urls = urls;
	}

	String token(UUID orgId, UUID inviteId, int version) {
		return tokens.token(orgId, inviteId, version);
	}

	String link(UUID orgId, UUID inviteId, int version) {
		return urls.of("/invite/" + token(orgId, inviteId, version));
	}

	/** The organization ({@code scope}) and invite ({@code id}) a well-formed token names. */
	Optional<SignedLinkTokens.Parsed> parse(String token) {
		return SignedLinkTokens.parse(token);
	}

	boolean matches(SignedLinkTokens.Parsed parsed, int version) {
		return tokens.matches(parsed, version);
	}
}
