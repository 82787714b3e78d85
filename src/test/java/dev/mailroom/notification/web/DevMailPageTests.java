package dev.mailroom.notification.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailroom.MailroomTest;
import dev.mailroom.TestApi;
import dev.mailroom.notification.EmailMessage;
import dev.mailroom.notification.Outbox;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.OrgRole;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.ExtendedModelMap;

/**
 * The dev mail viewer's view model. The shared test context has an SMTP relay (so over HTTP the
 * viewer is a 404, see InvitationLinkPageTests); here the page is built by hand with settings
 * that have no relay, over the real outbox, to check what it would show: the organization's
 * messages with their subjects, one message with the links of its text part, and the HTML part
 * under its own locked-down policy. The pages themselves were checked in Chromium by hand.
 */
@MailroomTest
class DevMailPageTests {

	@LocalServerPort
	int port;

	final Outbox outbox;
	final MailroomSettings settings;

	DevMailPageTests(@Autowired Outbox outbox, @Autowired MailroomSettings settings) {
		this.outbox = outbox;
		this.settings = settings;
	}

	@Test
	void findsTheLinksOfATextPartInOrderEachOnce() {
		assertThat(new EmailMessage("Links", """
				Set up your mailbox here:
				http://localhost:8080/invite/abc_DEF-123

				Or (https://example.com/help). Again: http://localhost:8080/invite/abc_DEF-123
				ftp://not.a/web/link and javascript:alert(1)
				""", null).links()).containsExactly("http://localhost:8080/invite/abc_DEF-123", "https://example.com/help");
		assertThat(new EmailMessage("No text", null, null).links()).isEmpty();
	}

	@Test
	void existsOnlyWithoutARelay() {
		assertThat(DevMailPage.enabled(settings)).isFalse();
		assertThat(DevMailPage.enabled(withSmtpHost(""))).isTrue();
		assertThat(DevMailPage.enabled(withSmtpHost("smtp.example.com"))).isFalse();
		DevMailPage withRelay = new DevMailPage(outbox, settings);
		assertThatThrownBy(() -> withRelay.list(null, new ExtendedModelMap())).isInstanceOf(MailroomException.class)
			.extracting(e -> ((MailroomException) e).status())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void showsTheOrganizationsMessagesAndOneMessageWithItsLinksAndASandboxedHtmlPart() {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant("starter");
		String domain = "devmail-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		String domainId = api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", domain)).text("id");
		api.operator("POST", "/api/v1/operator/domains/" + domainId + "/mark-verified", null);
		String recipient = "viewer-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.test";
		TestApi.Response sent = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes/invites",
				Map.of("domain_id", domainId, "recipient_email", recipient));
		assertThat(sent.status()).isEqualTo(201);

		DevMailPage page = new DevMailPage(outbox, withSmtpHost(""));
		Actor owner = new Actor(Actor.Kind.USER, tenant.ownerId(), tenant.ownerEmail(), tenant.orgId(), OrgRole.OWNER, null,
				null, null, "127.0.0.1");
		ExtendedModelMap model = new ExtendedModelMap();
		assertThat(page.list(owner, model)).isEqualTo("notification/dev-mail");
		@SuppressWarnings("unchecked")
		List<DevMailPage.Row> rows = (List<DevMailPage.Row>) model.get("rows");
		assertThat(rows).hasSize(1);
		assertThat(rows.getFirst().delivery().recipient()).isEqualTo(recipient);
		assertThat(rows.getFirst().subject()).contains(domain);

		UUID id = rows.getFirst().delivery().id();
		ExtendedModelMap one = new ExtendedModelMap();
		page.show(owner, id, one);
		DevMailPage.Shown shown = (DevMailPage.Shown) one.get("shown");
		assertThat(shown.links()).containsExactly(sent.text("link"));
		assertThat(shown.message().text()).contains(sent.text("link"));

		ResponseEntity<String> html = page.html(owner, id);
		assertThat(html.getBody()).contains("href=\"" + sent.text("link") + "\"");
		assertThat(html.getHeaders().getFirst("Content-Security-Policy")).contains("default-src 'none'")
			.contains("sandbox")
			.contains("frame-ancestors 'self'")
			.doesNotContain("script-src");
		assertThat(html.getHeaders().getContentType().toString()).startsWith("text/html");

		// a member of the organization may not read its mail; another organization sees none of it
		Actor member = new Actor(Actor.Kind.USER, UUID.randomUUID(), "m@example.test", tenant.orgId(), OrgRole.MEMBER,
				null, null, null, "127.0.0.1");
		assertThatThrownBy(() -> page.list(member, new ExtendedModelMap())).isInstanceOf(MailroomException.class);
		TestApi.Tenant other = api.newTenant("starter");
		Actor stranger = new Actor(Actor.Kind.USER, other.ownerId(), other.ownerEmail(), other.orgId(), OrgRole.OWNER,
				null, null, null, "127.0.0.1");
		ExtendedModelMap theirs = new ExtendedModelMap();
		page.list(stranger, theirs);
		assertThat((List<?>) theirs.get("rows")).isEmpty();
		assertThatThrownBy(() -> page.show(stranger, id, new ExtendedModelMap())).isInstanceOf(MailroomException.class)
			.extracting(e -> ((MailroomException) e).status())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	private MailroomSettings withSmtpHost(String host) {
		MailroomSettings s = settings;
		return new MailroomSettings(s.dataDir(), s.baseUrl(), s.operatorToken(), s.secret(), s.signupEnabled(),
				s.trashRetentionDays(), s.dnsResolver(), s.mailFrom(), s.maxRequestBytes(), s.allowReservedLocalParts(),
				s.rateLimits(), s.database(), new MailroomSettings.Smtp(host, 25, null, null, false), s.mailplane());
	}
}
