package dev.mailroom.mailplane;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * doveadm's HTTP API ({@code POST /doveadm/v1}, {@code X-Dovecot-API} key): a batch of commands
 * per request, each answered in order with its tag. The key never appears in logs or errors.
 */
class Doveadm {

	/** One command: its name, its parameters and the tag that pairs it with its answer. */
	record Command(String name, Map<String, Object> parameters, String tag) {
	}

	/** An answer: the result rows, or the doveadm exit code when the command failed. */
	record Answer(String tag, List<JsonNode> rows, Integer exitCode) {

		boolean ok() {
			return exitCode == null;
		}
	}

	static class DoveadmException extends RuntimeException {

		DoveadmException(String message) {
			super(message);
		}

		DoveadmException(String message, Throwable cause) {
			super(message, cause);
		}
	}

	/** doveadm's exit code for "no such user" (EX_NOUSER). */
	static final int NO_SUCH_USER = 67;

	/** doveadm's exit code for "not found" (EX_NOHOST): {@code kick} of a user userdb no longer has. */
	static final int NOT_FOUND = 68;

	private final URI endpoint;
	private final String authorization;
	private final JsonMapper json;
	private final HttpClient http;

	Doveadm(String baseUrl, String apiKey, JsonMapper json) {
		this.endpoint = URI.create(baseUrl.replaceFirst("/+$", "") + "/doveadm/v1");
		this.authorization = "X-Dovecot-API "
				+ Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.UTF_8));
		this.json = json;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	}

	List<Answer> run(List<Command> commands) {
		List<Object> body = new ArrayList<>();
		for (Command command : commands) {
			body.add(List.of(command.name(), command.parameters(), command.tag()));
		}
		HttpRequest request = HttpRequest.newBuilder(endpoint)
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", authorization)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
			.build();
		HttpResponse<String> response;
		try {
			response = http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new DoveadmException("doveadm at " + endpoint + " is unreachable ("
					+ (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new DoveadmException("Interrupted while calling doveadm", e);
		}
		if (response.statusCode() != 200) {
			throw new DoveadmException("doveadm answered HTTP " + response.statusCode()
					+ (response.statusCode() == 401 ? " (check the doveadm API key)" : ""));
		}
		List<Answer> answers = new ArrayList<>();
		for (JsonNode answer : json.readTree(response.body())) {
			String type = answer.get(0).asString();
			String tag = answer.get(2).asString();
			if (type.equals("doveadmResponse")) {
				List<JsonNode> rows = new ArrayList<>();
				answer.get(1).forEach(rows::add);
				answers.add(new Answer(tag, rows, null));
			}
			else {
				JsonNode exitCode = answer.get(1).get("exitCode");
				answers.add(new Answer(tag, List.of(), exitCode == null ? -1 : exitCode.asInt()));
			}
		}
		return answers;
	}

	Answer one(String name, Map<String, Object> parameters) {
		List<Answer> answers = run(List.of(new Command(name, parameters, "c")));
		if (answers.size() != 1) {
			throw new DoveadmException("doveadm answered " + answers.size() + " results to one command");
		}
		return answers.getFirst();
	}
}
