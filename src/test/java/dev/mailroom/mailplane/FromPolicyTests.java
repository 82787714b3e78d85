package dev.mailroom.mailplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The header From: rule of submission: a signed-in sender may put in From: only addresses
 * {@code sender_logins} lets them send as; anything else, several From: headers, or a header that is
 * no address list is refused with a single-line 553 reply. In a normal test run the fuzz tests run
 * their seeds only; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class FromPolicyTests {

	private static final String ALICE = "alice@example.com";
	private static final String SUPPORT = "support@example.com";

	/** alice may send as herself and as support@ (a reply member); nobody else may send as anything. */
	private static final Set<String> ALLOWED = Set.of(ALICE + " " + ALICE, ALICE + " " + SUPPORT);

	private final List<String> asked = new ArrayList<>();

	private final FromPolicy policy = new FromPolicy((login, address) -> {
		asked.add(login + " " + address);
		return ALLOWED.contains(login + " " + address);
	});

	private Optional<String> check(String login, String... fromHeaders) {
		return policy.check(login, List.of(fromHeaders));
	}

	@Test
	void mailWithoutASignInIsNotThisRulesBusiness() {
		FromPolicy neverAsked = new FromPolicy((login, address) -> fail("asked about %s as %s", address, login));
		assertThat(neverAsked.check(null, List.of("Mallory <ceo@example.com>"))).isEmpty();
		assertThat(neverAsked.check("", List.of("ceo@example.com"))).isEmpty();
		assertThat(neverAsked.check(" \t", List.of("ceo@example.com", "cfo@example.com"))).isEmpty();
	}

	@Test
	void theSendersOwnAddressPassesHoweverItIsWritten() {
		for (String header : List.of(ALICE, "ALICE@Example.COM", "<alice@example.com>", "Alice Smith <alice@example.com>",
				"\"Smith, Alice\" <Alice@EXAMPLE.com>", "alice@example.com (Alice Smith)",
				"=?UTF-8?B?w4VsaWNlIFNtw6l0aA==?= <alice@example.com>", "=?ISO-8859-1?Q?Andr=E9?= <ALICE@example.com>",
				"\"Ålice Smïth\" <alice@example.com>", "Alice\r\n\t<alice@example.com>", "  alice@example.com  ")) {
			assertThat(check(ALICE, header)).as(header).isEmpty();
		}
		assertThat(asked).as("the lookup gets lower-case values").allMatch(a -> a.equals(a.toLowerCase(Locale.ROOT)));
		assertThat(check(" Alice@Example.COM ", "Alice <alice@example.com>")).as("the login is normalised too").isEmpty();
	}

	@Test
	void anAddressTheSenderMaySendAsPassesToo() {
		assertThat(check(ALICE, "Support Team <SUPPORT@example.com>")).isEmpty();
		assertThat(check(ALICE, "alice@example.com, Support <support@example.com>")).isEmpty();
		assertThat(asked).contains(ALICE + " " + SUPPORT);
	}

	@Test
	void aSubaddressCountsAsItsAddressLikePostfixsEnvelopeLookup() {
		assertThat(check(ALICE, "Alice <alice+newsletter@example.com>")).isEmpty();
		assertThat(check(ALICE, "support+tickets@example.com")).isEmpty();
		assertThat(check(ALICE, "bob+alice@example.com")).isPresent();
		assertThat(check("bob@example.com", "alice+x@example.com")).isPresent();
	}

	@Test
	void aMessageWithoutAFromHeaderIsLeftToTheEnvelopeCheck() {
		assertThat(check(ALICE)).isEmpty();
	}

	@Test
	void aForeignAddressIsRefusedWith553NamingItAndTheLogin() {
		assertThat(check(ALICE, "The Boss <Boss@Example.com>"))
			.contains("553 5.7.1 <boss@example.com>: Sender address in From: not owned by user alice@example.com");
		for (String header : List.of("bob@evil.example", "Alice Smith <alice@example.com.evil.example>",
				"alice@example.co", "alice@example.com <bob@evil.example>", "\"alice@example.com\" <bob@evil.example>",
				"bob@evil.example (alice@example.com)", "alice.smith@example.com", "alice@sub.example.com")) {
			// refused either as not alice's or, where the header holds more than its parsed addresses, as malformed
			assertThat(check(ALICE, header)).as(header).hasValueSatisfying(reply -> {
				assertThat(reply).startsWith("553 5.7.1 ");
				assertThat(reply).doesNotContain("<alice@example.com>");
			});
		}
		assertThat(check("bob@example.com", ALICE)).as("only alice may send as alice")
			.contains("553 5.7.1 <alice@example.com>: Sender address in From: not owned by user bob@example.com");
	}

	@Test
	void twoFromHeadersAreRefusedEvenWhenBothAreOwn() {
		assertThat(check(ALICE, ALICE, ALICE)).contains("553 5.7.1 More than one From: header");
		assertThat(check(ALICE, ALICE, "bob@evil.example")).contains("553 5.7.1 More than one From: header");
	}

	@Test
	void oneForeignAddressAmongSeveralIsRefused() {
		assertThat(check(ALICE, "alice@example.com, bob@evil.example"))
			.contains("553 5.7.1 <bob@evil.example>: Sender address in From: not owned by user alice@example.com");
		assertThat(check(ALICE, "Bob <bob@evil.example>, Alice <alice@example.com>"))
			.contains("553 5.7.1 <bob@evil.example>: Sender address in From: not owned by user alice@example.com");
		assertThat(check(ALICE, "support@example.com, alice@example.com, ceo@example.com"))
			.contains("553 5.7.1 <ceo@example.com>: Sender address in From: not owned by user alice@example.com");
	}

	/**
	 * A header that is no valid address list never passes: Jakarta's lenient header parser turns
	 * most broken values into an "address" nobody may send as, which is refused like any foreign one.
	 */
	@Test
	void aMalformedHeaderIsRefused() {
		for (String header : List.of("Alice <alice@example.com", "(Alice alice@example.com", "<alice@example.com",
				"Alice <alice@example.com> <bob@evil.example", "alice@example.com bob@evil.example", "<>", "Alice",
				"alice", "@example.com", "alice@", "a@b@example.com", "undisclosed-recipients:;", "Team: alice@example.com;",
				"(x) <alice@example.com", "alice(x)@example.com", "<@relay.example:alice@example.com>",
				"\"alice\"@example.com", "alice@example.com)", "<<alice@example.com>")) {
			assertThat(check(ALICE, header)).as(header)
				.hasValueSatisfying(reply -> assertThat(reply).startsWith("553 5.7.1 "));
		}
	}

	/**
	 * Text after the angle address would be dropped by the parser,
	 * so the header passes as alice's although it is no valid address list and a reader's mail
	 * client may well show the trailing address, here the CEO's, as the sender.
	 */
	@Test
	void textAfterTheAddressIsNotDroppedSilently() {
		for (String header : List.of("<alice@example.com> ceo@example.com", "<alice@example.com>ceo@example.com",
				"Alice <alice@example.com> ceo@example.com", "Alice <alice@example.com> CEO <ceo@example.com")) {
			assertThat(check(ALICE, header)).as(header)
				.hasValueSatisfying(reply -> assertThat(reply).startsWith("553 5.7.1 "));
		}
	}

	@Test
	void theReplyIsOneLineOfPrintableAsciiWhateverTheHeaderHeld() {
		List<String> headers = List.of("=?UTF-8?B?w5xiZXI=?= <böb@évil.example>", "\"bob\r\n250 2.0.0 OK\"@evil.example",
				"\"bob\nDATA\"@evil.example", "\"b\u0000o\u0007b\"@evil.example", "\"b\u2028o\u0085b\"@evil.example",
				"😀@evil.example", "\"" + "x".repeat(2000) + "\"@" + "y".repeat(2000) + ".example", "\"a b\tc\"@evil.example");
		for (String header : headers) {
			Optional<String> reply = check(ALICE, header);
			assertThat(reply).as(header).isPresent();
			assertSingleLineRefusal(reply.get());
		}
		Optional<String> injectedLogin = check("alice@example.com\r\n250 OK", "bob@evil.example");
		assertThat(injectedLogin).isPresent();
		assertSingleLineRefusal(injectedLogin.get());
		assertThat(check(ALICE, "\"bob\r\n250 2.0.0 OK\"@evil.example").orElseThrow()).doesNotContain("\r", "\n")
			.startsWith("553 5.7.1 ");
	}

	// ---- fuzzing ----

	@MethodSource("seeds")
	@FuzzTest(maxDuration = "30s")
	void anyFromHeaderIsAllowedOrRefusedWithOneSafeLine(String header) {
		asked.clear();
		// the milter hands over "" for a header without a value
		Optional<String> reply = policy.check(ALICE, List.of(header == null ? "" : header));
		reply.ifPresent(FromPolicyTests::assertSingleLineRefusal);
		asked.forEach(a -> assertThat(a).isEqualTo(a.toLowerCase(Locale.ROOT)).startsWith(ALICE + " "));
		if (reply.isEmpty() && !asked.isEmpty()) {
			assertThat(asked).as("allowed only with addresses the login may use").allMatch(ALLOWED::contains);
		}
	}

	@MethodSource("seeds")
	@FuzzTest(maxDuration = "30s")
	void anyLoginIsRefusedAForeignAddressUnlessThereIsNoLogin(String login) {
		Optional<String> reply = policy.check(login, List.of("Bob <bob@evil.example>", ALICE));
		Optional<String> single = policy.check(login, List.of("Bob <bob@evil.example>"));
		if (login == null || login.isBlank()) {
			assertThat(reply).isEmpty();
			assertThat(single).isEmpty();
			return;
		}
		assertThat(reply).contains("553 5.7.1 More than one From: header");
		assertThat(single).isPresent();
		assertSingleLineRefusal(single.get());
	}

	private static void assertSingleLineRefusal(String reply) {
		assertThat(reply).as("reply %s", describe(reply))
			.startsWith("553 5.7.1 ")
			.doesNotContain("\r", "\n")
			.matches("[\\x20-\\x7e]+")
			.hasSizeLessThanOrEqualTo(510);
	}

	/** Hand-picked From: values, then generated ones from a fixed random seed. */
	static Stream<String> seeds() {
		List<String> seeds = new ArrayList<>(List.of("", " ", ALICE, SUPPORT, "ALICE@EXAMPLE.COM", "<" + ALICE + ">",
				"Alice <" + ALICE + ">", "\"Alice\" <" + ALICE + ">", "alice@example.com, bob@evil.example",
				"bob@evil.example", "<>", "<", ">", "@", "\"", "\\", "(", ")", ",", ";", ":", "a:;", "a: b@c;",
				"Alice <alice@example.com", "\"Alice <alice@example.com>", "(comment", "alice@example.com (c)",
				"=?UTF-8?B?w4VsaWNl?= <alice@example.com>", "=?UTF-8?Q?=0D=0A?= <bob@evil.example>", "=?", "=?x?y?z?=",
				"\"a\r\nb\"@c", "a\r\n\tb@c", "a\u0000@b", "ü@ü", "😀", "\uD800@x", "@example.com", "alice@",
				"<@relay.example:alice@example.com>", "alice@[127.0.0.1]", "\"alice@example.com\"@evil.example",
				"alice%example.com@evil.example", "alice@example.com.", "x".repeat(5000),
				"a@b, ".repeat(500), "\"" + "\\\"".repeat(300) + "\"@x", "(".repeat(300) + ")".repeat(300),
				"<".repeat(300), "Group: alice@example.com, bob@evil.example;", "Group: alice@example.com;"));
		Random random = new Random(20260523);
		String[] alphabet = { "a", "b", "A", "@", "@", ".", ",", ";", ":", "<", ">", "\"", "\\", "(", ")", " ", "\t",
				"\r\n", "\n", "[", "]", "=?", "?=", "UTF-8?B?", "?Q?", "ü", "😀", "\uD800", "\u0000", "alice@example.com",
				"support@example.com", "example", "com", "evil" };
		for (int i = 0; i < 300; i++) {
			StringBuilder text = new StringBuilder();
			int length = i % 10 == 0 ? 150 + random.nextInt(300) : random.nextInt(60);
			while (text.length() < length) {
				text.append(alphabet[random.nextInt(alphabet.length)]);
			}
			seeds.add(text.toString());
		}
		return seeds.stream();
	}

	private static String describe(String input) {
		if (input == null) {
			return "null";
		}
		StringBuilder out = new StringBuilder("\"");
		input.codePoints()
			.forEach(c -> out.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u{%x}", c)));
		return out.append('"').toString();
	}
}
