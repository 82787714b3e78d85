package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class SignedLinkTokensTests {

	static final byte[] SECRET = "a server secret of at least thirty-two characters".getBytes(StandardCharsets.UTF_8);

	final SignedLinkTokens invites = new SignedLinkTokens(SECRET, "invite-link-v1");
	final UUID org = UUID.randomUUID();
	final UUID row = UUID.randomUUID();

	@Test
	void aTokenNamesItsScopeAndRowAndMatchesOnlyItsVersion() {
		String token = invites.token(org, row, 3);
		assertThat(token).hasSize(64).matches("[A-Za-z0-9_-]+");
		SignedLinkTokens.Parsed parsed = SignedLinkTokens.parse(token).orElseThrow();
		assertThat(parsed.scope()).isEqualTo(org);
		assertThat(parsed.id()).isEqualTo(row);
		assertThat(invites.matches(parsed, 3)).isTrue();
		assertThat(invites.matches(parsed, 4)).as("a bumped version kills the older token").isFalse();
	}

	@Test
	void aTokenOfOnePurposeOrSecretIsWorthlessForAnother() {
		SignedLinkTokens.Parsed parsed = SignedLinkTokens.parse(invites.token(org, row, 1)).orElseThrow();
		assertThat(new SignedLinkTokens(SECRET, "account-link-v1:VERIFY_EMAIL").matches(parsed, 1)).isFalse();
		byte[] other = "another server secret, also thirty-two characters".getBytes(StandardCharsets.UTF_8);
		assertThat(new SignedLinkTokens(other, "invite-link-v1").matches(parsed, 1)).isFalse();
	}

	@Test
	void aTokenNamingOtherIdsUnderTheSameMacFails() {
		String token = invites.token(org, row, 1);
		String swapped = invites.token(UUID.randomUUID(), row, 1).substring(0, 22) + token.substring(22);
		assertThat(invites.matches(SignedLinkTokens.parse(swapped).orElseThrow(), 1)).isFalse();
	}

	@Test
	void anythingButAWellFormedTokenParsesToNothing() {
		for (String bad : new String[] { null, "", "short", "x".repeat(63), "!".repeat(64), "x".repeat(65),
				invites.token(org, row, 1).substring(1) + "=" }) {
			assertThat(SignedLinkTokens.parse(bad)).as(String.valueOf(bad)).isEmpty();
		}
	}
}
