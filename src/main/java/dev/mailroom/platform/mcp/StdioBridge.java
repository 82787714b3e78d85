package dev.mailroom.platform.mcp;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code java -jar mailroom.jar mcp}: an MCP server on stdio for desktop clients that start a
 * command, made as a bridge to a running Mailroom. Every JSON-RPC message read on stdin (one per
 * line) is POSTed to {@code $MAILROOM_BASE_URL/mcp} with {@code Authorization: Bearer
 * $MAILROOM_API_KEY}, and every message the server answers (JSON or an event stream) is written
 * to stdout, one per line. It opens no database and applies no rule itself: scopes, quota,
 * confirmation and audit all happen in the server, exactly as over HTTP. It keeps only the MCP
 * session id (and starts a new session by itself if the server lost it, e.g. after a restart).
 * Requests run concurrently; notifications and responses are forwarded in order. Diagnostics go
 * to stderr; stdout carries nothing but protocol messages.
 */
public final class StdioBridge {

	static final String DEFAULT_BASE_URL = "http://localhost:8080";

	private final JsonMapper json = JsonMapper.builder().build();
	private final HttpClient http;
	private final URI endpoint;
	private final String authorization;
	private final Writer out;
	private final PrintStream err;
	private volatile String sessionId;
	private volatile String protocolVersion;
	private volatile String initializeMessage;

	private StdioBridge(URI endpoint, String apiKey, OutputStream out, PrintStream err) {
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		this.endpoint = endpoint;
		this.authorization = "Bearer " + apiKey;
		this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
		this.err = err;
	}

