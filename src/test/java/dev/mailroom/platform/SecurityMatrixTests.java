package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.identity.ApiKeyService;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The security matrix: every operation of the published OpenAPI document and every MCP tool of
 * {@code tools/list}, called with (a) a key of the victim's organization holding every scope
 * except the one the operation declares, (b) an all-scopes key of another organization and (c)
 * an all-scopes key of a team member of the victim's organization, against the victim's real
 * resources. Generic: a new endpoint or tool joins by itself, and one that declares no scope
 * fails the walk unless it is listed in {@link #UNSCOPED} with a reason. As the scope is only
 * published by the adapters and checked by the services, (a) proves each service checks what
 * the document says.
 */
@MailroomTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityMatrixTests {

	static final String PW = "Sturdy-Matrix-Pass-8";
	static final String REQUIRED_SCOPE = "x-required-scope";
	static final String TOOL_SCOPE = "dev.mailroom/required_scope";
	static final JsonMapper JSON = JsonMapper.builder().build();

	/** Operations ("METHOD path" patterns) that take no API-key scope, and why. */
	static final Map<Pattern, String> UNSCOPED = new LinkedHashMap<>();

	static {
		unscoped("POST /api/v1/signup", "public: it creates an account");
		unscoped("POST /api/v1/recovery/reset", "public: the recovery code is the credential");
		unscoped("(GET|POST) /api/v1/invitations/\\{[^}]+\\}(/.*)?", "public: the invitation link's token is the credential");
		unscoped("(GET|POST) /api/v1/email-verifications/.*", "public: the emailed token is the credential");
		unscoped("(GET|POST) /api/v1/ownership-invitations/.*",
				"the emailed token names the invitation; accepting needs the invited account's own sign-in");
		unscoped("[A-Z]+ /api/v1/operator/.*", "the operator token only: API keys are refused (checked by the walk)");
		unscoped("[A-Z]+ /api/v1/me/(app-passwords|totp)(/.*)?",
				"the person's own account with HTTP Basic, never an organization's key");
	}

	private static void unscoped(String pattern, String reason) {
		UNSCOPED.put(Pattern.compile(pattern), reason);
	}

	@LocalServerPort
	int port;

	TestApi api;
	Victim victim;
	TestApi.Tenant stranger;
	String memberKey;
	final Map<String, String> keysWithout = new HashMap<>();
	final List<McpSyncClient> clients = new ArrayList<>();

	/** The victim's organization (team plan) and one of each kind of resource it has. */
	record Victim(TestApi.Tenant tenant, String domainId, String regular, String member, String shared,
			String setupInvite, String accessInvite, String grantInvite, String grantee, String teamMember,
			String teamMemberId, String teamInvitation, String otherKey, String ownKeyId) {

		/** Ids nobody outside the owner's reach may learn. */
		Set<String> privateIds() {
			return Set.of(regular, member, shared, setupInvite, accessInvite, grantInvite, grantee, teamMemberId,
					teamInvitation, otherKey, ownKeyId);
		}

		/** Ids another organization may not learn either (a team member sees them by design). */
		Set<String> organizationIds() {
			return Set.of(domainId, tenant.orgId().toString(), tenant.ownerId().toString());
		}
	}

	@BeforeAll
	void buildTheVictim() {
		api = new TestApi(port);
		TestApi.Tenant owner = api.newTenant("team");
		String domain = api.activeDomain(owner, "victim");
		String domainId = null;
		for (JsonNode d : get(owner.apiKey(), "/api/v1/domains").get("items")) {
			if (d.get("name").asString().equals(domain)) {
				domainId = d.get("id").asString();
			}
		}
		String regular = created(owner.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "alice", "password", PW)).get("mailbox").get("id").asString();
		String member = created(owner.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", "bob", "password", PW)).get("mailbox").get("id").asString();
		String shared = created(owner.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domainId,
				"local_part", "support", "members", List.of(Map.of("mailbox_id", member)))).get("id").asString();
		String setupInvite = created(owner.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", email("setup"))).get("id").asString();
		// a shared mailbox needs no mailbox password to be shared, so this setup holds whatever that rule becomes
		String accessInvite = created(owner.apiKey(), "POST", "/api/v1/mailboxes/" + shared + "/access-invites",
				Map.of("recipient_email", email("pending"), "permission", "read_only", "send_email", false))
			.get("id").asString();
		String guest = email("guest");
		JsonNode granted = created(owner.apiKey(), "POST", "/api/v1/mailboxes/" + shared + "/access-invites",
				Map.of("recipient_email", guest, "permission", "read_only", "send_email", false));
		// not emailed (send_email false), so its link proves no inbox: the guest verifies by signing up, then accepts
		api.signUpVerified(guest, PW, "Guest");
		String grantLink = granted.get("link").asString();
		TestApi.Response grantAccepted = api.basic("POST",
				"/api/v1/invitations/" + grantLink.substring(grantLink.lastIndexOf('/') + 1) + "/accept", guest, PW, Map.of());
		assertThat(grantAccepted.status()).as(grantAccepted.raw().body()).isEqualTo(200);
		String grantee = get(owner.apiKey(), "/api/v1/mailboxes/" + shared + "/grants").get("items").get(0)
			.get("user_id").asString();
		String teamMemberEmail = join(owner, "victim-member");
		String attackerEmail = join(owner, "attacker");
		String teamInvitation = created(owner.apiKey(), "POST", "/api/v1/team/invitations",
				Map.of("email", email("later"))).get("id").asString();
		String otherKey = key(owner.ownerEmail(), PasswordOf.OWNER, owner.orgId(), List.of("domains:read"), null)[0];
		String ownKeyId = null;
		for (JsonNode k : get(owner.apiKey(), "/api/v1/api-keys").get("items")) {
			if (k.get("name").asString().equals("test")) {
				ownKeyId = k.get("id").asString();
			}
		}
		String teamMemberId = null;
		for (JsonNode m : get(owner.apiKey(), "/api/v1/team/members").get("items")) {
			if (m.get("email").asString().equals(teamMemberEmail)) {
				teamMemberId = m.get("user_id").asString();
			}
		}
		victim = new Victim(owner, domainId, regular, member, shared, setupInvite, accessInvite,
				granted.get("id").asString(), grantee, teamMemberEmail, teamMemberId, teamInvitation, otherKey, ownKeyId);
		memberKey = key(attackerEmail, PasswordOf.MEMBER, owner.orgId(), ApiKeyService.SCOPES, null)[1];
		stranger = api.newTenant("team");
		api.activeDomain(stranger, "stranger");
	}

	@AfterAll
	void closeClients() {
		clients.forEach(McpSyncClient::closeGracefully);
	}

	// ---- REST -------------------------------------------------------------------------------

	@Test
	void everyOperationRefusesAKeyWithoutItsScopeAnotherOrganizationAndATeamMember() {
		JsonNode docs = api.anonymous("GET", "/v3/api-docs", null).json();
		Map<String, String> before = snapshot();
		List<String> failures = new ArrayList<>();
		int walked = 0;
		for (Map.Entry<String, JsonNode> path : docs.get("paths").properties()) {
			for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
				String method = entry.getKey().toUpperCase(Locale.ROOT);
				if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
					continue;
				}
				String operation = method + " " + path.getKey();
				JsonNode scope = entry.getValue().get(REQUIRED_SCOPE);
				if (scope == null) {
					String reason = UNSCOPED.entrySet().stream()
						.filter(u -> u.getKey().matcher(operation).matches())
						.map(Map.Entry::getValue)
						.findFirst()
						.orElse(null);
					if (reason == null) {
						failures.add(operation + ": declares no " + REQUIRED_SCOPE + " and is not listed as unscoped");
					}
					else if (path.getKey().startsWith("/api/v1/operator/")) {
						int status = send(victim.tenant().apiKey(), method, fill(path.getKey()), body(docs, entry.getValue()))
							.status();
						if (status != 401 && status != 403) {
							failures.add(operation + ": an API key got " + status + " on an operator endpoint");
						}
					}
					continue;
				}
				walked++;
				walkOperation(docs, operation, method, path.getKey(), entry.getValue(), scope.asString(), failures);
			}
		}
		assertThat(walked).as("scoped operations walked").isGreaterThan(40);
		assertThat(failures).isEmpty();
		assertThat(snapshot()).as("the victim's resources after the walk").isEqualTo(before);
	}

	private void walkOperation(JsonNode docs, String operation, String method, String template, JsonNode op,
			String scope, List<String> failures) {
		assertThat(ApiKeyService.SCOPES).as(operation + " declares a known scope").contains(scope);
		String path = fill(template);
		Object body = body(docs, op);
		String request = path + " " + JSON.writeValueAsString(body);

		TestApi.Response lacking = send(keyWithout(scope), method, path, body);
		// the refusal names the scope: the service checked the one the document declares
		if (lacking.status() != 403 || !"insufficient_scope".equals(lacking.code())
				|| !lacking.raw().body().contains(scope)) {
			failures.add(operation + " (a) key without " + scope + ": " + lacking.status() + " " + lacking.raw().body());
		}
		boolean namesVictim = !template.equals(path);
		boolean namesOwnersResource = victim.privateIds().stream().anyMatch(path::contains);
		check(operation + " (b) another organization", send(stranger.apiKey(), method, path, body), namesVictim,
				request, union(victim.privateIds(), victim.organizationIds()), failures);
		check(operation + " (c) a team member", send(memberKey, method, path, body), namesOwnersResource, request,
				victim.privateIds(), failures);
	}

	/**
	 * A call naming the victim's resource in its path must be refused (403/404); any other (a
	 * collection read or create in the caller's own reach) may succeed but must reveal none of
	 * the victim's ids it was not given, and never fails with a 5xx.
	 */
	private static void check(String label, TestApi.Response response, boolean mustRefuse, String request,
			Set<String> secret, List<String> failures) {
		if (mustRefuse && response.status() != 403 && response.status() != 404) {
			failures.add(label + ": " + response.status() + " " + response.raw().body());
			return;
		}
		if (response.status() >= 500) {
			failures.add(label + ": " + response.status() + " " + response.raw().body());
		}
		String text = response.raw().body() == null ? "" : response.raw().body();
		for (String id : secret) {
			if (text.contains(id) && !request.contains(id)) {
				failures.add(label + ": the answer reveals the victim's " + id + ": " + text);
			}
		}
	}

	private TestApi.Response send(String key, String method, String path, Object body) {
		return api.send(method, path, method.equals("GET") || method.equals("DELETE") ? null : body, "Bearer " + key,
				Map.of());
	}

	/** The path with each placeholder filled with the victim's resource it names (else a random id). */
	private String fill(String template) {
		Matcher placeholder = Pattern.compile("\\{([^}]+)\\}").matcher(template);
		StringBuilder path = new StringBuilder();
		while (placeholder.find()) {
			String before = template.substring(0, placeholder.start() - 1);
			String segment = before.substring(before.lastIndexOf('/') + 1);
			placeholder.appendReplacement(path, pathValue(template, segment + "/" + placeholder.group(1)));
		}
		placeholder.appendTail(path);
		return path.toString();
	}

	private String pathValue(String template, String name) {
		return switch (name) {
			case "domains/id" -> victim.domainId();
			case "mailboxes/id" -> template.matches(".*/(members|grants|access-invites|convert-to-regular).*")
					? victim.shared() : victim.regular();
			case "members/memberMailboxId" -> victim.member();
			case "grants/userId" -> victim.grantee();
			case "access-invites/inviteId" -> victim.accessInvite();
			case "invites/id" -> victim.setupInvite();
			case "api-keys/id" -> victim.otherKey();
			case "members/userId" -> victim.teamMemberId();
			case "invitations/id" -> victim.teamInvitation();
			case "organizations/id" -> victim.tenant().orgId().toString();
			default -> UUID.randomUUID().toString();
		};
	}

	/** A JSON body built from the operation's request schema, or null when it takes none. */
	private Object body(JsonNode docs, JsonNode op) {
		JsonNode content = op.path("requestBody").path("content");
		JsonNode media = content.has("application/json") ? content.get("application/json")
				: content.properties().stream().findFirst().map(Map.Entry::getValue).orElse(null);
		if (media == null || !media.has("schema")) {
			return null;
		}
		return sample(docs, media.get("schema"), "", false, 0);
	}

	// ---- MCP --------------------------------------------------------------------------------

	@Test
	void everyToolRefusesAKeyWithoutItsScopeAnotherOrganizationAndATeamMember() {
		Map<String, String> before = snapshot();
		List<String> failures = new ArrayList<>();
		McpSyncClient strangerClient = client(stranger.apiKey());
		McpSyncClient memberClient = client(memberKey);
		Map<String, McpSyncClient> lacking = new HashMap<>();
		List<Tool> tools = client(victim.tenant().apiKey()).listTools().tools();
		assertThat(tools).hasSizeGreaterThan(15);
		for (Tool tool : tools) {
			Object declared = tool.meta() == null ? null : tool.meta().get(TOOL_SCOPE);
			if (!(declared instanceof String scope) || !ApiKeyService.SCOPES.contains(scope)) {
				failures.add(tool.name() + ": declares no known scope in _meta." + TOOL_SCOPE + " (" + declared + ")");
				continue;
			}
			JsonNode schema = JSON.valueToTree(tool.inputSchema());
			@SuppressWarnings("unchecked")
			Map<String, Object> arguments = (Map<String, Object>) sample(null, schema, "", false, 0);
			arguments.remove("idempotency_key");
			arguments.remove("confirm_token");
			String request = JSON.writeValueAsString(arguments);
			Set<String> required = new LinkedHashSet<>();
			schema.path("required").forEach(r -> required.add(r.asString()));
			boolean namesVictim = required.stream()
				.anyMatch(r -> r.endsWith("_id") && arguments.get(r) != null
						&& union(victim.privateIds(), victim.organizationIds()).contains(arguments.get(r).toString()));
			boolean namesOwnersResource = required.stream()
				.anyMatch(r -> r.endsWith("_id") && arguments.get(r) != null
						&& victim.privateIds().contains(arguments.get(r).toString()));

			CallToolResult withoutScope = lacking.computeIfAbsent(scope, s -> client(keyWithout(s)))
				.callTool(new CallToolRequest(tool.name(), arguments));
			if (!Boolean.TRUE.equals(withoutScope.isError())
					|| !"insufficient_scope".equals(structured(withoutScope).get("code"))
					|| !String.valueOf(structured(withoutScope).get("message")).contains(scope)) {
				failures.add(tool.name() + " (a) key without " + scope + ": " + withoutScope.structuredContent());
			}
			check(tool.name() + " (b) another organization", strangerClient.callTool(new CallToolRequest(tool.name(),
					arguments)), namesVictim, request, union(victim.privateIds(), victim.organizationIds()), failures);
			check(tool.name() + " (c) a team member", memberClient.callTool(new CallToolRequest(tool.name(), arguments)),
					namesOwnersResource, request, victim.privateIds(), failures);
		}
		assertThat(failures).isEmpty();
		assertThat(snapshot()).as("the victim's resources after the walk").isEqualTo(before);
	}

	private static void check(String label, CallToolResult result, boolean mustRefuse, String request,
			Set<String> secret, List<String> failures) {
		Map<String, Object> structured = structured(result);
		boolean error = Boolean.TRUE.equals(result.isError());
		int status = error && structured.get("status") instanceof Number n ? n.intValue() : 200;
		// a reference in the arguments may also be refused as an invalid field that names no such thing
		boolean refused = error && (status == 403 || status == 404 || "not_found".equals(structured.get("code")));
		if (mustRefuse && !refused) {
			failures.add(label + ": " + structured);
			return;
		}
		if (status >= 500) {
			failures.add(label + ": " + structured);
		}
		String text = JSON.writeValueAsString(structured);
		for (String id : secret) {
			if (text.contains(id) && !request.contains(id)) {
				failures.add(label + ": the result reveals the victim's " + id + ": " + text);
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> structured(CallToolResult result) {
		return result.structuredContent() instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
	}

	private McpSyncClient client(String apiKey) {
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(api.base())
			.endpoint("/mcp")
			.httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization",
					"Bearer " + apiKey))
			.build();
		McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
		clients.add(client);
		client.initialize();
		return client;
	}

	// ---- sample values ----------------------------------------------------------------------

	/** A valid-looking value for a JSON schema, with the victim's ids where a field names one. */
	private Object sample(JsonNode docs, JsonNode schema, String name, boolean inArray, int depth) {
		if (schema.has("$ref")) {
			String ref = schema.get("$ref").asString();
			if (ref.endsWith("/JsonNode") || docs == null || depth > 6) {
				return new LinkedHashMap<String, Object>();
			}
			return sample(docs, docs.at(ref.substring(1)), name, inArray, depth + 1);
		}
		if (schema.has("enum")) {
			return JSON.treeToValue(schema.get("enum").get(0), Object.class);
		}
		String type = type(schema);
		if (type.equals("object") || schema.has("properties")) {
			Map<String, Object> object = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
				String field = snakeCase(property.getKey());
				Object value = sample(docs, property.getValue(), field, inArray, depth + 1);
				if (value != null) {
					object.put(field, value);
				}
			}
			return object;
		}
		if (type.equals("array")) {
			Object item = sample(docs, schema.path("items"), name, true, depth + 1);
			return item == null ? List.of() : List.of(item);
		}
		if (type.equals("integer") || type.equals("number")) {
			return 1;
		}
		if (type.equals("boolean")) {
			return false;
		}
		if ("uuid".equals(schema.path("format").asString(null))) {
			return uuidFor(name, inArray);
		}
		if ("date-time".equals(schema.path("format").asString(null))) {
			return Instant.now().plus(Duration.ofDays(2)).toString();
		}
		return stringFor(name);
	}

	private static String type(JsonNode schema) {
		JsonNode type = schema.get("type");
		if (type == null) {
			return schema.has("properties") ? "object" : "string";
		}
		if (type.isArray()) {
			for (JsonNode t : type) {
				if (!t.asString().equals("null")) {
					return t.asString();
				}
			}
		}
		return type.asString();
	}

	private String uuidFor(String name, boolean inArray) {
		return switch (name) {
			case "domain_id", "domain_ids" -> victim.domainId();
			case "organization_id" -> victim.tenant().orgId().toString();
			case "shared_mailbox_id" -> victim.shared();
			case "member_mailbox_id" -> victim.member();
			case "mailbox_id" -> inArray ? victim.member() : victim.regular();
			case "invite_id", "ids" -> victim.setupInvite();
			case "user_id" -> victim.teamMemberId();
			default -> UUID.randomUUID().toString();
		};
	}

	private static String stringFor(String name) {
		String random = UUID.randomUUID().toString().substring(0, 8);
		if (name.endsWith("_until") || name.endsWith("_at")) {
			// times may be published as plain strings (MCP inputs): RFC 3339, in the future
			return Instant.now().plus(Duration.ofDays(2)).toString();
		}
		return switch (name) {
			case "permission" -> "read_only";
			case "local_part" -> "mx" + random;
			case "email", "recipient_email" -> "matrix-" + random + "@people.test";
			case "password", "mailbox_password" -> PW;
			case "language" -> "en";
			case "name" -> "matrix-" + random + ".example";
			case "scopes" -> "domains:read";
			case "recipient_phone" -> null;
			default -> "Matrix";
		};
	}

	private static String snakeCase(String field) {
		return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
	}

	// ---- the victim's state -----------------------------------------------------------------

	/** What the owner sees of each victim resource, without what changes by itself (deliveries, last use). */
	private Map<String, String> snapshot() {
		String key = victim.tenant().apiKey();
		Map<String, String> state = new LinkedHashMap<>();
		for (String path : List.of("/api/v1/domains/" + victim.domainId(), "/api/v1/mailboxes/" + victim.regular(),
				"/api/v1/mailboxes/" + victim.member(), "/api/v1/mailboxes/" + victim.shared(),
				"/api/v1/mailboxes/" + victim.shared() + "/members", "/api/v1/mailboxes/" + victim.shared() + "/grants",
				"/api/v1/mailboxes/" + victim.shared() + "/access-invites",
				"/api/v1/mailboxes/invites/" + victim.setupInvite())) {
			state.put(path, stable(get(key, path)).toString());
		}
		for (JsonNode invitation : get(key, "/api/v1/team/invitations").get("items")) {
			state.put("team invitation " + invitation.get("id").asString(), stable(invitation).toString());
		}
		// the walk makes keys of its own; what matters is that the victim's keys are all still there
		List<String> keys = new ArrayList<>();
		get(key, "/api/v1/api-keys").get("items").forEach(k -> keys.add(k.get("id").asString()));
		state.put("api keys", List.of(victim.ownKeyId(), victim.otherKey()).stream().filter(keys::contains).toList()
			.toString());
		List<String> members = new ArrayList<>();
		get(key, "/api/v1/team/members").get("items").forEach(m -> members.add(m.get("user_id").asString()));
		state.put("team members", members.stream().sorted().toList().toString());
		return state;
	}

	private static JsonNode stable(JsonNode node) {
		JsonNode copy = node.deepCopy();
		strip(copy);
		return copy;
	}

	private static void strip(JsonNode node) {
		if (node instanceof ObjectNode object) {
			List.of("delivery", "last_used_at", "last_active_at").forEach(object::remove);
		}
		for (JsonNode child : node) {
			strip(child);
		}
	}

	// ---- set-up helpers ---------------------------------------------------------------------

	private enum PasswordOf {
		OWNER, MEMBER
	}

	/**
	 * A key of the victim's owner with every scope but {@code scope}, made by the owner's all-scopes
	 * key (a key may create narrower keys; HTTP Basic would meet the sign-in throttle).
	 */
	private String keyWithout(String scope) {
		return keysWithout.computeIfAbsent(scope, s -> created(victim.tenant().apiKey(), "POST", "/api/v1/api-keys",
				Map.of("name", "without " + s, "scopes", ApiKeyService.SCOPES.stream().filter(x -> !x.equals(s)).toList()))
			.get("token").asString());
	}

	/** Creates a key with HTTP Basic; returns its id and token. */
	private String[] key(String email, PasswordOf password, UUID orgId, List<String> scopes, List<String> domainIds) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("organization_id", orgId.toString());
		body.put("name", "matrix");
		body.put("scopes", scopes);
		if (domainIds != null) {
			body.put("domain_ids", domainIds);
		}
		TestApi.Response key = api.basic("POST", "/api/v1/api-keys", email,
				password == PasswordOf.OWNER ? TestApi.PASSWORD : PW, body);
		assertThat(key.status()).as(key.raw().body()).isEqualTo(201);
		return new String[] { key.text("id"), key.text("token") };
	}

	/** A new person joins the victim's team from an invitation; returns their email. */
	private String join(TestApi.Tenant owner, String prefix) {
		String email = email(prefix);
		JsonNode sent = created(owner.apiKey(), "POST", "/api/v1/team/invitations", Map.of("email", email));
		accept(sent.get("link").asString(), email);
		return email;
	}

	private void accept(String link, String email) {
		String token = link.substring(link.lastIndexOf('/') + 1);
		TestApi.Response accepted = api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(email, token, PW, "Matrix"));
		assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(200);
	}

	private JsonNode created(String key, String method, String path, Object body) {
		TestApi.Response response = api.bearer(key, method, path, body);
		assertThat(response.status()).as(path + " " + response.raw().body()).isIn(200, 201);
		return response.json();
	}

	private JsonNode get(String key, String path) {
		TestApi.Response response = api.bearer(key, "GET", path, null);
		assertThat(response.status()).as(path + " " + response.raw().body()).isEqualTo(200);
		return response.json();
	}

	private static String email(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@people.test";
	}

	private static Set<String> union(Set<String> a, Set<String> b) {
		Set<String> all = new LinkedHashSet<>(a);
		all.addAll(b);
		return all;
	}
}
