package dev.mailroom.mailplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;
import dev.mailroom.mailbox.MailStore.StoredMail;
import dev.mailroom.mailbox.MailboxAccessEnded;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The app's side of doveadm's HTTP API against a fake doveadm on loopback that checks the key and
 * answers each command of a batch: storage usage from quota get, the purge's wipe, and the
 * session ender. The API key never shows in an error.
 */
class DoveadmMailStoreTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final String KEY = "test-doveadm-key-" + UUID.randomUUID();
	private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));

	/** What the fake doveadm received. */
	record Request(String method, String path, String authorization, String contentType, JsonNode body) {

		/** The commands of the batch as [name, parameters, tag]. */
		List<JsonNode> commands() {
			List<JsonNode> commands = new ArrayList<>();
			body.forEach(commands::add);
			return commands;
		}
	}

	/** The fake's answer to one request: an HTTP status and a body. */
	record Reply(int status, String body) {
	}

	private final List<Request> requests = new CopyOnWriteArrayList<>();
	private volatile Function<Request, Reply> responder;
	private HttpServer server;
	private String baseUrl;

	@BeforeEach
	void startFakeDoveadm() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", exchange -> {
			try (exchange) {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
						exchange.getRequestHeaders().getFirst("Authorization"),
						exchange.getRequestHeaders().getFirst("Content-Type"), body.isEmpty() ? null : JSON.readTree(body));
				requests.add(request);
				Reply reply;
				if (!("X-Dovecot-API " + KEY_BASE64).equals(request.authorization())) {
					reply = new Reply(401, "");
				}
				else if (!request.method().equals("POST") || !request.path().equals("/doveadm/v1")) {
					reply = new Reply(404, "");
				}
				else {
					reply = responder.apply(request);
				}
				byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
				if (bytes.length > 0) {
					exchange.getResponseBody().write(bytes);
				}
			}
		});
		server.start();
		baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
	}

	@AfterEach
	void stopFakeDoveadm() {
		server.stop(0);
	}

	private DoveadmMailStore store() {
		return new DoveadmMailStore(doveadm(KEY));
	}

	private Doveadm doveadm(String key) {
		return new Doveadm(baseUrl, key, JsonMapper.builder().build());
	}

	/** Answers each command of a batch in order with {@code answer}, given its name, parameters and tag. */
	private void answerEach(Function<JsonNode, Object> answer) {
		responder = request -> {
			List<Object> answers = new ArrayList<>();
			request.commands().forEach(command -> answers.add(answer.apply(command)));
			return new Reply(200, JSON.writeValueAsString(answers));
		};
	}

	private static Object ok(JsonNode command, List<Map<String, Object>> rows) {
		return List.of("doveadmResponse", rows, command.get(2).asString());
	}

	private static Object failed(JsonNode command, int exitCode) {
		return List.of("error", Map.of("type", "exitCode", "exitCode", exitCode), command.get(2).asString());
	}

	private static String name(JsonNode command) {
		return command.get(0).asString();
	}

	private static String user(JsonNode command) {
		return command.get(1).get("user").asString();
	}

	private static List<Map<String, Object>> quota(long kilobytes, long messages) {
		return List.of(
				Map.of("root", "Mailbox", "type", "STORAGE", "value", Long.toString(kilobytes), "limit", "-", "percent", "0"),
				Map.of("root", "Mailbox", "type", "MESSAGE", "value", Long.toString(messages), "limit", "-", "percent", "0"));
	}

	// ---- usage ----

	@Test
	void usageAsksQuotaGetForEveryAddressInOneRequestAndTurnsKilobytesIntoBytes() {
		answerEach(command -> switch (user(command)) {
			case "alice@example.com" -> ok(command, quota(1024, 3));
			case "bob@example.com" -> ok(command, quota(0, 0));
			case "carol@example.com" -> ok(command, quota(5_000_000, 123_456));
			default -> failed(command, Doveadm.NO_SUCH_USER);
		});

		Map<String, StoredMail> usage = store().usage(List.of("alice@example.com", "bob@example.com", "nobody@example.com",
				"carol@example.com", "alice@example.com"));

		assertThat(usage).containsOnly(Map.entry("alice@example.com", new StoredMail(1_048_576, 3)),
				Map.entry("bob@example.com", new StoredMail(0, 0)),
				Map.entry("carol@example.com", new StoredMail(5_000_000L * 1024, 123_456)));
		assertThat(usage.get("alice@example.com").megabytes()).isEqualTo(1.0);
		assertThat(requests).as("one round trip for every address").hasSize(1);
		Request request = requests.getFirst();
		assertThat(request.authorization()).isEqualTo("X-Dovecot-API " + KEY_BASE64);
		assertThat(request.contentType()).startsWith("application/json");
		assertThat(request.commands()).as("each address once, each command tagged").hasSize(4).allSatisfy(command -> {
			assertThat(name(command)).isEqualTo("quotaGet");
			assertThat(command.get(1).propertyNames()).containsExactly("user");
		});
		assertThat(request.commands().stream().map(DoveadmMailStoreTests::user))
			.containsExactly("alice@example.com", "bob@example.com", "nobody@example.com", "carol@example.com");
		assertThat(request.commands().stream().map(c -> c.get(2).asString()).distinct()).hasSize(4);
	}

	@Test
	void usagePairsAnswersWithAddressesByTagNotByPosition() {
		responder = request -> {
			List<Object> answers = new ArrayList<>();
			request.commands().forEach(command -> answers.addFirst(
					ok(command, quota(user(command).startsWith("big") ? 2048 : 1, user(command).startsWith("big") ? 50 : 1))));
			return new Reply(200, JSON.writeValueAsString(answers));
		};
		Map<String, StoredMail> usage = store().usage(List.of("big@example.com", "small@example.com"));
		assertThat(usage).containsOnly(Map.entry("big@example.com", new StoredMail(2048 * 1024, 50)),
				Map.entry("small@example.com", new StoredMail(1024, 1)));
	}

	@Test
	void usageLeavesOutWhatDoveadmCannotReport() {
		answerEach(command -> user(command).equals("ok@example.com") ? ok(command, quota(10, 1))
				: failed(command, user(command).equals("gone@example.com") ? Doveadm.NO_SUCH_USER : 75));
		assertThat(store().usage(List.of("gone@example.com", "busy@example.com", "ok@example.com")))
			.containsOnly(Map.entry("ok@example.com", new StoredMail(10 * 1024, 1)));
		answerEach(command -> ok(command, List.of()));
		assertThat(store().usage(List.of("empty@example.com")))
			.containsOnly(Map.entry("empty@example.com", new StoredMail(0, 0)));
	}

	// ---- wipe ----

	@Test
	void wipeExpungesEveryMessageThenDeletesEveryFolderButTheInbox() {
		answerEach(command -> switch (name(command)) {
			case "mailboxList" -> ok(command, List.of(Map.of("mailbox", "INBOX"), Map.of("mailbox", "Sent"),
					Map.of("mailbox", "Trash"), Map.of("mailbox", "Projects"), Map.of("mailbox", "Projects/2024")));
			default -> ok(command, List.of());
		});

		store().wipe("leaver@example.com");

		assertThat(requests).hasSize(3).allSatisfy(r -> {
			assertThat(r.authorization()).isEqualTo("X-Dovecot-API " + KEY_BASE64);
			assertThat(r.commands()).hasSize(1);
		});
		JsonNode list = requests.get(0).commands().getFirst();
		JsonNode expunge = requests.get(1).commands().getFirst();
		JsonNode delete = requests.get(2).commands().getFirst();
		assertThat(name(list)).isEqualTo("mailboxList");
		assertThat(user(list)).isEqualTo("leaver@example.com");
		assertThat(name(expunge)).isEqualTo("expunge");
		assertThat(user(expunge)).isEqualTo("leaver@example.com");
		assertThat(expunge.get(1).get("query")).isEqualTo(JSON.valueToTree(List.of("mailbox", "*", "all")));
		assertThat(name(delete)).isEqualTo("mailboxDelete");
		assertThat(user(delete)).isEqualTo("leaver@example.com");
		assertThat(delete.get(1).get("mailbox")).isEqualTo(JSON.valueToTree(List.of("Sent", "Trash", "Projects", "Projects/2024")));
		assertThat(delete.get(1).get("recursive").asBoolean()).isTrue();
	}

	@Test
	void wipeOfAMailboxWithOnlyItsInboxDeletesNoFolder() {
		answerEach(command -> name(command).equals("mailboxList") ? ok(command, List.of(Map.of("mailbox", "INBOX")))
				: ok(command, List.of()));
		store().wipe("fresh@example.com");
		assertThat(requests.stream().map(r -> name(r.commands().getFirst()))).containsExactly("mailboxList", "expunge");
	}

	@Test
	void aUserDoveadmDoesNotKnowHasNothingToWipe() {
		answerEach(command -> failed(command, Doveadm.NO_SUCH_USER));
		store().wipe("never-received-mail@example.com");
		assertThat(requests).hasSize(1);
		assertThat(name(requests.getFirst().commands().getFirst())).isEqualTo("mailboxList");
	}

	@Test
	void wipeFailsWhenAnyStepFails() {
		answerEach(command -> failed(command, 75));
		assertThatThrownBy(() -> store().wipe("a@example.com")).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessage("doveadm mailbox list failed with exit code 75");

		requests.clear();
		answerEach(command -> name(command).equals("expunge") ? failed(command, 68)
				: ok(command, List.of(Map.of("mailbox", "INBOX"), Map.of("mailbox", "Old"))));
		assertThatThrownBy(() -> store().wipe("a@example.com")).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessage("doveadm expunge failed with exit code 68");
		assertThat(requests.stream().map(r -> name(r.commands().getFirst())))
			.as("no folder is deleted while messages may remain")
			.containsExactly("mailboxList", "expunge");

		answerEach(command -> name(command).equals("mailboxDelete") ? failed(command, 65)
				: ok(command, List.of(Map.of("mailbox", "INBOX"), Map.of("mailbox", "Old"))));
		assertThatThrownBy(() -> store().wipe("a@example.com")).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessage("doveadm mailbox delete failed with exit code 65");

		answerEach(command -> List.of("error", Map.of("type", "fatal"), command.get(2).asString()));
		assertThatThrownBy(() -> store().wipe("a@example.com")).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessage("doveadm mailbox list failed with exit code -1");
	}

	// ---- HTTP failures ----

	@Test
	void aWrongKeyIsA401ThatNamesNoKey() {
		answerEach(command -> ok(command, List.of()));
		String wrongKey = "wrong-key-" + UUID.randomUUID();
		var store = new DoveadmMailStore(doveadm(wrongKey));
		assertThatThrownBy(() -> store.wipe("a@example.com")).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessage("doveadm answered HTTP 401 (check the doveadm API key)")
			.satisfies(e -> assertNoSecretIn(e, wrongKey));
		assertThat(requests.getFirst().authorization())
			.isEqualTo("X-Dovecot-API " + Base64.getEncoder().encodeToString(wrongKey.getBytes(StandardCharsets.UTF_8)));
		assertThatThrownBy(() -> store.usage(List.of("a@example.com"))).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessageContaining("401");
	}

	@Test
	void aServerErrorFailsWithoutTheKey() {
		responder = request -> new Reply(500, "{\"error\":\"internal\"}");
		assertThatThrownBy(() -> store().usage(List.of("a@example.com"))).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessage("doveadm answered HTTP 500")
			.satisfies(e -> assertNoSecretIn(e, KEY));
		assertThatThrownBy(() -> store().wipe("a@example.com")).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessage("doveadm answered HTTP 500")
			.satisfies(e -> assertNoSecretIn(e, KEY));
	}

	@Test
	void anUnreachableDoveadmFailsWithoutTheKey() {
		DoveadmMailStore store = store();
		server.stop(0);
		assertThatThrownBy(() -> store.wipe("a@example.com")).isInstanceOf(Doveadm.DoveadmException.class)
			.hasMessageStartingWith("doveadm at " + baseUrl + "/doveadm/v1 is unreachable")
			.satisfies(e -> assertNoSecretIn(e, KEY));
	}

	@Test
	void aBaseUrlWithATrailingSlashReachesTheSameEndpoint() {
		answerEach(command -> ok(command, quota(1, 1)));
		var store = new DoveadmMailStore(new Doveadm(baseUrl + "//", KEY, JsonMapper.builder().build()));
		assertThat(store.usage(List.of("a@example.com"))).containsKey("a@example.com");
		assertThat(requests.getFirst().path()).isEqualTo("/doveadm/v1");
		assertThat(requests.getFirst().method()).isEqualTo("POST");
	}

	// ---- ending sessions ----

	@Test
	void accessEndedKicksTheAddressesSessionsAndNeverThrows() {
		answerEach(command -> ok(command, List.of()));
		var ender = new MailplaneConfiguration.SessionEnder(doveadm(KEY));
		ender.on(new MailboxAccessEnded(UUID.randomUUID(), "support@example.com", "member removed"));
		assertThat(requests).hasSize(1);
		JsonNode kick = requests.getFirst().commands().getFirst();
		assertThat(name(kick)).isEqualTo("kick");
		assertThat(kick.get(1).get("mask")).isEqualTo(JSON.valueToTree(List.of("support@example.com")));

		answerEach(command -> failed(command, 75));
		ender.on(new MailboxAccessEnded(UUID.randomUUID(), "a@example.com", "archived"));
		responder = request -> new Reply(500, "");
		ender.on(new MailboxAccessEnded(UUID.randomUUID(), "a@example.com", "archived"));
		server.stop(0);
		ender.on(new MailboxAccessEnded(UUID.randomUUID(), "a@example.com", "archived"));
		assertThat(requests).hasSize(3);
	}

	/**
	 * After an archive or a delete the mailbox is no longer in userdb, so doveadm kick answers
	 * 68 (not found) or 67 (no such user): the expected outcome, not worth a warning. Anything
	 * else is still a warning.
	 */
	@Test
	void aKickOfAUserDoveadmNoLongerKnowsIsNoWarning() {
		var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(MailplaneConfiguration.SessionEnder.class);
		var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
		appender.start();
		logger.addAppender(appender);
		try {
			var ender = new MailplaneConfiguration.SessionEnder(doveadm(KEY));
			for (int exitCode : List.of(68, Doveadm.NO_SUCH_USER)) {
				answerEach(command -> failed(command, exitCode));
				ender.on(new MailboxAccessEnded(UUID.randomUUID(), "archived@example.com", "archived"));
			}
			assertThat(requests).hasSize(2);
			assertThat(appender.list).as("no warning for a user that is gone").isEmpty();

			answerEach(command -> failed(command, 75));
			ender.on(new MailboxAccessEnded(UUID.randomUUID(), "busy@example.com", "archived"));
			assertThat(appender.list).singleElement().satisfies(event -> {
				assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
				assertThat(event.getFormattedMessage()).contains("busy@example.com").contains("75");
			});
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	// ---- the wipe of a purged mailbox ----

	@Test
	void aPurgedMailboxIsWipedUnderItsPendingWipeNameKeyedByItsId() {
		UUID id = UUID.randomUUID();
		answerEach(command -> name(command).equals("mailboxList")
				? ok(command, List.of(Map.of("mailbox", "INBOX"), Map.of("mailbox", "Archive")))
				: ok(command, List.of()));
		store().wipePurged(id);
		assertThat(requests.stream().map(r -> name(r.commands().getFirst()))).containsExactly("mailboxList", "expunge",
				"mailboxDelete");
		assertThat(requests).allSatisfy(r -> assertThat(user(r.commands().getFirst())).isEqualTo("purged-" + id));
		assertThat(DoveadmMailStore.purgedUser(id)).as("no address can take this name").doesNotContain("@");

		requests.clear();
		answerEach(command -> failed(command, Doveadm.NO_SUCH_USER));
		store().wipePurged(id);
		assertThat(requests).as("a home userdb does not know has nothing left to wipe").hasSize(1);

		answerEach(command -> failed(command, 75));
		assertThatThrownBy(() -> store().wipePurged(id)).isInstanceOf(Doveadm.DoveadmException.class);
	}

	private static void assertNoSecretIn(Throwable error, String key) {
		String base64 = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
		for (Throwable e = error; e != null; e = e.getCause()) {
			assertThat(String.valueOf(e.getMessage())).doesNotContain(key).doesNotContain(base64);
			assertThat(e.toString()).doesNotContain(key).doesNotContain(base64);
		}
	}
}
