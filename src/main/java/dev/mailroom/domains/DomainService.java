package dev.mailroom.domains;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.organization.Limits;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.DomainNames;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.ServerSecrets;
import dev.mailroom.platform.Tenancy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Domains: add, list, verify over DNS, operator mark-verified, delete. A pending domain is a
 * claim: several organizations may claim one name, the first proven over DNS (or marked verified
 * by the operator) wins, and a claim expires {@value Domains#CLAIM_DAYS} days after it was added.
 * No answer says which organization holds a name.
 */
@Service
public class DomainService {

	private final Domains domains;
	private final DnsTxtLookup dns;
	private final OrganizationService organizations;
	private final Tenancy tenancy;
	private final AuditLog audit;
	private final ObjectProvider<DomainInUse> users;

	DomainService(Domains domains, DnsTxtLookup dns, OrganizationService organizations, Tenancy tenancy,
			AuditLog audit, ObjectProvider<DomainInUse> users) {
		this.domains = domains;
		this.dns = dns;
		this.organizations = organizations;
		this.tenancy = tenancy;
		this.audit = audit;
		this.users = users;
	}

	/**
	 * Adds a pending claim (IDN stored as punycode) with its own TXT token. 422
	 * {@code invalid_domain}; 409 {@code domain_taken} if this organization already has the name
	 * or any organization has it active (another organization's pending claim does not count);
	 * 409 {@code plan_limit_reached} at the plan's domain limit (checked under the organization's
	 * lock). The organization's own expired claim for the name is replaced.
	 */
	@Transactional
	public DomainView add(Actor actor, String name) {
		actor.requireScope("domains:write");
		actor.requireAdmin();
		String normalised = DomainNames.normalise(name);
		Limits limits = organizations.lockForLimitCheck(actor.orgId());
		domains.deleteExpiredClaim(actor.orgId(), normalised);
		if (domains.count(actor.orgId()) >= limits.domains()) {
			throw new MailroomException(HttpStatus.CONFLICT, "plan_limit_reached",
					"Your plan allows " + limits.domains() + " domain(s); upgrade your plan or delete unused domains");
		}
		// Saying "in use" here tells no more than public DNS does: an active domain's MX points at
		// this installation, which accepts its mail. It never says by whom.
		if (domains.nameActive(normalised)) {
			throw takenElsewhere();
		}
		UUID id = UUID.randomUUID();
		if (!domains.insert(id, actor.orgId(), normalised, ServerSecrets.randomToken(18))) {
			throw MailroomException.conflict("domain_taken", "You have already added this domain");
		}
		audit.record(actor, actor.orgId(), "domain.added", "domain:" + id, Map.of("name", normalised));
		return domains.find(id).orElseThrow();
	}

	@Transactional(readOnly = true)
	public Page<DomainView> list(Actor actor, String status, PageRequest page) {
		actor.requireScope("domains:read");
		tenancy.enter(actor.orgId());
		PageRequest.Keyset after = page.afterKeyset();
		if (status != null && !status.equals("pending") && !status.equals("active")) {
			throw MailroomException.invalid("status", "invalid_status", "status is pending or active");
		}
		List<DomainView> rows = domains.page(actor.orgId(), after == null ? null : after.timestamp(), after == null ? null : after.id(), status,
				page.limit() + 1)
			.stream()
			.filter(d -> actor.mayUseDomain(d.id()))
			.toList();
		return Page.of(rows, page, d -> PageRequest.keyset(d.createdAt(), d.id()));
	}

	/**
	 * How many domains the actor may see, by status ({@code pending}, {@code active}); a status
	 * with none is absent. Bounded by the plan's domain limit.
	 */
	@Transactional(readOnly = true)
	public Map<String, Long> countByStatus(Actor actor) {
		actor.requireScope("domains:read");
		tenancy.enter(actor.orgId());
		return domains.page(actor.orgId(), null, null, null, Integer.MAX_VALUE)
			.stream()
			.filter(d -> actor.mayUseDomain(d.id()))
			.collect(Collectors.groupingBy(DomainView::status, Collectors.counting()));
	}

	/**
	 * How many domains count toward the organization's plan: active ones and pending claims that
	 * have not expired.
	 */
	@Transactional(readOnly = true)
	public long count(UUID orgId) {
		tenancy.enter(orgId);
		return domains.count(orgId);
	}

	/** The domain, or 404 if it is unknown, another organization's, or outside the key's limit. */
	@Transactional(readOnly = true)
	public DomainView get(Actor actor, UUID id) {
		actor.requireScope("domains:read");
		return visible(actor, id);
	}

	/**
	 * A domain of {@code orgId} without an actor, for flows that act for an organization on
	 * someone's behalf (an invitation link). 404 when it is not that organization's.
	 */
	@Transactional(readOnly = true)
	public DomainView find(UUID orgId, UUID id) {
		tenancy.enter(orgId);
		return domains.find(id)
			.filter(d -> d.organizationId().equals(orgId))
			.orElseThrow(() -> MailroomException.notFound("Domain"));
	}

	/** Whether every id is a domain of {@code orgId}. */
	@Transactional(readOnly = true)
	public boolean allBelongTo(UUID orgId, List<UUID> ids) {
		tenancy.enter(orgId);
		return domains.countIn(orgId, ids) == new HashSet<>(ids).size();
	}

	/**
	 * Looks the TXT record up for real and activates the domain when it is there; 409
	 * {@code dns_record_not_found} otherwise, 503 {@code dns_unavailable} when DNS fails. 409
	 * {@code domain_claim_expired} for an expired claim; 409 {@code domain_taken} when another
	 * organization's claim for the name was verified first (even in a race: the database decides).
	 */
	@Transactional
	public DomainView verify(Actor actor, UUID id) {
		actor.requireScope("domains:write");
		actor.requireAdmin();
		DomainView domain = visible(actor, id);
		if (domain.active()) {
			return domain;
		}
		requireClaimable(domain);
		List<String> values;
		try {
			values = dns.txt(domain.verificationName());
		}
		catch (DnsTxtLookup.DnsUnavailableException e) {
			throw new MailroomException(HttpStatus.SERVICE_UNAVAILABLE, "dns_unavailable",
					"The DNS lookup failed; try again in a minute");
		}
		if (values.stream().map(String::strip).noneMatch(domain.verificationValue()::equals)) {
			throw new MailroomException(HttpStatus.CONFLICT, "dns_record_not_found",
					"No TXT record " + domain.verificationName() + " with value " + domain.verificationValue()
							+ " was found yet; DNS changes can take a while to appear",
					List.of(), Map.of("verification", Map.of("type", "TXT", "name", domain.verificationName(), "value",
							domain.verificationValue())));
		}
		if (activate(id)) {
			audit.record(actor, actor.orgId(), "domain.verified", "domain:" + id, Map.of("name", domain.name()));
		}
		return domains.find(id).orElseThrow();
	}

	/**
	 * Operator: activates a domain without DNS, under the same rules as {@link #verify} (an
	 * expired claim or a name another organization has active is refused). Unknown id → 404.
	 */
	@Transactional
	public DomainView markVerified(Actor operator, UUID id) {
		if (!operator.isOperator()) {
			throw MailroomException.forbidden("Only the operator may skip DNS verification");
		}
		tenancy.enterOperator();
		DomainView domain = domains.find(id).orElseThrow(() -> MailroomException.notFound("Domain"));
		tenancy.enter(domain.organizationId());
		if (domain.active()) {
			return domain;
		}
		requireClaimable(domain);
		if (activate(id)) {
			audit.record(operator, domain.organizationId(), "domain.marked_verified", "domain:" + id,
					Map.of("name", domain.name()));
		}
		return domains.find(id).orElseThrow();
	}

	/**
	 * Deletes the claims that expired (in every organization); returns how many. Safe on every
	 * instance at once: a claim verified or deleted meanwhile is left alone.
	 */
	@Transactional
	public int deleteExpiredClaims(int max) {
		tenancy.enterOperator();
		int deleted = 0;
		for (DomainView claim : domains.expiredClaims(max)) {
			tenancy.enter(claim.organizationId());
			if (domains.deleteIfExpired(claim.id())) {
				audit.record(Actor.operator(null), claim.organizationId(), "domain.claim_expired", "domain:" + claim.id(),
						Map.of("name", claim.name()));
				deleted++;
			}
		}
		return deleted;
	}

	/**
	 * Deletes a domain; 409 {@code domain_in_use} while mailboxes (the recycle bin included) or
	 * pending invites use it. What only refers to it (dead invites) is deleted with it.
	 */
	@Transactional
	public void delete(Actor actor, UUID id) {
		actor.requireScope("domains:write");
		actor.requireAdmin();
		DomainView domain = visible(actor, id);
		organizations.lockForLimitCheck(actor.orgId());
		// looked up lazily: the modules that implement it depend on this service
		for (DomainInUse user : users.orderedStream().toList()) {
			String reason = user.reasonInUse(actor.orgId(), id);
			if (reason != null) {
				throw MailroomException.conflict("domain_in_use", reason);
			}
		}
		for (DomainInUse user : users.orderedStream().toList()) {
			user.release(actor.orgId(), id);
		}
		domains.delete(id);
		audit.record(actor, actor.orgId(), "domain.deleted", "domain:" + id, Map.of("name", domain.name()));
	}

	/** Requires an active domain of the actor's organization (for mailboxes and invites). */
	@Transactional(readOnly = true)
	public DomainView requireActive(Actor actor, UUID id) {
		DomainView domain = visible(actor, id);
		if (!domain.active()) {
			throw MailroomException.conflict("domain_not_active", "Verify the domain before adding mailboxes to it");
		}
		return domain;
	}

	/**
	 * Activates a pending claim under its row lock; {@code false} when a parallel request of this
	 * organization activated it first. The partial unique index on active names turns a race
	 * between two organizations into {@code domain_taken} for the loser.
	 */
	private boolean activate(UUID id) {
		DomainView locked = domains.lock(id).orElseThrow(() -> MailroomException.notFound("Domain"));
		if (locked.active()) {
			return false;
		}
		requireClaimable(locked);
		try {
			domains.activate(id);
		}
		catch (DuplicateKeyException e) {
			throw takenElsewhere();
		}
		return true;
	}

	/** A pending claim may still be activated: not expired, and no organization has the name active. */
	private void requireClaimable(DomainView claim) {
		if (claim.claimExpired()) {
			throw MailroomException.conflict("domain_claim_expired", "This claim expired " + Domains.CLAIM_DAYS
					+ " days after it was added; add the domain again to get a new TXT record");
		}
		if (domains.nameActive(claim.name())) {
			throw takenElsewhere();
		}
	}

	// one message whoever holds the name: it must not tell one organization about another
	private static MailroomException takenElsewhere() {
		return MailroomException.conflict("domain_taken", "This domain is already in use on Mailroom");
	}

	private DomainView visible(Actor actor, UUID id) {
		tenancy.enter(actor.orgId());
		return domains.find(id)
			.filter(d -> d.organizationId().equals(actor.orgId()) && actor.mayUseDomain(d.id()))
			.orElseThrow(() -> MailroomException.notFound("Domain"));
	}
}
