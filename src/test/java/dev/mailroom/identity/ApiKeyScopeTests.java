package dev.mailroom.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Issue 15 item 3 as it was reproduced: what a key with too few scopes could do, and the key scopes. */
@MailroomTest
class ApiKeyScopeTests {

	static final String PW = "Sturdy-Scope-Pass-8";

	@LocalServerPort
	int port;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		String name = api.activeDomain(tenant, "scopes");
		for (var domain : api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (domain.get("name").asString().equals(name)) {
				domainId = domain.get("id").asString();
			}
		}
	}

	@Test
	void aDomainsReadKeyCannotChangeSharedMailboxMembersOverRestOrMcp() {
		String alice = mailbox("alice");
		String bob = mailbox("bob");
		var shared = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domainId,
				"local_part", "team", "members", List.of(Map.of("mailbox_id", alice), Map.of("mailbox_id", bob))));
		assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
		String sharedId = shared.text("id");
		String reader = key(List.of("domains:read"));

		var patch = api.bearer(reader, "PATCH", "/api/v1/mailboxes/" + sharedId + "/members/" + alice,
				Map.of("permission", "read_only"));
		assertThat(patch.status()).isEqualTo(403);
		assertThat(patch.code()).isEqualTo("insufficient_scope");
		var delete = api.bearer(reader, "DELETE", "/api/v1/mailboxes/" + sharedId + "/members/" + alice, null);
		assertThat(delete.status()).isEqualTo(403);
		assertThat(delete.code()).isEqualTo("insufficient_scope");

		McpSyncClient mcp = client(reader);
		try {
			CallToolResult result = mcp.callTool(new CallToolRequest("update_shared_mailbox_member",
					Map.of("shared_mailbox_id", sharedId, "member_mailbox_id", alice, "permission", "read_only")));
			assertThat(result.isError()).isTrue();
			assertThat(((Map<?, ?>) result.structuredContent()).get("code")).isEqualTo("insufficient_scope");
		}
		finally {
			mcp.closeGracefully();
		}

		var members = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + sharedId + "/members", null).json()
			.get("items");
		assertThat(members).hasSize(2);
		members.forEach(m -> assertThat(m.get("permission").asString()).isEqualTo("reply"));
	}

	@Test
	void listingAndRevokingKeysNeedTheApiKeyScopesButAKeyMayRevokeItself() {
		String reader = key(List.of("domains:read"));
		String other = keyId(key(List.of("domains:read")));

		var list = api.bearer(reader, "GET", "/api/v1/api-keys", null);
		assertThat(list.status()).isEqualTo(403);
		assertThat(list.code()).isEqualTo("insufficient_scope");
		assertThat(api.bearer(reader, "GET", "/api/v1/api-keys/" + other, null).code()).isEqualTo("insufficient_scope");
		var revokeOther = api.bearer(reader, "DELETE", "/api/v1/api-keys/" + other, null);
		assertThat(revokeOther.status()).isEqualTo(403);
		assertThat(revokeOther.code()).isEqualTo("insufficient_scope");
		assertThat(keyIds()).contains(other);

		String lister = key(List.of("api_keys:read"));
		assertThat(api.bearer(lister, "GET", "/api/v1/api-keys", null).status()).isEqualTo(200);
		assertThat(api.bearer(lister, "DELETE", "/api/v1/api-keys/" + other, null).code()).isEqualTo("insufficient_scope");

		String revoker = key(List.of("api_keys:write"));
		assertThat(api.bearer(revoker, "DELETE", "/api/v1/api-keys/" + other, null).status()).isEqualTo(204);
		assertThat(keyIds()).doesNotContain(other);

		String readerId = keyId(reader);
		assertThat(api.bearer(reader, "DELETE", "/api/v1/api-keys/" + readerId, null).status())
			.as("a key may always revoke itself").isEqualTo(204);
		assertThat(api.bearer(reader, "GET", "/api/v1/domains", null).status()).isEqualTo(401);
	}

	@Test
	void aKeyCreatesOnlyNarrowerKeysInItsOwnOrganization() {
		String noWrite = key(List.of("domains:read", "api_keys:read"));
		var refused = api.bearer(noWrite, "POST", "/api/v1/api-keys", Map.of("name", "x", "scopes", List.of("domains:read")));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("insufficient_scope");

		String writer = key(List.of("domains:read", "api_keys:write"));
		var wider = api.bearer(writer, "POST", "/api/v1/api-keys",
				Map.of("name", "wider", "scopes", List.of("mailboxes:write")));
		assertThat(wider.status()).isEqualTo(403);
		assertThat(wider.code()).isEqualTo("insufficient_scope");

		TestApi.Tenant elsewhere = api.newTenant("starter");
		var foreign = api.bearer(writer, "POST", "/api/v1/api-keys", Map.of("organization_id",
				elsewhere.orgId().toString(), "name", "foreign", "scopes", List.of("domains:read")));
		assertThat(foreign.status()).isEqualTo(404);

		var narrower = api.bearer(writer, "POST", "/api/v1/api-keys",
				Map.of("name", "narrower", "scopes", List.of("domains:read")));
		assertThat(narrower.status()).as(narrower.raw().body()).isEqualTo(201);
		assertThat(narrower.text("organization_id")).isEqualTo(tenant.orgId().toString());
		assertThat(api.bearer(narrower.text("token"), "GET", "/api/v1/domains", null).status()).isEqualTo(200);

		// a key limited to a domain passes its limit on and cannot lift it
		var limited = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", tenant.orgId().toString(), "name", "limited", "scopes",
						List.of("domains:read", "api_keys:write"), "domain_ids", List.of(domainId)));
		assertThat(limited.status()).isEqualTo(201);
		var inherited = api.bearer(limited.text("token"), "POST", "/api/v1/api-keys",
				Map.of("name", "child", "scopes", List.of("domains:read")));
		assertThat(inherited.status()).isEqualTo(201);
		assertThat(inherited.json().get("domain_ids").get(0).asString()).isEqualTo(domainId);
		var lifted = api.bearer(limited.text("token"), "POST", "/api/v1/api-keys", Map.of("name", "child", "scopes",
				List.of("domains:read"), "domain_ids", List.of(UUID.randomUUID().toString())));
		assertThat(lifted.status()).isEqualTo(422);
		assertThat(lifted.code()).isEqualTo("invalid_domain");
	}

	@Test
	void keysTakeExactlyTheScopesOfTheContract() {
		var all = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", tenant.orgId().toString(), "name", "all", "scopes", List.of("domains:read",
						"domains:write", "mailboxes:read", "mailboxes:write", "team:read", "team:write", "audit:read",
						"api_keys:read", "api_keys:write", "billing:read")));
		assertThat(all.status()).as(all.raw().body()).isEqualTo(201);
		assertThat(all.json().get("scopes")).hasSize(10);
		var unknown = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", tenant.orgId().toString(), "name", "bad", "scopes", List.of("admin")));
		assertThat(unknown.status()).isEqualTo(422);
		assertThat(unknown.code()).isEqualTo("invalid_scope");
	}

	private String mailbox(String localPart) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "password", PW));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.json().get("mailbox").get("id").asString();
	}

	/** A key of the owner with {@code scopes}, made by the all-scopes key (Basic would meet the sign-in throttle). */
	private String key(List<String> scopes) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/api-keys",
				Map.of("name", "k-" + UUID.randomUUID(), "scopes", scopes));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		tokens.put(created.text("token"), created.text("id"));
		return created.text("token");
	}

	private final Map<String, String> tokens = new java.util.HashMap<>();

	private String keyId(String token) {
		return tokens.get(token);
	}

	private List<String> keyIds() {
		var list = api.bearer(tenant.apiKey(), "GET", "/api/v1/api-keys", null);
		assertThat(list.status()).isEqualTo(200);
		List<String> ids = new java.util.ArrayList<>();
		list.json().get("items").forEach(k -> ids.add(k.get("id").asString()));
		return ids;
	}

	private McpSyncClient client(String apiKey) {
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(api.base())
			.endpoint("/mcp")
			.httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization",
					"Bearer " + apiKey))
			.build();
		McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
		client.initialize();
		return client;
	}
}
