package dev.mailroom.mailplane;

import java.util.HashMap;
import java.util.Map;

import dev.mailroom.TestApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An organization with an active domain, for the e2e suite: creates its mailboxes and shared
 * mailboxes through the REST API, each regular one with the password {@link #PASSWORD}.
 */
public final class MailTenant {

	public static final String PASSWORD = "Correct-horse-battery-9";

	/** A created mailbox: its id and address. */
	public record Box(String id, String address) {
	}

	public final TestApi api;
	public final TestApi.Tenant tenant;
	public final String domain;
	public final String domainId;

	private MailTenant(TestApi api, TestApi.Tenant tenant, String domain, String domainId) {
		this.api = api;
		this.tenant = tenant;
		this.domain = domain;
		this.domainId = domainId;
	}

	/** A new organization on {@code plan} with an active domain named after {@code prefix}. */
	public static MailTenant create(int port, String plan, String prefix) {
		TestApi api = new TestApi(port);
		TestApi.Tenant tenant = api.newTenant(plan);
		String domain = api.activeDomain(tenant, prefix);
		String domainId = null;
		for (var d : api.bearer(tenant.apiKey(), "GET", "/api/v1/domains", null).json().get("items")) {
			if (d.get("name").asString().equals(domain)) {
				domainId = d.get("id").asString();
			}
		}
		assertThat(domainId).as("the domain just made active").isNotNull();
		return new MailTenant(api, tenant, domain, domainId);
	}

	public Box mailbox(String localPart) {
		return mailbox(localPart, null);
	}

	public Box mailbox(String localPart, Integer storageMb) {
		var body = new HashMap<String, Object>(Map.of("domain_id", domainId, "local_part", localPart, "password", PASSWORD));
		if (storageMb != null) {
			body.put("storage_allocation_mb", storageMb);
		}
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/mailboxes", body);
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		var mailbox = created.json().get("mailbox");
		return new Box(mailbox.get("id").asString(), mailbox.get("address").asString());
	}

	/** A shared mailbox with these members (mailbox id → permission). */
	public Box shared(String localPart, Map<String, String> members) {
		var list = members.entrySet().stream().map(e -> Map.of("mailbox_id", e.getKey(), "permission", e.getValue())).toList();
		var created = api.bearer(tenant.apiKey(), "POST", "/api/v1/shared-mailboxes",
				Map.of("domain_id", domainId, "local_part", localPart, "members", list));
		assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
		return new Box(created.text("id"), created.text("address"));
	}
}