	/**
	 * Serves stdio until stdin ends. Reads {@code MAILROOM_API_KEY} (required) and
	 * {@code MAILROOM_BASE_URL} (default {@value #DEFAULT_BASE_URL}) from {@code env}.
	 *
	 * @return the process exit code: 0 at the end of input, 2 for a configuration error
	 */
	public static int run(Map<String, String> env, InputStream in, OutputStream out, PrintStream err) {
		String apiKey = env.get("MAILROOM_API_KEY");
		if (apiKey == null || apiKey.isBlank()) {
			err.println("mailroom mcp: set MAILROOM_API_KEY to a Mailroom API key (and MAILROOM_BASE_URL to the "
					+ "server's URL, default " + DEFAULT_BASE_URL + ")");
			return 2;
		}
		String base = env.get("MAILROOM_BASE_URL");
		base = base == null || base.isBlank() ? DEFAULT_BASE_URL : base.strip();
		URI endpoint;
		try {
			endpoint = URI.create(base.replaceAll("/+$", "") + McpServerConfiguration.ENDPOINT);
			if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
				throw new IllegalArgumentException("not an http(s) URL");
			}
		}
		catch (IllegalArgumentException e) {
			err.println("mailroom mcp: MAILROOM_BASE_URL is not a valid http(s) URL: " + base);
			return 2;
		}
		err.println("mailroom mcp: bridging stdio to " + endpoint);
		return new StdioBridge(endpoint, apiKey.strip(), out, err).serve(in);
	}

	private int serve(InputStream in) {
		try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.isBlank()) {
					continue;
				}
				JsonNode message;
				try {
					message = json.readTree(line);
				}
				catch (JacksonException e) {
					write(error(null, -32700, "Parse error: each line must be one JSON-RPC message", 0, null));
					continue;
				}
				String body = line;
				if (isRequest(message) && "initialize".equals(message.path("method").asString(""))) {
					// a new session: the initialize answer carries its id, everything after needs it
					initializeMessage = body;
					sessionId = null;
					protocolVersion = null;
					forward(message, body);
				}
				else if (isRequest(message)) {
					requests.submit(() -> forward(message, body));
				}
				else {
					forward(message, body);
				}
			}
		}
		catch (IOException e) {
			err.println("mailroom mcp: cannot read stdin: " + e.getMessage());
		}
		closeSession();
		return 0;
	}

	private void forward(JsonNode message, String body) {
		JsonNode id = message.get("id");
		try {
			String session = sessionId;
			HttpResponse<InputStream> response = post(body, true);
			if (response.statusCode() == 404 && session != null && initializeMessage != null) {
				// the server no longer knows the session (restarted, or swept it): start a new one and retry
				response.body().close();
				reinitialize(session);
				response = post(body, true);
			}
			relay(id, response);
		}
		catch (IOException e) {
			fail(id, "Cannot reach Mailroom at " + endpoint + ": " + e.getMessage(), 0, null);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			fail(id, "Interrupted", 0, null);
		}
	}

	private HttpResponse<InputStream> post(String body, boolean withSession) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
			.timeout(Duration.ofMinutes(5))
			.header("Authorization", authorization)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		String session = sessionId;
		if (withSession && session != null) {
			request.header("Mcp-Session-Id", session);
		}
		String version = protocolVersion;
		if (withSession && version != null) {
			request.header("MCP-Protocol-Version", version);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
	}

	/** Starts a new session unless a concurrent request already replaced {@code lost}. */
	private synchronized void reinitialize(String lost) throws IOException, InterruptedException {
		if (!lost.equals(sessionId)) {
			return;
		}
		HttpResponse<InputStream> response = post(initializeMessage, false);
		response.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = s);
		try (InputStream body = response.body()) {
			String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
			if (response.statusCode() == 200) {
				rememberVersion(json.readTree(text));
			}
		}
		post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", true).body().close();
		err.println("mailroom mcp: the server had lost the session; started a new one");
	}

	private void relay(JsonNode id, HttpResponse<InputStream> response) throws IOException {
		response.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = s);
		int status = response.statusCode();
		String type = response.headers().firstValue("Content-Type").orElse("");
		try (InputStream body = response.body()) {
			if (status == 202 || status == 204) {
				return;
			}
			if (status / 100 == 2 && type.startsWith("text/event-stream")) {
				events(body);
				return;
			}
			String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
			if (status / 100 == 2 && !text.isBlank()) {
				emit(text);
				return;
			}
			if (status / 100 != 2) {
				String problemCode = null;
				String detail = text.isBlank() ? "no details" : text;
				try {
					JsonNode problem = json.readTree(text);
					problemCode = problem.path("code").isString() ? problem.path("code").asString() : null;
					detail = problem.hasNonNull("detail") ? problem.get("detail").asString()
							: problem.hasNonNull("message") ? problem.get("message").asString() : detail;
				}
				catch (JacksonException e) {
					// not JSON: keep the text
				}
				fail(id, "Mailroom answered HTTP " + status + (problemCode == null ? "" : " " + problemCode) + ": "
						+ detail, status, problemCode);
			}
		}
	}

	/** Reads a server-sent event stream, writing each message event's data. */
	private void events(InputStream body) throws IOException {
		BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
		StringBuilder data = new StringBuilder();
		String event = null;
		String line;
		while ((line = reader.readLine()) != null) {
			if (line.isEmpty()) {
				if (!data.isEmpty() && (event == null || event.equals("message"))) {
					emit(data.toString());
				}
				data.setLength(0);
				event = null;
			}
			else if (line.startsWith("data:")) {
				data.append(data.isEmpty() ? "" : "\n").append(line.substring(line.startsWith("data: ") ? 6 : 5));
			}
			else if (line.startsWith("event:")) {
				event = line.substring(6).strip();
			}
		}
		if (!data.isEmpty() && (event == null || event.equals("message"))) {
			emit(data.toString());
		}
	}

	private void emit(String text) {
		JsonNode message;
		try {
			message = json.readTree(text);
		}
		catch (JacksonException e) {
			err.println("mailroom mcp: the server sent something that is not JSON; dropped it");
			return;
		}
		rememberVersion(message);
		write(json.writeValueAsString(message));
	}

	private void rememberVersion(JsonNode message) {
		JsonNode version = message.path("result").path("protocolVersion");
		if (version.isString() && message.path("result").has("serverInfo")) {
			protocolVersion = version.asString();
		}
	}

	private void fail(JsonNode id, String message, int httpStatus, String problemCode) {
		if (id == null || id.isNull()) {
			err.println("mailroom mcp: " + message);
			return;
		}
		write(error(id, -32000, message, httpStatus, problemCode));
	}

	private String error(JsonNode id, int code, String message, int httpStatus, String problemCode) {
		ObjectNode response = json.createObjectNode();
		response.put("jsonrpc", "2.0");
		response.set("id", id == null ? json.nullNode() : id);
		ObjectNode error = response.putObject("error");
		error.put("code", code);
		error.put("message", message);
		if (httpStatus > 0) {
			ObjectNode data = error.putObject("data");
			data.put("http_status", httpStatus);
			if (problemCode != null) {
				data.put("code", problemCode);
			}
		}
		return json.writeValueAsString(response);
	}

	private synchronized void write(String line) {
		try {
			out.write(line);
			out.write('\n');
			out.flush();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private void closeSession() {
		String session = sessionId;
		if (session == null) {
			return;
		}
		try {
			http.send(HttpRequest.newBuilder(endpoint)
				.timeout(Duration.ofSeconds(5))
				.header("Authorization", authorization)
				.header("Mcp-Session-Id", session)
				.DELETE()
				.build(), HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException e) {
			// the server forgets idle sessions by itself
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean isRequest(JsonNode message) {
		return message.isObject() && message.has("method") && message.has("id");
	}
}
