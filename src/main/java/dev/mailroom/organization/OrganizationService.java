package dev.mailroom.organization;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Names;
import dev.mailroom.platform.OrgRole;
import dev.mailroom.platform.Tenancy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Organizations, plans, limits and roles. The only entry for writes to them.
 */
@Service
public class OrganizationService {

	public static final String FREE_PLAN = "free";

	private final Organizations organizations;
	private final Tenancy tenancy;
	private final AuditLog audit;

	OrganizationService(Organizations organizations, Tenancy tenancy, AuditLog audit) {
		this.organizations = organizations;
		this.tenancy = tenancy;
		this.audit = audit;
	}

	/**
	 * Creates an organization with {@code ownerUserId} as its owner (null: no owner yet, the
	 * operator invited one), inside the caller's transaction (joins it). Unknown plan → 422
	 * {@code invalid_plan}; a blank or invalid name → 422 ({@link Names}).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public OrganizationView create(Actor actor, String orgName, String plan, boolean personal, UUID ownerUserId) {
		String name = Names.require("name", orgName, 200);
		requirePlan(plan);
		UUID id = UUID.randomUUID();
		tenancy.enter(id);
		organizations.insert(id, name, plan, personal);
		if (ownerUserId != null) {
			organizations.addMember(id, ownerUserId, OrgRole.OWNER);
		}
		audit.record(actor, id, "organization.created", "organization:" + id,
				Map.of("name", name, "plan", plan, "owner_user_id", ownerUserId == null ? "" : ownerUserId.toString()));
		return organizations.find(id).orElseThrow();
	}

	/**
	 * Operator: changes the plan and/or limit overrides. A limit given as {@code null} removes
	 * the override. Unknown organization → 404.
	 */
	@Transactional
	public OrganizationView changePlan(Actor actor, UUID orgId, String plan, Map<String, Long> limits) {
		if (!actor.isOperator()) {
			throw MailroomException.forbidden("Only the operator changes plans and limits");
		}
		tenancy.enter(orgId);
		OrganizationView current = organizations.find(orgId).orElseThrow(() -> MailroomException.notFound("Organization"));
		String newPlan = plan == null ? current.plan() : plan;
		requirePlan(newPlan);
		Map<String, Long> overrides = new HashMap<>(organizations.overrides(orgId));
		if (limits != null) {
			for (var entry : limits.entrySet()) {
				if (!Limits.NAMES.contains(entry.getKey())) {
					throw MailroomException.invalid("limits." + entry.getKey(), "unknown_limit",
							"Unknown limit " + entry.getKey());
				}
				if (entry.getValue() == null) {
					overrides.remove(entry.getKey());
				}
				else if (entry.getValue() < 0 || entry.getValue() > Integer.MAX_VALUE) {
					throw MailroomException.invalid("limits." + entry.getKey(), "out_of_range",
							"Limits are whole numbers from 0 to " + Integer.MAX_VALUE);
				}
				else {
					overrides.put(entry.getKey(), entry.getValue());
				}
			}
		}
		organizations.update(orgId, newPlan, overrides);
		audit.record(actor, orgId, "organization.plan_changed", "organization:" + orgId,
				Map.of("plan", newPlan, "overrides", overrides));
		return organizations.find(orgId).orElseThrow();
	}

	/** The organization, if the current transaction's tenant or user may see it. */
	@Transactional(readOnly = true)
	public Optional<OrganizationView> find(UUID orgId) {
		tenancy.enter(orgId);
		return organizations.find(orgId);
	}

	/** Effective limits; joins the caller's transaction (tenant already entered) if there is one. */
	@Transactional(readOnly = true)
	public Limits limits(UUID orgId) {
		tenancy.enter(orgId);
		return organizations.find(orgId).orElseThrow(() -> MailroomException.notFound("Organization")).limits();
	}

	/**
	 * Takes the organization's row lock for the rest of the caller's transaction: every check
	 * of the form "used + new ≤ limit" in the organization runs under it, so racing requests
	 * cannot both pass.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Limits lockForLimitCheck(UUID orgId) {
		tenancy.enter(orgId);
		organizations.lock(orgId);
		return limits(orgId);
	}

	@Transactional(readOnly = true)
	public Optional<OrgRole> role(UUID orgId, UUID userId) {
		tenancy.enter(orgId);
		return organizations.role(orgId, userId);
	}

	/** Whether {@code plan} is a paid plan of the catalog ({@code false} for an unknown one). */
	@Transactional(readOnly = true)
	public boolean isPaid(String plan) {
		return plan != null && organizations.planExists(plan) && organizations.isPaidPlan(plan);
	}

	/** Everyone who belongs to the organization: owners first, then by the date they joined. */
	@Transactional(readOnly = true)
	public List<OrganizationMember> members(UUID orgId) {
		tenancy.enter(orgId);
		return organizations.members(orgId);
	}

	/**
	 * Adds {@code userId} to the organization with {@code role}, in the caller's transaction (the
	 * team module checks seats first); {@code false} when they belong to it already.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean addMember(UUID orgId, UUID userId, OrgRole role) {
		tenancy.enter(orgId);
		return organizations.addMember(orgId, userId, role);
	}

	/**
	 * Ends {@code userId}'s membership, in the caller's transaction; their API keys in the
	 * organization are deleted with it. {@code false} when they did not belong to it.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean removeMember(UUID orgId, UUID userId) {
		tenancy.enter(orgId);
		return organizations.removeMember(orgId, userId);
	}

	/** Every organization the user belongs to, personal first. */
	@Transactional(readOnly = true)
	public List<MembershipView> membershipsOf(UUID userId) {
		tenancy.enterUser(userId);
		return organizations.membershipsOf(userId);
	}

	private void requirePlan(String plan) {
		if (plan == null || !organizations.planExists(plan)) {
			throw MailroomException.invalid("plan", "invalid_plan",
					"Unknown plan; use free, hobbyist, starter, pro, agency or team");
		}
	}
}
