package dev.mailroom.domains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.mailroom.MailroomTest;
import dev.mailroom.Race;
import dev.mailroom.TestApi;
import dev.mailroom.TestApi.Response;
import dev.mailroom.TestApi.Tenant;
import dev.mailroom.TestDnsServer;
import dev.mailroom.WebSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A pending domain is a claim: it must not lock the real owner out. Names are unique among
 * active domains only, the first claim proven over DNS wins, claims expire after 7 days, and no
 * answer tells one organization about another's claim.
 */
@MailroomTest
class DomainClaimTests {

	private static final String UNIQUE_VIOLATION = "23505";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	DataSource dataSource;

	@Autowired
	DomainService domainService;

	TestApi api;
	final TestDnsServer dns = TestDnsServer.shared();
	Tenant squatter;
	Tenant owner;

	@BeforeEach
	void setUp() {
		api = new TestApi(port);
		squatter = api.newTenant("starter");
		owner = api.newTenant("starter");
	}

	@Test
	void anotherOrganizationsPendingClaimDoesNotBlockTheRealOwner() {
		String name = unique();
		Response squat = add(squatter, name);
		assertThat(squat.status()).isEqualTo(201);

		Response claim = add(owner, name);
		assertThat(claim.status()).as("a pending claim elsewhere is not revealed").isEqualTo(201);
		assertThat(claim.text("status")).isEqualTo("pending");
		assertThat(claim.json().propertyNames()).containsExactlyInAnyOrderElementsOf(squat.json().propertyNames());
		assertThat(value(claim)).as("each claim has its own token").isNotEqualTo(value(squat));
		assertThat(names(owner)).containsOnlyOnce(name);

		Response early = verify(owner, claim.text("id"));
		assertThat(early.code()).as("the other claim plays no part before a verification").isEqualTo("dns_record_not_found");

		dns.publishTxt(recordName(claim), value(claim));
		Response verified = verify(owner, claim.text("id"));
		assertThat(verified.status()).isEqualTo(200);
		assertThat(verified.text("status")).isEqualTo("active");
		assertThat(verified.json().get("expires_at").isNull()).isTrue();

		Response mailbox = api.bearer(owner.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", claim.text("id"), "local_part", "ceo"));
		assertThat(mailbox.status()).as("the winner hosts mail").isEqualTo(201);
	}

	@Test
	void onceAClaimIsVerifiedTheOthersAreRefusedWithoutSayingByWhom() {
		String name = unique();
		Response squat = add(squatter, name);
		Response claim = add(owner, name);
		dns.publishTxt(recordName(claim), value(claim));
		assertThat(verify(owner, claim.text("id")).status()).isEqualTo(200);

		// even with its own record published the late claim loses: the name is the winner's
		dns.publishTxt(recordName(squat), value(squat));
		Response late = verify(squatter, squat.text("id"));
		assertThat(late.status()).isEqualTo(409);
		assertThat(late.code()).isEqualTo("domain_taken");
		assertRevealsNothingAbout(owner, late);
		assertThat(status(squatter, squat.text("id"))).isEqualTo("pending");

		Response operator = api.operator("POST", "/api/v1/operator/domains/" + squat.text("id") + "/mark-verified", null);
		assertThat(operator.status()).as("the operator follows the same rule").isEqualTo(409);
		assertThat(operator.code()).isEqualTo("domain_taken");
		assertThat(status(squatter, squat.text("id"))).isEqualTo("pending");

		Response mailbox = api.bearer(squatter.apiKey(), "POST", "/api/v1/mailboxes",
				Map.of("domain_id", squat.text("id"), "local_part", "ceo"));
		assertThat(mailbox.status()).isEqualTo(409);
		assertThat(mailbox.code()).as("the losing claim can hold no mailbox").isEqualTo("domain_not_active");

		Tenant third = api.newTenant("starter");
		Response later = add(third, name);
		assertThat(later.status()).as("an active name is taken").isEqualTo(409);
		assertThat(later.code()).isEqualTo("domain_taken");
		assertThat(later.json().get("detail") == null ? null : later.json().get("detail").asString())
			.isEqualTo(late.json().get("detail") == null ? null : late.json().get("detail").asString());
		assertRevealsNothingAbout(owner, later);
		assertRevealsNothingAbout(squatter, later);
	}

	@Test
	void theOperatorsMarkVerifiedIsAlsoFirstComeFirstServed() {
		String name = unique();
		Response first = add(squatter, name);
		Response second = add(owner, name);

		assertThat(api.operator("POST", "/api/v1/operator/domains/" + second.text("id") + "/mark-verified", null).status())
			.isEqualTo(200);
		Response refused = api.operator("POST", "/api/v1/operator/domains/" + first.text("id") + "/mark-verified", null);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.code()).isEqualTo("domain_taken");

		dns.publishTxt(recordName(first), value(first));
		assertThat(verify(squatter, first.text("id")).code()).isEqualTo("domain_taken");
	}

