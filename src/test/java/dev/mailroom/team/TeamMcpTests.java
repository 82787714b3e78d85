package dev.mailroom.team;

import static dev.mailroom.team.TeamFixture.PW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.TestMailServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The team's MCP tools (API.md "MCP"): invite_team_member and list_team_members, with REST's rules. */
@MailroomTest
class TeamMcpTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	TestApi api;
	TeamFixture teams;
	TestApi.Tenant team;
	final List<McpSyncClient> clients = new ArrayList<>();

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		teams = new TeamFixture(api);
		team = api.newTenant("team");
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

	static JsonNode ok(CallToolResult result) {
		assertThat(result.isError()).as(((TextContent) result.content().getFirst()).text()).isFalse();
		return JSON.valueToTree(result.structuredContent());
	}

	static String errorCode(CallToolResult result) {
		assertThat(result.isError()).as(String.valueOf(result.structuredContent())).isTrue();
		return JSON.valueToTree(result.structuredContent()).get("code").asString();
	}

	@Test
	void theTeamToolsAreListedWithTheirEffects() {
		Map<String, Tool> tools = new HashMap<>();
		client(team.apiKey()).listTools().tools().forEach(t -> tools.put(t.name(), t));
		Tool invite = tools.get("invite_team_member");
		Tool list = tools.get("list_team_members");
		assertThat(invite).isNotNull();
		assertThat(list).isNotNull();
		assertThat(invite.annotations().readOnlyHint()).isFalse();
		assertThat(invite.annotations().destructiveHint()).isFalse();
		assertThat(invite.annotations().openWorldHint()).isTrue();
		assertThat(invite.inputSchema().get("required")).isEqualTo(List.of("email"));
		assertThat(((Map<?, ?>) invite.inputSchema().get("properties")).containsKey("idempotency_key")).isTrue();
		assertThat(invite.description()).contains("seat_limit_reached").contains("7 days");
		assertThat(list.annotations().readOnlyHint()).isTrue();
	}

	@Test
	void theOwnerInvitesOnceForAnIdempotencyKeyAndListsTheMembers() {
		McpSyncClient owner = client(team.apiKey());
		String person = TeamFixture.email("agent-invited");
		Map<String, Object> arguments = Map.of("email", person, "language", "de", "idempotency_key", "team-1");
		JsonNode sent = ok(call(owner, "invite_team_member", arguments));
		assertThat(sent.get("email").asString()).isEqualTo(person);
		assertThat(sent.get("status").asString()).isEqualTo("pending");
		assertThat(sent.get("link").asString()).contains("/invite/");
		JsonNode again = ok(call(owner, "invite_team_member", arguments));
		assertThat(again.get("id")).isEqualTo(sent.get("id"));
		var email = TestMailServer.shared().await(person, 1, Duration.ofSeconds(20));
		assertThat(email).hasSize(1);
		assertThat(TestMailServer.text(email.getFirst())).contains("Team").contains("7 Tage");

		String token = TeamFixture.token(sent.get("link").asString());
		assertThat(api.anonymous("POST", "/api/v1/invitations/" + token + "/accept",
				api.createAccountFromEmail(person, token, PW, "Agent Pick")).status()).isEqualTo(200);
		JsonNode members = ok(call(owner, "list_team_members", Map.of()));
		assertThat(members).isEqualTo(api.bearer(team.apiKey(), "GET", "/api/v1/team/members", null).json());
		List<String> roles = new ArrayList<>();
		members.get("items").forEach(m -> roles.add(m.get("email").asString() + " " + m.get("role").asString()));
		assertThat(roles).containsExactly(team.ownerEmail() + " owner", person + " member");
	}

	@Test
	void theToolsFollowTheTeamsRules() {
		TeamFixture.Member member = teams.join(team, "helper");
		McpSyncClient asMember = client(member.apiKey());
		assertThat(errorCode(call(asMember, "list_team_members", Map.of()))).isEqualTo("forbidden");
		assertThat(errorCode(call(asMember, "invite_team_member", Map.of("email", TeamFixture.email("x")))))
			.isEqualTo("forbidden");

		var readOnly = api.basic("POST", "/api/v1/api-keys", team.ownerEmail(), TestApi.PASSWORD,
				Map.of("organization_id", team.orgId().toString(), "name", "reader", "scopes", List.of("team:read")));
		McpSyncClient reader = client(readOnly.text("token"));
		assertThat(ok(call(reader, "list_team_members", Map.of())).get("items").size()).isEqualTo(2);
		assertThat(errorCode(call(reader, "invite_team_member", Map.of("email", TeamFixture.email("y")))))
			.isEqualTo("insufficient_scope");

		McpSyncClient owner = client(team.apiKey());
		assertThat(errorCode(call(owner, "invite_team_member", Map.of("email", "nobody")))).isEqualTo("invalid_email");
		assertThat(errorCode(call(owner, "invite_team_member", Map.of("email", member.email()))))
			.isEqualTo("already_member");
		for (int i = 0; i < 3; i++) {
			ok(call(owner, "invite_team_member", Map.of("email", TeamFixture.email("seat" + i))));
		}
		assertThat(errorCode(call(owner, "invite_team_member", Map.of("email", TeamFixture.email("over")))))
			.isEqualTo("seat_limit_reached");
		JsonNode audit = api.bearer(team.apiKey(), "GET", "/api/v1/audit-events?action=mcp.invite_team_member", null)
			.json().get("items");
		assertThat(audit.size()).isGreaterThanOrEqualTo(6);
	}
}
