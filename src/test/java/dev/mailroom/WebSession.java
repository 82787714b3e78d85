package dev.mailroom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser's session over plain HTTP: keeps cookies, follows no redirects, posts forms with CSRF. */
public final class WebSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final String base;
	private final CookieManager cookies = new CookieManager();
	private final HttpClient client = HttpClient.newBuilder()
		.cookieHandler(cookies)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	public WebSession(String base) {
		this.base = base;
	}

	/** Signs in with the form; the session then works in the person's default organization. */
	public static WebSession signIn(String base, String email, String password) {
		WebSession session = new WebSession(base);
		HttpResponse<String> answer = session.post("/signin", Map.of("email", email, "password", password), "/signin");
		assertThat(answer.headers().firstValue("Location").orElse("")).as("signed in").endsWith("/dashboard");
		return session;
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
	}

	/** Posts a form from the page at {@code formPage} (its CSRF token, and it as the Referer). */
	public HttpResponse<String> post(String path, Map<String, String> form, String formPage) {
		Map<String, String> fields = new LinkedHashMap<>(form);
		fields.put("_csrf", csrf(formPage));
		String body = fields.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Referer", base + formPage)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	/** Posts a multipart form with one file from the page at {@code formPage} (its CSRF token). */
	public HttpResponse<String> postFile(String path, Map<String, String> form, String fileField, String fileName,
			byte[] file, String formPage) {
		Map<String, String> fields = new LinkedHashMap<>(form);
		fields.put("_csrf", csrf(formPage));
		String boundary = "----mailroom" + System.nanoTime();
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		for (Map.Entry<String, String> field : fields.entrySet()) {
			body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
					+ field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
		}
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
				+ fileName + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(file);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.header("Referer", base + formPage)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build());
	}

	/** The web session's id (Spring Session's cookie holds it base64-encoded); null before one exists. */
	public String sessionId() {
		return cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter(c -> c.getName().equals("MAILROOM_SESSION"))
			.map(c -> new String(java.util.Base64.getDecoder().decode(c.getValue()), StandardCharsets.UTF_8))
			.findFirst()
			.orElse(null);
	}

	public String csrf(String path) {
		HttpResponse<String> page = get(path);
		Matcher matcher = CSRF.matcher(page.body());
		assertThat(matcher.find()).as("a CSRF token on " + path).isTrue();
		return matcher.group(1);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}