	@Test
	void twoConcurrentVerificationsOfOneNameHaveExactlyOneWinner() throws Exception {
		for (int round = 0; round < 3; round++) {
			String name = unique();
			List<Tenant> claimants = List.of(squatter, owner, api.newTenant("starter"), api.newTenant("starter"));
			List<String> ids = new ArrayList<>();
			for (Tenant tenant : claimants) {
				Response claim = add(tenant, name);
				assertThat(claim.status()).isEqualTo(201);
				dns.publishTxt(recordName(claim), value(claim));
				ids.add(claim.text("id"));
			}
			List<String> codes = new ArrayList<>();
			List<Integer> statuses = Race.of(claimants.size(), i -> {
				Response response = verify(claimants.get(i), ids.get(i));
				synchronized (codes) {
					codes.add(response.code());
				}
				return response.status();
			});

			assertThat(statuses).as("round %d", round).containsOnly(200, 409);
			assertThat(statuses).filteredOn(s -> s == 200).as("round %d", round).hasSize(1);
			assertThat(codes).filteredOn(c -> c != null).as("round %d", round).hasSize(claimants.size() - 1)
				.containsOnly("domain_taken");
			long active = 0;
			for (int i = 0; i < claimants.size(); i++) {
				if (status(claimants.get(i), ids.get(i)).equals("active")) {
					active++;
				}
			}
			assertThat(active).as("round %d", round).isEqualTo(1);
		}
	}

