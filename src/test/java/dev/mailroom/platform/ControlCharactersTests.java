package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestApi.Response;
import dev.mailroom.TestApi.Tenant;
import dev.mailroom.WebSession;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A C0 control character (NUL above all: PostgreSQL refuses it in text) or DEL anywhere a client
 * can put a string is a 400 ({@code invalid_characters} for the API), never a 500: the reported
 * reproductions, then every request mapping of the application walked with NUL in each parameter
 * it declares and in every string of a JSON body.
 */
@MailroomTest
class ControlCharactersTests {

	private static Tenant tenant;

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	TestApi api;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		if (tenant == null) {
			tenant = api.newTenant("starter");
		}
	}

	@Test
	void aNulInTheSignInFormIsABadRequestPage() {
		HttpResponse<String> answer = new WebSession(api.base()).post("/signin",
				Map.of("email", "a\u0000b@x.test", "password", "whatever-it-is"), "/signin");
		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
	}

	@Test
	void aNulInAnApiKeyNameIsInvalidCharacters() {
		Response response = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", tenant.orgId().toString(), "name", "a\u0000b", "scopes", List.of("domains:read")));
		assertInvalidCharacters(response);
	}

	@Test
	void aNulInAQueryParameterIsInvalidCharacters() {
		assertInvalidCharacters(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?q=%00", null));
		assertInvalidCharacters(api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?action=%00", null));
		assertInvalidCharacters(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?q=a%01b", null));
		assertInvalidCharacters(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?q=%7F", null));
		assertInvalidCharacters(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?a%00b=1", null));
	}

	@Test
	void aNulInAPageQueryIsABadRequestPage() {
		WebSession session = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		HttpResponse<String> page = session.get("/mailboxes?q=%00");
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
		assertThat(session.get("/mailboxes?q=x").statusCode()).as("the session still works").isEqualTo(200);
	}

	@Test
	void aNulInAMultipartFieldIsABadRequestPage() {
		WebSession session = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		HttpResponse<String> answer = session.postFile("/mailboxes/invites/bulk/preview",
				Map.of("list", "ann@people.test\u0000"), "file", "empty.csv", new byte[0], "/mailboxes/invites/bulk");
		assertThat(answer.statusCode()).isEqualTo(400);
	}

	@Test
	void controlCharactersAnywhereInAJsonBodyAreInvalidCharacters() {
		for (String body : List.of("{\"name\":\"a\\u0000b.example\"}", "{\"name\":\"a\\u001fb.example\"}",
				"{\"name\":\"a\u007Fb.example\"}", "{\"na\\u0000me\":\"x.example\"}",
				"{\"name\":\"x.example\",\"extra\":{\"deep\":[\"\\u0000\"]}}")) {
			assertInvalidCharacters(api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", body));
		}
		Response mcp = api.bearer(tenant.apiKey(), "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
				+ "\"params\":{\"name\":\"list_mailboxes\",\"arguments\":{\"query\":\"\\u0000\"}}}");
		assertThat(mcp.status()).as(mcp.raw().body()).isEqualTo(400);
		assertThat(mcp.code()).isEqualTo("invalid_characters");
	}

	@Test
	void tabsAndLineBreaksInTextAreStillAccepted() {
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes?q=a%09b%0D%0Ac", null).status()).isEqualTo(200);
		Response multiLine = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", "{\"name\":\"a\\nb.example\"}");
		assertThat(multiLine.status()).as("judged by the domain rules, not refused at the edge").isEqualTo(422);
		assertThat(multiLine.code()).isEqualTo("invalid_domain");
	}

	/**
	 * Every request mapping: each declared query parameter (and {@code q}) set to NUL, and for
	 * writes every field of the request body record set to a string holding NUL; the API with a
	 * real all-scopes key, pages in a signed-in session. None may answer 5xx.
	 */
	@Test
	void everyMappingRefusesANulInEveryStringInput() {
		WebSession session = WebSession.signIn(api.base(), tenant.ownerEmail(), TestApi.PASSWORD);
		SoftAssertions softly = new SoftAssertions();
		int walked = 0;
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.getHandlerMethods().entrySet()) {
			Set<RequestMethod> methods = mapping.getKey().getMethodsCondition().getMethods();
			for (String pattern : mapping.getKey().getPatternValues()) {
				String path = pattern.replaceAll("\\{[^}]+\\}", UUID.randomUUID().toString());
				if (path.equals("/error")) {
					continue;
				}
				Set<String> parameters = parameters(mapping.getValue());
				String query = parameters.stream().map(name -> name + "=%00").collect(Collectors.joining("&"));
				for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
					walked++;
					String call = method + " " + path;
					if (path.startsWith("/api/") || path.startsWith("/mcp")) {
						boolean write = method != RequestMethod.GET && method != RequestMethod.DELETE;
						Response response = api.bearer(tenant.apiKey(), method.name(), path + "?" + query,
								write ? body(mapping.getValue()) : null);
						softly.assertThat(response.status()).as(call + " " + response.raw().body()).isEqualTo(400);
						softly.assertThat(response.code()).as(call).isEqualTo("invalid_characters");
						if (write) {
							Response bodyOnly = api.bearer(tenant.apiKey(), method.name(), path, body(mapping.getValue()));
							softly.assertThat(bodyOnly.status()).as(call + " body " + bodyOnly.raw().body()).isEqualTo(400);
						}
					}
					else {
						int status = method == RequestMethod.GET ? session.get(path + "?" + query).statusCode()
								: form(session, method, path, parameters);
						softly.assertThat(status).as(call).isEqualTo(400);
					}
				}
			}
		}
		softly.assertAll();
		assertThat(walked).as("mappings walked").isGreaterThan(80);
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes", null).status()).isEqualTo(200);
	}

	/** The query parameters a handler declares, the fields of records it binds, and {@code q}. */
	private static Set<String> parameters(HandlerMethod handler) {
		Set<String> names = new LinkedHashSet<>();
		names.add("q");
		for (MethodParameter parameter : handler.getMethodParameters()) {
			parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
			RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
			if (param != null) {
				String name = !param.name().isEmpty() ? param.name() : param.value();
				names.add(name.isEmpty() ? String.valueOf(parameter.getParameterName()) : name);
			}
			else if (parameter.getParameterType().isRecord() && !parameter.hasParameterAnnotation(RequestBody.class)) {
				for (RecordComponent component : parameter.getParameterType().getRecordComponents()) {
					names.add(component.getName());
				}
			}
		}
		return names;
	}

	/** A JSON body with every field of the handler's request body record (snake_case) set to text with NUL. */
	private static Map<String, Object> body(HandlerMethod handler) {
		Map<String, Object> body = new LinkedHashMap<>();
		for (MethodParameter parameter : handler.getMethodParameters()) {
			if (parameter.hasParameterAnnotation(RequestBody.class) && parameter.getParameterType().isRecord()) {
				for (RecordComponent component : parameter.getParameterType().getRecordComponents()) {
					body.put(component.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(), "a\u0000b");
				}
			}
		}
		body.putIfAbsent("name", "a\u0000b");
		return body;
	}

	/** Posts the handler's form fields, each holding NUL (with the CSRF token of the dashboard). */
	private static int form(WebSession session, RequestMethod method, String path, Set<String> parameters) {
		Map<String, String> fields = new LinkedHashMap<>();
		parameters.forEach(name -> fields.put(name, "a\u0000b"));
		if (method != RequestMethod.POST) {
			fields.put("_method", method.name());
		}
		return session.post(path, fields, "/dashboard").statusCode();
	}

	private static void assertInvalidCharacters(Response response) {
		String call = response.raw().request().method() + " " + response.raw().uri() + " -> " + response.raw().body();
		assertThat(response.status()).as(call).isEqualTo(400);
		assertThat(response.code()).as(call).isEqualTo("invalid_characters");
		assertThat(response.header("Content-Type")).as(call).startsWith("application/problem+json");
		assertThat(response.header("X-Request-Id")).as(call).isNotBlank();
	}
}
