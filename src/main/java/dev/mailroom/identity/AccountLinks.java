package dev.mailroom.identity;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.platform.PublicUrls;
import dev.mailroom.platform.ServerSecrets;
import dev.mailroom.platform.SignedLinkTokens;
import org.springframework.stereotype.Component;

/**
 * One-time links of accounts, in the format of invite links ({@link SignedLinkTokens}), with a
 * key per purpose. The scope is the organization of an ownership invitation (its lookup runs
 * inside that organization's row-level security) and zero for an email verification, which
 * belongs to none.
 */
@Component
class AccountLinks {

	static final UUID NO_SCOPE = new UUID(0, 0);

	enum Purpose {
		VERIFY_EMAIL("/verify-email/"), OWNERSHIP("/ownership/"), SIGN_IN("/signin/link/");

		final String path;

		Purpose(String path) {
			this.path = path;
		}
	}

	private final Map<Purpose, SignedLinkTokens> tokens = new EnumMap<>(Purpose.class);
	private final PublicUrls urls;

	AccountLinks(ServerSecrets secrets, PublicUrls urls) {
		for (Purpose purpose : Purpose.values()) {
			tokens.put(purpose, new SignedLinkTokens(secrets.secret(), "account-link-v1:" + purpose.name()));
		}
		this.urls = urls;
	}

	String link(Purpose purpose, UUID scope, UUID id, int version) {
		return urls.of(purpose.path + tokens.get(purpose).token(scope, id, version));
	}

	Optional<SignedLinkTokens.Parsed> parse(String token) {
		return SignedLinkTokens.parse(token);
	}

	/** Whether the token's MAC is the one of {@code version} (constant time). */
	boolean matches(Purpose purpose, SignedLinkTokens.Parsed parsed, int version) {
		return tokens.get(purpose).matches(parsed, version);
	}
}
