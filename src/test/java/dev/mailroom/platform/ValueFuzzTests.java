package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the value normalisers for any input: either a {@link MailroomException} with the
 * field's code, or a canonical result (lower-case ASCII, within the length limit, a fixed point
 * of normalisation). In a normal test run each fuzz test runs its seeds only: the few hundred
 * inputs of {@link #seeds()} (tricky by hand, then generated from a fixed random seed) and
 * Jazzer's own; {@code JAZZER_FUZZ=1} fuzzes for real, starting from the same seeds.
 */
class ValueFuzzTests {

	@MethodSource("seeds")
	@FuzzTest(maxDuration = "30s")
	void domainNamesAreRejectedOrCanonical(String input) {
		String result;
		try {
			result = DomainNames.normalise(input);
		}
		catch (MailroomException e) {
			assertThat(e.code()).isEqualTo("invalid_domain");
			assertThat(e.status().value()).isEqualTo(422);
			return;
		}
		assertThat(result).as("normalise(%s)", describe(input))
			.hasSizeBetween(3, 253)
			.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+");
		assertThat(DomainNames.normalise(result)).as("normalising %s again", result).isEqualTo(result);
	}

	@MethodSource("seeds")
	@FuzzTest(maxDuration = "30s")
	void emailAddressesAreRejectedOrCanonical(String input) {
		EmailAddress address;
		try {
			address = EmailAddress.of(input);
		}
		catch (MailroomException e) {
			assertThat(e.code()).isEqualTo("invalid_email");
			assertThat(e.status().value()).isEqualTo(422);
			return;
		}
		String result = address.value();
		// RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, so an address at most 254.
		assertThat(result).as("EmailAddress.of(%s)", describe(input))
			.hasSizeLessThanOrEqualTo(254)
			.matches("[\\x21-\\x7e]+@[a-z0-9.-]+")
			.isEqualTo(result.toLowerCase(Locale.ROOT));
		assertThat(address.localPart()).hasSizeBetween(1, 64);
		assertThat(DomainNames.normalise(address.domain())).isEqualTo(address.domain());
		assertThat(EmailAddress.of(result).value()).as("normalising %s again", result).isEqualTo(result);
		assertThat(EmailAddress.isValid(result)).isTrue();
	}

	@MethodSource("seeds")
	@FuzzTest(maxDuration = "30s")
	void namesAreRejectedOrClean(String input) {
		String result;
		try {
			result = Names.require("name", input, 100);
		}
		catch (MailroomException e) {
			assertThat(e.code()).isIn("required", "invalid_name");
			assertThat(e.status().value()).isEqualTo(422);
			return;
		}
		assertThat(result).as("Names.require(%s)", describe(input))
			.isNotBlank()
			.hasSizeLessThanOrEqualTo(100)
			.isEqualTo(result.strip())
			.doesNotContainPattern("[\\p{Cc}\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u2028\u2029]");
		assertThat(Names.require("name", result, 100)).as("checking %s again", result).isEqualTo(result);
	}

	/** Hand-picked edge cases, each also as an email domain, then generated strings. */
	static Stream<String> seeds() {
		List<String> domains = List.of("", " ", ".", "..", "a", "a.", ".a", "a.b", "a.b.", "a..b", "example.com",
				"EXAMPLE.COM.", " example.com ", "Bücher.Example", "xn--bcher-kva.example", "xn--.com", "xn--zz.com",
				"ß.de", "straße.de", "ＡＢＣ.com", "\u212Aelvin.com", "İstanbul.com", "example\u3002com", "example\uFF0Ecom",
				"a\u200Bb.com", "a\u00ADb.com", "\uD83D\uDE00.com", "\uD800.com", "a\uDC00.com", "\u0000.com", "a\u0000",
				"1.2.3.4", "1.2.3.x", "[::1]", "localhost", "-x.com", "x-.com", "a--b.com", "a_b.com", "*.example.com",
				"<script>.com", "'; drop table mailroom.domains; --", "a.123", "123.a", "a".repeat(63) + ".com",
				"a".repeat(64) + ".com", labels(63, 4).substring(0, 253), labels(63, 4).substring(0, 254),
				"ü".repeat(20) + ".com", ("ü".repeat(17) + ".").repeat(7) + "com", ("ü".repeat(30) + ".").repeat(4) + "de",
				"\t\nexample.com\r\n", "example.com\u00A0", "\u2003example.com");
		List<String> seeds = new ArrayList<>(domains);
		for (String domain : domains) {
			seeds.add("someone@" + domain);
		}
		seeds.addAll(List.of("Ana", " Ana ", "invoice\u202Efdp.exe", "a\u2066b", "a\u2028b", "a\u2029b", "a\u200Fb",
				"a\u061Cb", "a\u0085b", "a\u009Fb", "a\u007Fb", "a\tb", "Zoë 李 علي 🙂", "x".repeat(100), "x".repeat(101)));
		seeds.addAll(List.of("a@b.co", "A@B.CO", "a@@b.co", "@b.co", "a@", "@", "a@b", "\"quoted\"@example.com",
				"a..b@example.com", ".a@example.com", "a.@example.com", "a b@example.com", " a@example.com ",
				"first.last+tag@example.com", "!#$%&'*+/=?^_`{|}~-@example.com", "\u212A@example.com", "ü@example.com",
				"x".repeat(64) + "@example.com", "x".repeat(65) + "@example.com",
				"x".repeat(64) + "@" + ("ü".repeat(17) + ".").repeat(7) + "com",
				// short enough as typed, longer than 254 once the domain is in punycode
				"x".repeat(64) + "@" + "àáâã.".repeat(17) + "com", "x".repeat(64) + "@" + "àáâã.".repeat(24) + "com",
				"x".repeat(64) + "@" + labels(63, 3).substring(0, 185) + ".com",
				"x".repeat(10) + "@" + labels(63, 4).substring(0, 243), "a@b@example.com", "a(comment)@example.com"));
		Random random = new Random(20260521);
		String[] alphabet = { "a", "b", "z", "A", "Z", "0", "9", "-", ".", ".", "@", " ", "_", "ü", "ß", "İ", "\u212A",
				"\u3002", "\uFF0E", "\u00AD", "\u200B", "\uD83D\uDE00", "\uD800", "\u0000", "xn--", "example", "com" };
		for (int i = 0; i < 300; i++) {
			StringBuilder text = new StringBuilder();
			int length = i % 10 == 0 ? 150 + random.nextInt(150) : random.nextInt(40);
			while (text.length() < length) {
				text.append(alphabet[random.nextInt(alphabet.length)]);
			}
			seeds.add(text.toString());
		}
		return seeds.stream();
	}

	private static String labels(int size, int count) {
		return String.join(".", java.util.Collections.nCopies(count, "l".repeat(size)));
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
