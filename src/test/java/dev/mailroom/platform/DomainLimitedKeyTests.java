package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.audit.AuditLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 15 item 6, first half: a key limited to some domains reaches nothing on the others —
 * not through address-access invites, the audit log or shared-mailbox member candidates. Another
 * domain's resource answers exactly like another organization's.
 */
@MailroomTest
class DomainLimitedKeyTests {

	static final String PW = "Sturdy-Limit-Pass-8";
	static final List<String> SCOPES_BUT_AUDIT = List.of("domains:read", "domains:write", "mailboxes:read",
			"mailboxes:write", "team:read", "team:write", "api_keys:read", "api_keys:write", "billing:read");

	@LocalServerPort
	int port;

	@Autowired
	AuditLog audit;

	TestApi api;
	TestApi.Tenant tenant;
	String allowed;
	String other;
	String limitedKey;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		tenant = api.newTenant("starter");
		allowed = domainId(api.activeDomain(tenant, "allowed"));
		other = domainId(api.activeDomain(tenant, "other"));
		var key = api.bearer(tenant.apiKey(), "POST", "/api/v1/api-keys",
				Map.of("name", "limited", "scopes", SCOPES_BUT_AUDIT, "domain_ids", List.of(allowed)));
		assertThat(key.status()).as(key.raw().body()).isEqualTo(201);
		limitedKey = key.text("token");
	}

	@Test
	void addressAccessInvitesOnAnotherDomainAreNotFound() {
		String elsewhere = shared(other, "elsewhere", mailbox(other, "carol"));
		var invite = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + elsewhere + "/access-invites",
				Map.of("recipient_email", "guest-" + UUID.randomUUID() + "@people.test", "permission", "read_only",
						"send_email", false));
		assertThat(invite.status()).as(invite.raw().body()).isEqualTo(201);
		String inviteId = invite.text("id");

		assertThat(api.bearer(limitedKey, "POST", "/api/v1/mailboxes/" + elsewhere + "/access-invites",
				Map.of("permission", "read_only")).status()).isEqualTo(404);
		assertThat(api.bearer(limitedKey, "GET", "/api/v1/mailboxes/" + elsewhere + "/access-invites", null).status())
			.isEqualTo(404);
		assertThat(api.bearer(limitedKey, "GET", "/api/v1/mailboxes/" + elsewhere + "/grants", null).status())
			.isEqualTo(404);
		for (String path : List.of("/api/v1/mailboxes/" + elsewhere + "/access-invites/" + inviteId + "/cancel",
				"/api/v1/mailboxes/" + elsewhere + "/access-invites/" + inviteId + "/resend",
				"/api/v1/mailboxes/invites/" + inviteId + "/cancel", "/api/v1/mailboxes/invites/" + inviteId + "/resend")) {
			assertThat(api.bearer(limitedKey, "POST", path, null).status()).as(path).isEqualTo(404);
		}
		// the invite's own endpoints named it through its id alone: that was the way to another domain
		var read = api.bearer(limitedKey, "GET", "/api/v1/mailboxes/invites/" + inviteId, null);
		assertThat(read.status()).isEqualTo(404);
		assertThat(read.raw().body()).doesNotContain(elsewhere);
		assertThat(api.bearer(limitedKey, "GET", "/api/v1/mailboxes/invites/" + inviteId + "/link", null).status())
			.isEqualTo(404);
		var bulk = api.bearer(limitedKey, "POST", "/api/v1/mailboxes/invites:bulk-cancel", Map.of("ids", List.of(inviteId)));
		assertThat(bulk.json().get("items").get(0).get("error").get("code").asString()).isEqualTo("not_found");

		var after = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/invites/" + inviteId, null);
		assertThat(after.text("status")).isEqualTo("pending");
		assertThat(after.json().get("send_count").asInt()).isZero();

		// and on its own domain the same key shares and lists as usual
		String here = shared(allowed, "here", mailbox(allowed, "dave"));
		assertThat(api.bearer(limitedKey, "POST", "/api/v1/mailboxes/" + here + "/access-invites",
				Map.of("permission", "read_only")).status()).isEqualTo(201);
		assertThat(api.bearer(limitedKey, "GET", "/api/v1/mailboxes/" + here + "/access-invites", null).json()
			.get("items")).hasSize(1);
	}

	@Test
	void theAuditLogIsRefusedToADomainLimitedKey() {
		var refused = api.bearer(tenant.apiKey(), "POST", "/api/v1/api-keys",
				Map.of("name", "auditor", "scopes", List.of("audit:read"), "domain_ids", List.of(allowed)));
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.code()).isEqualTo("invalid_scope");

		// a key made before this rule still cannot read it: the service refuses any domain-limited key
		Actor limited = new Actor(Actor.Kind.API_KEY, tenant.ownerId(), tenant.ownerEmail(), tenant.orgId(),
				OrgRole.OWNER, UUID.randomUUID(), Set.of("audit:read"), Set.of(UUID.fromString(allowed)), null);
		assertThatThrownBy(() -> audit.list(limited, null, null, null, PageRequest.of(null, null)))
			.isInstanceOfSatisfying(MailroomException.class, e -> {
				assertThat(e.status().value()).isEqualTo(403);
				assertThat(e.code()).isEqualTo("insufficient_scope");
			});

		mailbox(other, "erin");
		var events = api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?action=mailbox.created", null);
		assertThat(events.status()).as("an unlimited key reads the whole log").isEqualTo(200);
		assertThat(events.raw().body()).contains("erin@");
	}

	@Test
	void memberCandidatesOnAnotherDomainAnswerLikeAnotherOrganizationsMailbox() {
		String near = mailbox(allowed, "frank");
		String far = mailbox(other, "grace");
		TestApi.Tenant stranger = api.newTenant("starter");
		String foreign = new TestApi(port).bearer(stranger.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId(stranger, api.activeDomain(stranger, "foreign")), "local_part", "heidi",
						"password", PW)).json().get("mailbox").get("id").asString();

		var farMember = api.bearer(limitedKey, "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", allowed,
				"local_part", "desk", "members", List.of(Map.of("mailbox_id", far))));
		var foreignMember = api.bearer(limitedKey, "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", allowed,
				"local_part", "desk", "members", List.of(Map.of("mailbox_id", foreign))));
		assertThat(farMember.status()).isEqualTo(foreignMember.status()).isEqualTo(422);
		assertThat(farMember.code()).isEqualTo(foreignMember.code()).isEqualTo("not_found");

		String desk = shared(allowed, "desk", near);
		var add = api.bearer(limitedKey, "POST", "/api/v1/mailboxes/" + desk + "/members",
				Map.of("members", List.of(Map.of("mailbox_id", far))));
		assertThat(add.status()).isEqualTo(422);
		assertThat(add.code()).isEqualTo("not_found");
		String convertible = mailbox(allowed, "ivan");
		assertThat(api.bearer(limitedKey, "POST", "/api/v1/mailboxes/" + convertible + "/convert-to-shared",
				Map.of("members", List.of(Map.of("mailbox_id", far)))).code()).isEqualTo("not_found");

		// the owner adds the far mailbox: the limited key neither sees nor changes that member
		assertThat(api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/" + desk + "/members",
				Map.of("members", List.of(Map.of("mailbox_id", far)))).status()).isEqualTo(201);
		var members = api.bearer(limitedKey, "GET", "/api/v1/mailboxes/" + desk + "/members", null);
		assertThat(members.status()).isEqualTo(200);
		assertThat(ids(members)).containsExactly(near);
		assertThat(api.bearer(limitedKey, "PATCH", "/api/v1/mailboxes/" + desk + "/members/" + far,
				Map.of("permission", "read_only")).status()).isEqualTo(404);
		assertThat(api.bearer(limitedKey, "DELETE", "/api/v1/mailboxes/" + desk + "/members/" + far, null).status())
			.isEqualTo(404);
		var all = api.bearer(tenant.apiKey(), "GET", "/api/v1/mailboxes/" + desk + "/members", null);
		assertThat(ids(all)).containsExactlyInAnyOrder(near, far);
		all.json().get("items").forEach(m -> assertThat(m.get("permission").asString()).isEqualTo("reply"));
		// the candidates a limited key lists are its own domain's mailboxes only
		assertThat(ids(api.bearer(limitedKey, "GET", "/api/v1/mailboxes?kind=regular", null))).contains(near)
			.doesNotContain(far);
	}

	private static List<String> ids(TestApi.Response page) {
		List<String> ids = new ArrayList<>();
		page.json().get("items").forEach(i -> ids.add(i.has("mailbox_id") ? i.get("mailbox_id").asString()
				: i.get("id").asString()));
		return ids;
	}

	private String mailbox(String domainId, String localPart) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "password", PW));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.json().get("mailbox").get("id").asString();
	}

	private String shared(String domainId, String localPart, String member) {
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes", Map.of("domain_id", domainId,
				"local_part", localPart, "members", List.of(Map.of("mailbox_id", member))));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return created.text("id");
	}

	private String domainId(String name) {
		return domainId(tenant, name);
	}

	private String domainId(TestApi.Tenant owner, String name) {
		for (var domain : api.bearer(owner.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (domain.get("name").asString().equals(name)) {
				return domain.get("id").asString();
			}
		}
		throw new IllegalStateException("no domain " + name);
	}
}