	@Test
	void theDatabaseRefusesASecondActiveDomainOfOneNameWhateverTheApplicationChecks() throws SQLException {
		String name = unique();
		Response claim = add(owner, name);
		UUID other = add(squatter, name).id("id");
		assertThat(api.operator("POST", "/api/v1/operator/domains/" + claim.text("id") + "/mark-verified", null).status())
			.isEqualTo(200);

		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement set = connection.prepareStatement("select set_config('mailroom.org_id', ?, true)")) {
				set.setString(1, squatter.orgId().toString());
				set.executeQuery();
			}
			try (PreparedStatement check = connection.prepareStatement("select mailroom.domain_name_active(?)")) {
				check.setString(1, name);
				try (ResultSet rs = check.executeQuery()) {
					assertThat(rs.next() && rs.getBoolean(1)).as("a yes/no answer about another tenant's name").isTrue();
				}
			}
			try (PreparedStatement visible = connection.prepareStatement("select id from mailroom.domains");
					ResultSet rs = visible.executeQuery()) {
				List<UUID> ids = new ArrayList<>();
				while (rs.next()) {
					ids.add(rs.getObject(1, UUID.class));
				}
				assertThat(ids).as("the check left no wider view behind").containsExactly(other);
			}
			try (PreparedStatement update = connection
				.prepareStatement("update mailroom.domains set status = 'active' where id = ?")) {
				update.setObject(1, other);
				assertThatThrownBy(update::executeUpdate).isInstanceOfSatisfying(SQLException.class,
						e -> assertThat(e.getSQLState()).isEqualTo(UNIQUE_VIOLATION));
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		}
	}

	@Test
	void theLoserOfARaceThatPassedEveryCheckGetsDomainTakenFromTheIndex() throws Exception {
		String name = unique();
		Response winner = add(owner, name);
		Response loser = add(squatter, name);
		dns.publishTxt(recordName(loser), value(loser));

		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement set = connection.prepareStatement("select set_config('mailroom.org_id', ?, true)")) {
				set.setString(1, owner.orgId().toString());
				set.executeQuery();
			}
			// the winner's activation, not yet committed: invisible to the loser's checks, but
			// holding the name in the unique index
			try (PreparedStatement update = connection
				.prepareStatement("update mailroom.domains set status = 'active', verified_at = now() where id = ?")) {
				update.setObject(1, winner.id("id"));
				assertThat(update.executeUpdate()).isEqualTo(1);
			}
			ExecutorService pool = Executors.newSingleThreadExecutor();
			try {
				Future<Response> racing = pool.submit(() -> verify(squatter, loser.text("id")));
				awaitBlockedOnTheIndex(racing);
				connection.commit();
				Response response = racing.get(30, TimeUnit.SECONDS);
				assertThat(response.status()).isEqualTo(409);
				assertThat(response.code()).isEqualTo("domain_taken");
				assertRevealsNothingAbout(owner, response);
			}
			finally {
				pool.shutdownNow();
				connection.setAutoCommit(true);
			}
		}
		assertThat(status(squatter, loser.text("id"))).isEqualTo("pending");
		assertThat(status(owner, winner.text("id"))).isEqualTo("active");
	}

	/** Waits until an application connection waits for a lock while activating a domain. */
	private void awaitBlockedOnTheIndex(Future<Response> racing) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		try (Connection watcher = dataSource.getConnection();
				PreparedStatement waiting = watcher.prepareStatement("""
						select count(*) from pg_stat_activity
						where wait_event_type = 'Lock' and query like 'update mailroom.domains set status = ''active''%'
						""")) {
			while (System.nanoTime() < deadline) {
				assertThat(racing.isDone()).as("the racing verify waits for the winner").isFalse();
				try (ResultSet rs = waiting.executeQuery()) {
					if (rs.next() && rs.getLong(1) > 0) {
						return;
					}
				}
				Thread.sleep(20);
			}
		}
		throw new AssertionError("the racing verify never reached the activation");
	}

	@Test
	void aClaimExpiresAfterSevenDaysAndIsThenDeleted() {
		Response claim = add(squatter, unique());
		String id = claim.text("id");
		Instant expires = Instant.parse(claim.text("expires_at"));
		assertThat(Duration.between(Instant.parse(claim.text("created_at")), expires)).isEqualTo(Duration.ofDays(7));
		dns.publishTxt(recordName(claim), value(claim));
		Response fresh = add(squatter, unique());

		age(squatter, id, Duration.ofDays(7).plusMinutes(1));
		age(squatter, fresh.text("id"), Duration.ofDays(6));

		Response got = api.bearer(squatter.apiKey(), "GET", "/api/v1/domains/" + id, null);
		assertThat(Instant.parse(got.text("expires_at"))).isBefore(Instant.now());
		Response refused = verify(squatter, id);
		assertThat(refused.status()).as("the record is published, but the claim is too old").isEqualTo(409);
		assertThat(refused.code()).isEqualTo("domain_claim_expired");
		Response operator = api.operator("POST", "/api/v1/operator/domains/" + id + "/mark-verified", null);
		assertThat(operator.code()).isEqualTo("domain_claim_expired");
		assertThat(status(squatter, id)).isEqualTo("pending");

		assertThat(domainService.deleteExpiredClaims(10_000)).isPositive();

		assertThat(api.bearer(squatter.apiKey(), "GET", "/api/v1/domains/" + id, null).status()).isEqualTo(404);
		assertThat(status(squatter, fresh.text("id"))).as("a six-day-old claim stays").isEqualTo("pending");
		assertThat(auditActions(squatter, "domain.claim_expired")).containsExactly("domain.claim_expired");
	}

	@Test
	void anExpiredClaimFreesItsPlanSlotAndItsNameCanBeClaimedAgain() {
		Tenant tenant = api.newTenant("starter");
		assertThat(api.operator("PATCH", "/api/v1/operator/organizations/" + tenant.orgId(),
				Map.of("limits", Map.of("domains", 1))).status()).isEqualTo(200);
		String name = unique();
		Response claim = add(tenant, name);
		assertThat(add(tenant, unique()).code()).isEqualTo("plan_limit_reached");

		age(tenant, claim.text("id"), Duration.ofDays(8));

		Response again = add(tenant, name);
		assertThat(again.status()).as("the expired claim neither counts nor holds the name").isEqualTo(201);
		assertThat(again.text("id")).isNotEqualTo(claim.text("id"));
		assertThat(value(again)).as("a new claim, a new token").isNotEqualTo(value(claim));
		assertThat(api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/" + claim.text("id"), null).status()).isEqualTo(404);
		assertThat(names(tenant)).containsExactly(name);
		dns.publishTxt(recordName(again), value(again));
		assertThat(verify(tenant, again.text("id")).text("status")).isEqualTo("active");
	}

	@Test
	void theDomainsPageSaysByWhenToVerifyAndOffersNoVerifyForAnExpiredClaim() {
		Response fresh = add(squatter, unique());
		Response old = add(squatter, unique());
		age(squatter, old.text("id"), Duration.ofDays(8));

		WebSession session = WebSession.signIn(api.base(), squatter.ownerEmail(), TestApi.PASSWORD);
		session.post("/organizations/switch", Map.of("organization_id", squatter.orgId().toString()), "/dashboard");
		HttpResponse<String> page = session.get("/domains");

		assertThat(page.statusCode()).isEqualTo(200);
		String freshCard = card(page.body(), fresh.text("id"));
		String oldCard = card(page.body(), old.text("id"));
		assertThat(freshCard).contains("verify by").contains("/verify").doesNotContain("This claim expired");
		assertThat(oldCard).contains("This claim expired").doesNotContain("/verify").doesNotContain(value(old));
	}

	/** The HTML of one domain's card on the page. */
	private static String card(String html, String id) {
		int start = html.indexOf("id=\"domain-" + id + "\"");
		assertThat(start).as("the card of %s", id).isPositive();
		int end = html.indexOf("</article>", start);
		return html.substring(start, end);
	}

	/** Moves a domain's creation back in time, as if it had been added {@code ago} earlier. */
	private void age(Tenant tenant, String id, Duration ago) {
		transactions.executeWithoutResult(status -> {
			jdbc.sql("select set_config('mailroom.org_id', :org, true)").param("org", tenant.orgId().toString())
				.query(String.class)
				.single();
			assertThat(jdbc.sql("update mailroom.domains set created_at = created_at - make_interval(secs => :secs) where id = :id")
				.param("secs", ago.toSeconds())
				.param("id", UUID.fromString(id))
				.update()).isEqualTo(1);
		});
	}

	private void assertRevealsNothingAbout(Tenant other, Response response) {
		String body = response.raw().body();
		assertThat(body).doesNotContain(other.orgId().toString())
			.doesNotContain(other.ownerEmail())
			.doesNotContainIgnoringCase("Org " + other.ownerEmail());
	}

	private List<String> auditActions(Tenant tenant, String action) {
		Response audit = api.bearer(tenant.apiKey(), "GET", "/api/v1/audit-events?action=" + action, null);
		assertThat(audit.status()).isEqualTo(200);
		List<String> actions = new ArrayList<>();
		audit.json().get("items").forEach(item -> actions.add(item.get("action").asString()));
		return actions;
	}

	private static String unique() {
		return "claim-" + UUID.randomUUID() + ".example";
	}

	private Response add(Tenant tenant, String name) {
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/domains", Map.of("name", name));
	}

	private Response verify(Tenant tenant, String id) {
		return api.bearer(tenant.apiKey(), "POST", "/api/v1/domains/" + id + "/verify", null);
	}

	private String status(Tenant tenant, String id) {
		Response response = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains/" + id, null);
		assertThat(response.status()).isEqualTo(200);
		return response.text("status");
	}

	private List<String> names(Tenant tenant) {
		Response page = api.bearer(tenant.apiKey(), "GET", "/api/v1/domains?limit=200", null);
		assertThat(page.status()).isEqualTo(200);
		List<String> names = new ArrayList<>();
		page.json().get("items").forEach(item -> names.add(item.get("name").asString()));
		return names;
	}

	private static String recordName(Response added) {
		return added.json().get("verification").get("name").asString();
	}

	private static String value(Response added) {
		return added.json().get("verification").get("value").asString();
	}
}
