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
 * <p>
 * The link emailed to the recipient also carries a proof ({@code ?proof=}, a token of its own
 * label over the same invite and version) that the inviter never sees: the API and "copy link"
 * give the bare link. Only the proof shows that whoever redeems the link read the recipient's
 * inbox, so only with it does an account made from the link start verified.
 */
@Component
class InviteLinks {

	private final SignedLinkTokens tokens;
	private final SignedLinkTokens proofs;
	private final PublicUrls urls;

	InviteLinks(ServerSecrets secrets, PublicUrls urls) {
		this.tokens = new SignedLinkTokens(secrets.secret(), "invite-link-v1");
		this.proofs = new SignedLinkTokens(secrets.secret(), "invite-email-proof-v1");
		this.urls = urls;
	}

	String token(UUID orgId, UUID inviteId, int version) {
		return tokens.token(orgId, inviteId, version);
	}

	String link(UUID orgId, UUID inviteId, int version) {
		return urls.of("/invite/" + token(orgId, inviteId, version));
	}

	/** The link as emailed to the recipient: with the proof of their inbox. */
	String emailedLink(UUID orgId, UUID inviteId, int version) {
		return link(orgId, inviteId, version) + "?proof=" + proofs.token(orgId, inviteId, version);
	}

	/** Whether {@code proof} is the one emailed for this invite at this link version. */
	boolean proves(UUID orgId, UUID inviteId, int version, String proof) {
		return SignedLinkTokens.parse(proof)
			.filter(p -> p.scope().equals(orgId) && p.id().equals(inviteId))
			.filter(p -> proofs.matches(p, version))
			.isPresent();
	}

	/** The organization ({@code scope}) and invite ({@code id}) a well-formed token names. */
	Optional<SignedLinkTokens.Parsed> parse(String token) {
		return SignedLinkTokens.parse(token);
	}

	boolean matches(SignedLinkTokens.Parsed parsed, int version) {
		return tokens.matches(parsed, version);
	}
}
