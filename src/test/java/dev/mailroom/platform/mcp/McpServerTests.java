package dev.mailroom.platform.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.identity.ApiQuota;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.ServerSecrets;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The MCP server through the SDK's own client, over streamable HTTP and over the stdio bridge. */
@MailroomTest
class McpServerTests {

	static final String PW = "Sturdy-Mcp-Pass-8";

	static final Set<String> TOOLS = Set.of("list_domains", "list_mailboxes", "create_invite", "create_invites_bulk",
			"list_invites", "resend_invite", "cancel_invite", "list_shared_mailbox_members", "add_shared_mailbox_member",
			"update_shared_mailbox_member", "remove_shared_mailbox_member", "create_shared_mailbox",
			"convert_mailbox_to_shared", "convert_shared_mailbox_to_regular", "delete_mailbox", "restore_mailbox",
			"invite_team_member", "list_team_members", "share_address", "list_access_invites", "resend_access_invite",
			"cancel_access_invite");

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	final ApiQuota quota;
	final ServerSecrets secrets;

	TestApi api;
	TestApi.Tenant tenant;
	String domainId;
	String domain;
	final List<McpSyncClient> clients = new ArrayList<>();

	McpServerTests(@Autowired ApiQuota quota, @Autowired ServerSecrets secrets) {
		this.quota = quota;
		this.secrets = secrets;
	}

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		domain = "mcp-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
	}

	@AfterEach
	void closeClients() {
		clients.forEach(McpSyncClient::closeGracefully);
	}

	McpSyncClient client(String apiKey) {
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

	static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
		return client.callTool(new CallToolRequest(tool, arguments));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> structured(CallToolResult result) {
		return (Map<String, Object>) result.structuredContent();
	}

	static JsonNode tree(CallToolResult result) {
		return JSON.valueToTree(result.structuredContent());
	}

	static String text(CallToolResult result) {
		return ((TextContent) result.content().getFirst()).text();
	}

	static CallToolResult ok(CallToolResult result) {
		assertThat(result.isError()).as(text(result)).isFalse();
		return result;
	}

	static String errorCode(CallToolResult result) {
		assertThat(result.isError()).as(String.valueOf(result.structuredContent())).isTrue();
		return (String) structured(result).get("code");
	}

	String mailbox(String localPart) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "password", PW));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.json().get("mailbox").get("id").asString();
	}

	String keyWithScopes(List<String> scopes) {
		var key = api.basic("POST", "/api/v1/api-keys", tenant.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", tenant.orgId().toString(), "name", "limited", "scopes", scopes));
		assertThat(key.status()).as(key.raw().body()).isEqualTo(201);
		return key.text("token");
	}

	@Test
	void negotiatesARecentProtocolAndListsEveryToolWithSchemasAndAnnotations() {
		McpSyncClient client = client(tenant.apiKey());
		InitializeResult init = client.getCurrentInitializationResult();
		assertThat(init.protocolVersion()).isGreaterThanOrEqualTo("2025-06-18");
		assertThat(init.serverInfo().name()).isEqualTo("mailroom");
		assertThat(init.instructions()).contains("confirm_token").contains("chunk");

		Map<String, Tool> tools = new HashMap<>();
		client.listTools().tools().forEach(t -> tools.put(t.name(), t));
		assertThat(tools.keySet()).containsAll(TOOLS);
		var validator = McpJsonDefaults.getSchemaValidator();
		for (Tool tool : tools.values()) {
			assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(60);
			assertThat(tool.inputSchema()).containsEntry("type", "object").containsEntry("additionalProperties", false);
			assertThat(validator.validateSchema(tool.inputSchema()).valid()).as(tool.name()).isTrue();
			@SuppressWarnings("unchecked")
			Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) tool.inputSchema()
				.get("properties");
			properties.forEach((name, property) -> assertThat(property).as(tool.name() + "." + name)
				.containsKey("description")
				.containsKey("type"));
			assertThat(tool.annotations()).as(tool.name()).isNotNull();
			if (tool.name().startsWith("list_")) {
				assertThat(tool.annotations().readOnlyHint()).as(tool.name()).isTrue();
			}
			else {
				assertThat(tool.annotations().readOnlyHint()).as(tool.name()).isFalse();
			}
		}
		for (String destructive : List.of("delete_mailbox", "cancel_invite", "remove_shared_mailbox_member",
				"convert_mailbox_to_shared", "convert_shared_mailbox_to_regular")) {
			assertThat(tools.get(destructive).annotations().destructiveHint()).as(destructive).isTrue();
			assertThat(properties(tools.get(destructive))).containsKey("confirm_token");
		}
		for (String creating : List.of("create_invite", "create_invites_bulk", "create_shared_mailbox",
				"add_shared_mailbox_member", "resend_invite")) {
			assertThat(tools.get(creating).annotations().destructiveHint()).as(creating).isFalse();
			assertThat(properties(tools.get(creating))).containsKey("idempotency_key");
		}
		assertThat(tools.get("restore_mailbox").annotations().idempotentHint()).isTrue();
		assertThat(tools.get("update_shared_mailbox_member").annotations().idempotentHint()).isTrue();
		assertThat(properties(tools.get("create_invites_bulk")).get("items")).containsEntry("maxItems", 100);
		assertThat(tools.get("create_invites_bulk").description()).contains("chunk");
		assertThat(tools.get("create_invite").inputSchema().get("required")).isEqualTo(List.of("domain_id",
				"recipient_email"));
	}

	@SuppressWarnings("unchecked")
	static Map<String, Map<String, Object>> properties(Tool tool) {
		return (Map<String, Map<String, Object>>) tool.inputSchema().get("properties");
	}

	@Test
	void listDomainsAnswersTheRestJson() {
		McpSyncClient client = client(tenant.apiKey());
		CallToolResult result = ok(call(client, "list_domains", Map.of()));
		JsonNode rest = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json();
		assertThat(tree(result)).isEqualTo(rest);
		assertThat(tree(result).get("items").get(0).get("name").asString()).isEqualTo(domain);
		assertThat(text(result)).startsWith("1 item(s).").contains(domain);

		CallToolResult pending = ok(call(client, "list_domains", Map.of("status", "pending")));
		assertThat(tree(pending).get("items").size()).isZero();
	}

	@Test
	void createsAnInviteOnceForAnIdempotencyKeyAndRefusesTheKeyWithOtherArguments() {
		McpSyncClient client = client(tenant.apiKey());
		Map<String, Object> arguments = Map.of("domain_id", domainId, "recipient_email", "ada@example.org",
				"local_part", "ada", "idempotency_key", "invite-ada-1");
		CallToolResult first = ok(call(client, "create_invite", arguments));
		JsonNode invite = tree(first);
		assertThat(invite.get("status").asString()).isEqualTo("pending");
		assertThat(invite.get("local_part").asString()).isEqualTo("ada");
		assertThat(invite.get("link").asString()).contains("/invite/");
		assertThat(text(first)).startsWith("Invite sent");

		CallToolResult again = ok(call(client, "create_invite", arguments));
		assertThat(tree(again).get("id")).isEqualTo(invite.get("id"));
		assertThat(again.meta()).containsEntry("idempotent_replayed", true);
		var listed = tree(ok(call(client, "list_invites", Map.of("domain_id", domainId))));
		assertThat(listed.get("items").size()).isEqualTo(1);
		assertThat(listed.get("items").get(0).has("link")).isFalse();

		Map<String, Object> other = new HashMap<>(arguments);
		other.put("recipient_email", "grace@example.org");
		assertThat(errorCode(call(client, "create_invite", other))).isEqualTo("idempotency_key_reused");

		// without a key, the same call is refused by the rule of the service: one pending invite per person
		Map<String, Object> noKey = new HashMap<>(arguments);
		noKey.remove("idempotency_key");
		assertThat(errorCode(call(client, "create_invite", noKey))).isEqualTo("already_invited");
	}

	@Test
	void reportsValidationErrorsWithTheirCodes() {
		McpSyncClient client = client(tenant.apiKey());
		CallToolResult badEmail = call(client, "create_invite",
				Map.of("domain_id", domainId, "recipient_email", "not-an-email"));
		assertThat(errorCode(badEmail)).isEqualTo("invalid_email");
		assertThat(text(badEmail)).startsWith("Error invalid_email:");

		CallToolResult missing = call(client, "create_invite", Map.of("recipient_email", "x@example.org"));
		assertThat(errorCode(missing)).isEqualTo("validation_failed");
		assertThat(tree(missing).get("errors").get(0).get("field").asString()).isEqualTo("domain_id");
		assertThat(tree(missing).get("errors").get(0).get("code").asString()).isEqualTo("required");

		CallToolResult unknown = call(client, "list_domains", Map.of("colour", "blue"));
		assertThat(errorCode(unknown)).isEqualTo("unknown_field");
		assertThat(text(unknown)).contains("colour").contains("status");

		CallToolResult notUuid = call(client, "delete_mailbox", Map.of("mailbox_id", "nope"));
		assertThat(errorCode(notUuid)).isEqualTo("invalid_value");
		assertThat(tree(notUuid).get("errors").get(0).get("field").asString()).isEqualTo("mailbox_id");
	}

	@Test
	void sendsABulkBatchAllOrNothingAndAsksToChunkLongLists() {
		McpSyncClient client = client(tenant.apiKey());
		CallToolResult sent = ok(call(client, "create_invites_bulk", Map.of("domain_id", domainId, "language", "fr",
				"items", List.of(Map.of("recipient_email", "b1@example.org"), Map.of("recipient_email",
						"b2@example.org", "local_part", "second"), Map.of("recipient_email", "b3@example.org")))));
		JsonNode batch = tree(sent);
		assertThat(batch.get("batch_id").asString()).isNotBlank();
		assertThat(batch.get("items").size()).isEqualTo(3);
		assertThat(batch.get("items").get(1).get("local_part").asString()).isEqualTo("second");
		assertThat(batch.get("items").get(0).get("link").asString()).contains("/invite/");

		List<Map<String, Object>> tooMany = IntStream.range(0, 101)
			.mapToObj(i -> Map.<String, Object>of("recipient_email", "many" + i + "@example.org"))
			.toList();
		CallToolResult refused = call(client, "create_invites_bulk", Map.of("domain_id", domainId, "items", tooMany));
		assertThat(errorCode(refused)).isEqualTo("too_many_items");
		assertThat(text(refused)).contains("chunk");

		CallToolResult invalid = call(client, "create_invites_bulk", Map.of("domain_id", domainId, "items",
				List.of(Map.of("recipient_email", "ok@example.org"), Map.of("recipient_email", "b1@example.org"))));
		assertThat(errorCode(invalid)).isEqualTo("validation_failed");
		JsonNode item = tree(invalid).get("items").get(0);
		assertThat(item.get("index").asInt()).isEqualTo(1);
		assertThat(item.get("errors").get(0).get("code").asString()).isEqualTo("already_invited");
		assertThat(text(invalid)).contains("item 1");
		var all = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites?domain_id=" + domainId, null);
		assertThat(all.json().get("items").size()).isEqualTo(3);
	}

	@Test
	void managesSharedMailboxMembersWithTwoStepRemoval() {
		String alice = mailbox("alice");
		String bob = mailbox("bob");
		String carol = mailbox("carol");
		McpSyncClient client = client(tenant.apiKey());

		CallToolResult created = ok(call(client, "create_shared_mailbox", Map.of("domain_id", domainId, "local_part",
				"support", "display_name", "Support", "members", List.of(Map.of("mailbox_id", alice)))));
		JsonNode shared = tree(created);
		assertThat(shared.get("kind").asString()).isEqualTo("shared");
		String sharedId = shared.get("id").asString();
		assertThat(shared).isEqualTo(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + sharedId, null).json());

		CallToolResult added = ok(call(client, "add_shared_mailbox_member", Map.of("shared_mailbox_id", sharedId,
				"members", List.of(Map.of("mailbox_id", bob, "permission", "read_only"), Map.of("mailbox_id", carol)))));
		assertThat(tree(added).get("items").size()).isEqualTo(2);
		assertThat(errorCode(call(client, "add_shared_mailbox_member",
				Map.of("shared_mailbox_id", sharedId, "members", List.of(Map.of("mailbox_id", bob))))))
			.isEqualTo("already_member");

		CallToolResult updated = ok(call(client, "update_shared_mailbox_member",
				Map.of("shared_mailbox_id", sharedId, "member_mailbox_id", bob, "permission", "reply")));
		assertThat(tree(updated).get("permission").asString()).isEqualTo("reply");

		JsonNode members = tree(ok(call(client, "list_shared_mailbox_members", Map.of("shared_mailbox_id", sharedId))));
		assertThat(members).isEqualTo(
				api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + sharedId + "/members", null).json());
		assertThat(members.get("items").size()).isEqualTo(3);

		Map<String, Object> removeCarol = Map.of("shared_mailbox_id", sharedId, "member_mailbox_id", carol);
		CallToolResult preview = ok(call(client, "remove_shared_mailbox_member", removeCarol));
		assertThat(structured(preview)).containsEntry("confirmation_required", true);
		assertThat((String) structured(preview).get("summary")).contains("carol@" + domain).contains("2 member(s)");
		assertThat(membersOf(sharedId)).hasSize(3);

		Map<String, Object> confirmed = new HashMap<>(removeCarol);
		confirmed.put("confirm_token", structured(preview).get("confirm_token"));
		CallToolResult removed = ok(call(client, "remove_shared_mailbox_member", confirmed));
		assertThat(structured(removed)).containsEntry("removed", true);
		assertThat(membersOf(sharedId)).hasSize(2);

		// a token is bound to its arguments
		Map<String, Object> moved = new HashMap<>(confirmed);
		moved.put("member_mailbox_id", bob);
		assertThat(errorCode(call(client, "remove_shared_mailbox_member", moved))).isEqualTo("invalid_confirm_token");
		assertThat(membersOf(sharedId)).hasSize(2);
	}

	List<JsonNode> membersOf(String sharedId) {
		List<JsonNode> items = new ArrayList<>();
		api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + sharedId + "/members", null)
			.json()
			.get("items")
			.forEach(items::add);
		return items;
	}

	@Test
	void deletesAMailboxOnlyWithTheConfirmTokenAndRestoresIt() {
		String mailboxId = mailbox("leaver");
		McpSyncClient client = client(tenant.apiKey());

		CallToolResult preview = ok(call(client, "delete_mailbox", Map.of("mailbox_id", mailboxId)));
		Map<String, Object> proposal = structured(preview);
		assertThat(proposal).containsEntry("confirmation_required", true).containsEntry("tool", "delete_mailbox");
		assertThat((String) proposal.get("summary")).contains("leaver@" + domain).contains("recycle bin");
		assertThat(tree(preview).get("target").get("id").asString()).isEqualTo(mailboxId);
		assertThat(text(preview)).startsWith("Nothing was changed yet.");
		assertThat(status(mailboxId)).isEqualTo("active");

		CallToolResult wrongToken = call(client, "delete_mailbox",
				Map.of("mailbox_id", mailboxId, "confirm_token", "1." + proposal.get("confirm_token")));
		assertThat(errorCode(wrongToken)).isEqualTo("invalid_confirm_token");
		assertThat(status(mailboxId)).isEqualTo("active");

		CallToolResult deleted = ok(call(client, "delete_mailbox",
				Map.of("mailbox_id", mailboxId, "confirm_token", proposal.get("confirm_token"))));
		assertThat(structured(deleted)).containsEntry("status", "trashed");
		assertThat(status(mailboxId)).isEqualTo("trashed");

		CallToolResult restored = ok(call(client, "restore_mailbox", Map.of("mailbox_id", mailboxId)));
		assertThat(tree(restored).get("status").asString()).isEqualTo("active");
		assertThat(status(mailboxId)).isEqualTo("active");
	}

	String status(String mailboxId) {
		return api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + mailboxId, null).text("status");
	}

	@Test
	void aKeyWithoutTheWriteScopeIsRefused() {
		String mailboxId = mailbox("kept");
		McpSyncClient client = client(keyWithScopes(List.of("domains:read", "mailboxes:read")));
		assertThat(ok(call(client, "list_mailboxes", Map.of())).structuredContent()).isNotNull();
		assertThat(errorCode(call(client, "create_invite", Map.of("domain_id", domainId, "recipient_email",
				"someone@example.org")))).isEqualTo("insufficient_scope");
		// not even a confirmation is offered
		assertThat(errorCode(call(client, "delete_mailbox", Map.of("mailbox_id", mailboxId))))
			.isEqualTo("insufficient_scope");
		assertThat(status(mailboxId)).isEqualTo("active");
	}

	@Test
	void anotherOrganizationsIdsAreNotFound() {
		String mailboxId = mailbox("mine");
		String inviteId = tree(ok(call(client(tenant.apiKey()), "create_invite",
				Map.of("domain_id", domainId, "recipient_email", "mine@example.org")))).get("id").asString();
		TestApi.Tenant other = api.newTenant("starter");
		McpSyncClient stranger = client(other.apiKey());

		assertThat(errorCode(call(stranger, "delete_mailbox", Map.of("mailbox_id", mailboxId)))).isEqualTo("not_found");
		assertThat(errorCode(call(stranger, "list_shared_mailbox_members", Map.of("shared_mailbox_id", mailboxId))))
			.isEqualTo("not_found");
		assertThat(errorCode(call(stranger, "cancel_invite", Map.of("invite_id", inviteId)))).isEqualTo("not_found");
		assertThat(errorCode(call(stranger, "resend_invite", Map.of("invite_id", inviteId)))).isEqualTo("not_found");
		assertThat(errorCode(call(stranger, "create_invite",
				Map.of("domain_id", domainId, "recipient_email", "x@example.org")))).isEqualTo("not_found");
		assertThat(tree(ok(call(stranger, "list_domains", Map.of()))).get("items").size()).isZero();
		assertThat(status(mailboxId)).isEqualTo("active");
	}

	@Test
	void cancelsAnInviteInTwoSteps() {
		McpSyncClient client = client(tenant.apiKey());
		String inviteId = tree(ok(call(client, "create_invite",
				Map.of("domain_id", domainId, "recipient_email", "late@example.org")))).get("id").asString();
		CallToolResult preview = ok(call(client, "cancel_invite", Map.of("invite_id", inviteId)));
		assertThat((String) structured(preview).get("summary")).contains("late@example.org");
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + inviteId, null).text("status"))
			.isEqualTo("pending");
		CallToolResult canceled = ok(call(client, "cancel_invite",
				Map.of("invite_id", inviteId, "confirm_token", structured(preview).get("confirm_token"))));
		assertThat(tree(canceled).get("status").asString()).isEqualTo("canceled");
	}

	@Test
	void convertsBetweenRegularAndSharedWithConfirmation() {
		String target = mailbox("team");
		String member = mailbox("member");
		McpSyncClient client = client(tenant.apiKey());
		Map<String, Object> toShared = Map.of("mailbox_id", target, "members", List.of(Map.of("mailbox_id", member)));
		CallToolResult preview = ok(call(client, "convert_mailbox_to_shared", toShared));
		assertThat((String) structured(preview).get("summary")).contains("password");
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + target, null).text("kind"))
			.isEqualTo("regular");
		Map<String, Object> confirmed = new HashMap<>(toShared);
		confirmed.put("confirm_token", structured(preview).get("confirm_token"));
		assertThat(tree(ok(call(client, "convert_mailbox_to_shared", confirmed))).get("kind").asString())
			.isEqualTo("shared");

		Map<String, Object> toRegular = Map.of("mailbox_id", target);
		CallToolResult back = ok(call(client, "convert_shared_mailbox_to_regular", toRegular));
		assertThat((String) structured(back).get("summary")).contains("member@" + domain);
		CallToolResult regular = ok(call(client, "convert_shared_mailbox_to_regular",
				Map.of("mailbox_id", target, "confirm_token", structured(back).get("confirm_token"))));
		assertThat(tree(regular).get("mailbox").get("kind").asString()).isEqualTo("regular");
		assertThat(tree(regular).get("password").asString()).isNotBlank();
		assertThat(tree(regular).get("recovery_code").asString()).isNotBlank();
	}

	@Test
	void everyCallIsAuditedWithTheKeyAndTheTool() {
		McpSyncClient client = client(tenant.apiKey());
		ok(call(client, "list_domains", Map.of()));
		errorCode(call(client, "delete_mailbox", Map.of("mailbox_id", UUID.randomUUID().toString())));
		JsonNode listed = api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?action=mcp.list_domains", null)
			.json()
			.get("items");
		assertThat(listed.size()).isEqualTo(1);
		assertThat(listed.get(0).get("actor").asString()).startsWith("api_key:");
		assertThat(listed.get(0).get("details").get("tool").asString()).isEqualTo("list_domains");
		assertThat(listed.get(0).get("details").get("outcome").asString()).isEqualTo("ok");
		JsonNode failed = api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?action=mcp.delete_mailbox", null)
			.json()
			.get("items")
			.get(0);
		assertThat(failed.get("details").get("outcome").asString()).isEqualTo("error");
		assertThat(failed.get("details").get("code").asString()).isEqualTo("not_found");
	}

	@Test
	void noOrABadKeyIsRefusedWith401() throws Exception {
		String initialize = """
				{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
				"capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";
		assertThat(post(null, null, initialize).statusCode()).isEqualTo(401);
		HttpResponse<String> bad = post("mr_not_a_real_key", null, initialize);
		assertThat(bad.statusCode()).isEqualTo(401);
		assertThat(bad.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
		assertThat(post("mr_not_a_real_key", null, initialize).body()).doesNotContain("mr_not_a_real_key");
	}

	@Test
	void aToolCallCountsOnceTowardTheDailyQuota() throws Exception {
		String initialize = """
				{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
				"capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";
		HttpResponse<String> init = post(tenant.apiKey(), null, initialize);
		assertThat(init.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(init.body()).get("result").get("protocolVersion").asString()).isEqualTo("2025-06-18");
		String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
		assertThat(post(tenant.apiKey(), session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
			.statusCode()).isEqualTo(202);

		int before = quota.usedToday(tenant.orgId());
		HttpResponse<String> called = post(tenant.apiKey(), session,
				"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"list_domains\",\"arguments\":{}}}");
		assertThat(called.statusCode()).isEqualTo(200);
		assertThat(called.body()).contains("\"isError\":false").contains(domain);
		assertThat(quota.usedToday(tenant.orgId())).isEqualTo(before + 1);
	}

	HttpResponse<String> post(String apiKey, String session, String body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/mcp"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (apiKey != null) {
			request.header("Authorization", "Bearer " + apiKey);
		}
		if (session != null) {
			request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
		}
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

	@Test
	void theStdioBridgeForwardsToTheServerWithTheKey() {
		String command = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
		ServerParameters bridge = ServerParameters.builder(command)
			.args("-cp", System.getProperty("java.class.path"), "dev.mailroom.MailroomApplication", "mcp")
			.addEnvVar("MAILROOM_API_KEY", tenant.apiKey())
			.addEnvVar("MAILROOM_BASE_URL", api.base() + "/")
			.build();
		StdioClientTransport transport = new StdioClientTransport(bridge, McpJsonDefaults.getMapper());
		List<String> stderr = Collections.synchronizedList(new ArrayList<>());
		transport.setStdErrorHandler(stderr::add);
		McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
		clients.add(client);

		InitializeResult init = client.initialize();
		assertThat(init.serverInfo().name()).isEqualTo("mailroom");
		assertThat(init.protocolVersion()).isGreaterThanOrEqualTo("2025-06-18");
		assertThat(client.listTools().tools()).extracting(Tool::name).containsAll(TOOLS);
		CallToolResult domains = ok(call(client, "list_domains", Map.of()));
		assertThat(tree(domains).get("items").get(0).get("name").asString()).isEqualTo(domain);
		assertThat(errorCode(call(client, "create_invites_bulk", Map.of("domain_id", domainId, "items",
				IntStream.range(0, 101).mapToObj(i -> Map.of("recipient_email", "s" + i + "@example.org")).toList()))))
			.isEqualTo("too_many_items");
		assertThat(stderr).noneMatch(line -> line.contains(tenant.apiKey()));
	}

	@Test
	void theStdioBridgeNeedsAKey() {
		var err = new ByteArrayOutputStream();
		int exit = StdioBridge.run(Map.of(), new ByteArrayInputStream(new byte[0]),
				new ByteArrayOutputStream(), new PrintStream(err, true));
		assertThat(exit).isEqualTo(2);
		assertThat(err.toString()).contains("MAILROOM_API_KEY");
	}

	@Test
	void theStdioBridgeTurnsAnHttpRefusalIntoAJsonRpcError() {
		var out = new ByteArrayOutputStream();
		String input = """
				{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
				""";
		int exit = StdioBridge.run(Map.of("MAILROOM_API_KEY", "mr_wrong", "MAILROOM_BASE_URL", api.base()),
				new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out,
				new PrintStream(new ByteArrayOutputStream(), true));
		assertThat(exit).isZero();
		JsonNode answer = JSON.readTree(out.toString(StandardCharsets.UTF_8).strip());
		assertThat(answer.get("id").asInt()).isEqualTo(7);
		assertThat(answer.get("error").get("data").get("http_status").asInt()).isEqualTo(401);
		assertThat(answer.get("error").get("message").asString()).contains("unauthorized");
	}

	/** Issue 15 item 5 over MCP: share_address needs the address's own password for a regular mailbox. */
	@Test
	void shareAddressNeedsTheMailboxPasswordAndItsInvitesAreManaged() {
		McpSyncClient client = client(tenant.apiKey());
		String mailboxId = mailbox("person");
		assertThat(errorCode(call(client, "share_address", Map.of("mailbox_id", mailboxId, "permission", "read_only"))))
			.isEqualTo("mailbox_password_required");
		assertThat(errorCode(call(client, "share_address",
				Map.of("mailbox_id", mailboxId, "permission", "read_only", "mailbox_password", "wrong-password-1"))))
			.isEqualTo("mailbox_password_required");
		JsonNode shared = tree(ok(call(client, "share_address",
				Map.of("mailbox_id", mailboxId, "permission", "reply", "mailbox_password", PW))));
		assertThat(shared.get("kind").asString()).isEqualTo("address_access");
		String inviteId = shared.get("id").asString();
		assertThat(tree(ok(call(client, "list_access_invites", Map.of("mailbox_id", mailboxId)))).get("items").size())
			.isEqualTo(1);
		JsonNode resent = tree(ok(call(client, "resend_access_invite", Map.of("mailbox_id", mailboxId, "invite_id", inviteId))));
		assertThat(resent.get("link").asString()).isNotEqualTo(shared.get("link").asString());
		CallToolResult preview = ok(call(client, "cancel_access_invite", Map.of("mailbox_id", mailboxId, "invite_id", inviteId)));
		String token = (String) structured(preview).get("confirm_token");
		assertThat(tree(ok(call(client, "cancel_access_invite",
				Map.of("mailbox_id", mailboxId, "invite_id", inviteId, "confirm_token", token)))).get("status").asString())
			.isEqualTo("canceled");
	}

	@Test
	void aConfirmTokenLastsFiveMinutesAndBelongsToItsKey() {
		Actor key = new Actor(Actor.Kind.API_KEY, UUID.randomUUID(), "a@example.org", UUID.randomUUID(), null,
				UUID.randomUUID(), null, null, "127.0.0.1");
		Actor otherKey = new Actor(Actor.Kind.API_KEY, key.userId(), key.email(), key.orgId(), null, UUID.randomUUID(),
				null, null, "127.0.0.1");
		Instant now = Instant.parse("2026-01-01T10:00:00Z");
		String token = new ConfirmTokens(secrets, Clock.fixed(now, ZoneOffset.UTC)).issue(key, "delete_mailbox", "{}")
			.token();
		new ConfirmTokens(secrets, Clock.fixed(now.plusSeconds(299), ZoneOffset.UTC)).verify(key, "delete_mailbox", "{}",
				token);
		ConfirmTokens later = new ConfirmTokens(secrets, Clock.fixed(now.plusSeconds(301), ZoneOffset.UTC));
		assertThatThrownBy(() -> later.verify(key, "delete_mailbox", "{}", token))
			.isInstanceOfSatisfying(MailroomException.class, e -> assertThat(e.code()).isEqualTo("confirm_token_expired"));
		ConfirmTokens meanwhile = new ConfirmTokens(secrets, Clock.fixed(now, ZoneOffset.UTC));
		assertThatThrownBy(() -> meanwhile.verify(otherKey, "delete_mailbox", "{}", token))
			.isInstanceOfSatisfying(MailroomException.class, e -> assertThat(e.code()).isEqualTo("invalid_confirm_token"));
		assertThatThrownBy(() -> meanwhile.verify(key, "cancel_invite", "{}", token))
			.isInstanceOfSatisfying(MailroomException.class, e -> assertThat(e.code()).isEqualTo("invalid_confirm_token"));
		assertThatThrownBy(() -> meanwhile.verify(key, "delete_mailbox", "{}", "garbage"))
			.isInstanceOfSatisfying(MailroomException.class, e -> assertThat(e.code()).isEqualTo("invalid_confirm_token"));
	}
}
