package dev.mailroom.identity;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.mailroom.audit.AuditLog;
import dev.mailroom.domains.DomainService;
import dev.mailroom.organization.MembershipView;
import dev.mailroom.organization.OrganizationService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Names;
import dev.mailroom.platform.OrgRole;
import dev.mailroom.platform.Tenancy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys. A token is {@code mr_} + base64url(organization id, key id, 32 random bytes): the
 * ids let the lookup run inside the organization's row-level security; only a SHA-256 of the
 * random part is stored, so a database leak yields no usable key. Shown once, at creation.
 */
@Service
public class ApiKeyService {

	public static final List<String> SCOPES = List.of("domains:read", "domains:write", "mailboxes:read",
			"mailboxes:write", "team:read", "team:write", "audit:read", "api_keys:read", "api_keys:write", "billing:read");

	/** A new key and its token (the only time the token exists in clear). */
	public record CreatedKey(ApiKeyView key, String token) {
	}

	private static final String PREFIX = "mr_";
	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;
	private final Tenancy tenancy;
	private final OrganizationService organizations;
	private final DomainService domains;
	private final AuditLog audit;
	private final IdentityService identity;

	ApiKeyService(JdbcClient jdbc, Tenancy tenancy, OrganizationService organizations, DomainService domains,
			AuditLog audit, IdentityService identity) {
		this.identity = identity;
		this.jdbc = jdbc;
		this.tenancy = tenancy;
		this.organizations = organizations;
		this.domains = domains;
		this.audit = audit;
	}

	/**
	 * Creates a key for the acting user in {@code orgId} (the user's personal organization when
	 * {@code null}). Members may only create keys limited to domains they use; unknown scopes
	 * → 422 {@code invalid_scope}; an organization the user is not in → 404. An API key creating
	 * a key needs {@code api_keys:write} and can never widen itself: only its own organization,
	 * a subset of its scopes (else 403 {@code insufficient_scope}) and, if it is limited to some
	 * domains, of those domains (absent: the same limit). {@code audit:read} cannot be limited to
	 * domains (422 {@code invalid_scope}): audit events are not bound to one domain.
	 */
	@Transactional
	public CreatedKey create(Actor user, UUID orgId, String name, List<String> scopes, List<UUID> domainIds) {
		if (user.kind() == Actor.Kind.API_KEY) {
			user.requireScope("api_keys:write");
			if (orgId != null && !orgId.equals(user.orgId())) {
				throw MailroomException.notFound("Organization");
			}
			if (scopes != null && !user.scopes().containsAll(scopes)) {
				throw new MailroomException(org.springframework.http.HttpStatus.FORBIDDEN, "insufficient_scope",
						"A key can only create keys with scopes it has itself");
			}
			if (user.domainLimited()) {
				if (domainIds == null) {
					domainIds = List.copyOf(user.domainIds());
				}
				else if (!user.domainIds().containsAll(domainIds)) {
					throw MailroomException.invalid("domain_ids", "invalid_domain",
							"A key limited to some domains can only create keys limited to those domains");
				}
			}
		}
		UUID organization = user.kind() == Actor.Kind.API_KEY ? user.orgId() : orgId != null ? orgId
				: identity.defaultMembership(user.userId())
					.map(MembershipView::orgId)
					.orElseThrow(() -> MailroomException.invalid("organization_id", "required", "Name the organization"));
		OrgRole role = organizations.role(organization, user.userId())
			.orElseThrow(() -> MailroomException.notFound("Organization"));
		Actor actor = user.inOrganization(organization, role);
		String keyName = Names.require("name", name, 100);
		if (scopes == null || scopes.isEmpty()) {
			throw MailroomException.invalid("scopes", "required", "Choose at least one scope");
		}
		for (String scope : scopes) {
			if (!SCOPES.contains(scope)) {
				throw MailroomException.invalid("scopes", "invalid_scope",
						"Unknown scope " + scope + "; use " + String.join(", ", SCOPES));
			}
		}
		if (domainIds != null && scopes.contains("audit:read")) {
			throw MailroomException.invalid("scopes", "invalid_scope",
					"audit:read cannot be limited to domains: the audit log covers the whole organization");
		}
		tenancy.enter(organization);
		if (domainIds != null && !domains.allBelongTo(organization, domainIds)) {
			throw MailroomException.invalid("domain_ids", "invalid_domain", "Every domain id must be a domain of this organization");
		}
		UUID id = UUID.randomUUID();
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		String token = PREFIX + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(ByteBuffer.allocate(64)
				.putLong(organization.getMostSignificantBits())
				.putLong(organization.getLeastSignificantBits())
				.putLong(id.getMostSignificantBits())
				.putLong(id.getLeastSignificantBits())
				.put(secret)
				.array());
		List<String> distinctScopes = List.copyOf(new LinkedHashSet<>(scopes));
		jdbc.sql("""
				insert into mailroom.api_keys (id, org_id, user_id, name, secret_hash, scopes, domain_ids)
				values (:id, :org, :user, :name, :hash, :scopes, :domains)
				""")
			.param("id", id)
			.param("org", organization)
			.param("user", user.userId())
			.param("name", keyName)
			.param("hash", sha256(secret))
			.param("scopes", distinctScopes.toArray(String[]::new))
			.param("domains", domainIds == null ? null : domainIds.toArray(UUID[]::new))
			.update();
		audit.record(actor, organization, "api_key.created", "api_key:" + id,
				Map.of("name", keyName, "scopes", distinctScopes));
		return new CreatedKey(find(id).orElseThrow(), token);
	}

	/**
	 * The keys the actor may see in its organization: their own, and for owners and admins also
	 * those of the other owners and admins — never a team member's (DESIGN.md §1.8: the owner sees
	 * members' mailbox metadata, not their keys).
	 */
	@Transactional(readOnly = true)
	public List<ApiKeyView> list(Actor actor) {
		actor.requireScope("api_keys:read");
		return visibleKeys(actor);
	}

	private List<ApiKeyView> visibleKeys(Actor actor) {
		tenancy.enter(actor.orgId());
		boolean all = actor.role() == OrgRole.OWNER || actor.role() == OrgRole.ADMIN;
		return jdbc.sql("""
				select k.* from mailroom.api_keys k
				join mailroom.memberships m on m.org_id = k.org_id and m.user_id = k.user_id
				where k.revoked_at is null and (k.user_id = :user or (:all and m.role <> 'member'))
				order by k.created_at desc, k.id
				""").param("all", all).param("user", actor.userId()).query(ApiKeyService::map).list();
	}

	/**
	 * Revokes every key {@code userId} holds in {@code orgId}, in the caller's transaction (a team
	 * member's removal); returns how many were live.
	 */
	@Transactional(propagation = org.springframework.transaction.annotation.Propagation.MANDATORY)
	public int revokeAllOf(Actor actor, UUID orgId, UUID userId) {
		tenancy.enter(orgId);
		int revoked = jdbc.sql("""
				update mailroom.api_keys set revoked_at = now()
				where org_id = :org and user_id = :user and revoked_at is null
				""").param("org", orgId).param("user", userId).update();
		if (revoked > 0) {
			audit.record(actor, orgId, "api_key.revoked_all", "user:" + userId, Map.of("count", revoked));
		}
		return revoked;
	}

	/** When each user of the organization last used one of their keys there; never-used are absent. */
	@Transactional(readOnly = true)
	public Map<UUID, java.time.Instant> lastUsedByUser(UUID orgId) {
		tenancy.enter(orgId);
		Map<UUID, java.time.Instant> result = new java.util.HashMap<>();
		jdbc.sql("""
				select user_id, max(last_used_at) from mailroom.api_keys
				where org_id = :org and last_used_at is not null group by user_id
				""")
			.param("org", orgId)
			.query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
			.list()
			.forEach(e -> result.put(e.getKey(), e.getValue()));
		return result;
	}

	@Transactional(readOnly = true)
	public ApiKeyView get(Actor actor, UUID id) {
		actor.requireScope("api_keys:read");
		return visible(actor, id);
	}

	private ApiKeyView visible(Actor actor, UUID id) {
		return visibleKeys(actor).stream().filter(k -> k.id().equals(id)).findFirst()
			.orElseThrow(() -> MailroomException.notFound("API key"));
	}

	/**
	 * Revokes a key at once (members: only their own). Through the API it needs
	 * {@code api_keys:write}, except for a key revoking itself.
	 */
	@Transactional
	public void revoke(Actor actor, UUID id) {
		if (!id.equals(actor.apiKeyId())) {
			actor.requireScope("api_keys:write");
		}
		ApiKeyView key = visible(actor, id);
		jdbc.sql("update mailroom.api_keys set revoked_at = now() where id = :id").param("id", key.id()).update();
		audit.record(actor, actor.orgId(), "api_key.revoked", "api_key:" + id, Map.of("name", key.name()));
	}

	/** The actor a presented token stands for, or empty for an unknown, revoked or malformed token. */
	@Transactional
	public Optional<Actor> authenticate(String token, String ip) {
		if (token == null || !token.startsWith(PREFIX) || token.length() != PREFIX.length() + 86) {
			return Optional.empty();
		}
		ByteBuffer bytes;
		try {
			bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token.substring(PREFIX.length())));
		}
		catch (IllegalArgumentException e) {
			return Optional.empty();
		}
		UUID org = new UUID(bytes.getLong(), bytes.getLong());
		UUID id = new UUID(bytes.getLong(), bytes.getLong());
		byte[] secret = new byte[32];
		bytes.get(secret);
		tenancy.enter(org);
		record Row(UUID userId, String email, byte[] hash, String[] scopes, UUID[] domains, String role,
				Timestamp lastUsed) {
		}
		Optional<Row> row = jdbc.sql("""
				select k.user_id, u.email, k.secret_hash, k.scopes, k.domain_ids, m.role, k.last_used_at
				from mailroom.api_keys k
				join mailroom.users u on u.id = k.user_id
				join mailroom.memberships m on m.org_id = k.org_id and m.user_id = k.user_id
				where k.id = :id and k.revoked_at is null and u.login_enabled
				""").param("id", id).query((rs, n) -> new Row(rs.getObject("user_id", UUID.class), rs.getString("email"),
				rs.getBytes("secret_hash"), array(rs.getArray("scopes"), String[].class),
				array(rs.getArray("domain_ids"), UUID[].class), rs.getString("role"), rs.getTimestamp("last_used_at")))
			.optional();
		if (row.isEmpty() || !MessageDigest.isEqual(row.get().hash(), sha256(secret))) {
			return Optional.empty();
		}
		Row key = row.get();
		if (key.lastUsed() == null || key.lastUsed().toInstant().isBefore(java.time.Instant.now().minusSeconds(60))) {
			jdbc.sql("update mailroom.api_keys set last_used_at = now() where id = :id").param("id", id).update();
		}
		Set<UUID> domainLimit = key.domains() == null ? null : Set.copyOf(Arrays.asList(key.domains()));
		return Optional.of(new Actor(Actor.Kind.API_KEY, key.userId(), key.email(), org, OrgRole.of(key.role()), id,
				Set.copyOf(Arrays.asList(key.scopes())), domainLimit, ip));
	}

	private Optional<ApiKeyView> find(UUID id) {
		return jdbc.sql("select * from mailroom.api_keys where id = :id").param("id", id).query(ApiKeyService::map)
			.optional();
	}

	private static ApiKeyView map(ResultSet rs, int row) throws SQLException {
		UUID[] domains = array(rs.getArray("domain_ids"), UUID[].class);
		return new ApiKeyView(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
				rs.getObject("user_id", UUID.class), rs.getString("name"),
				List.of(array(rs.getArray("scopes"), String[].class)), domains == null ? null : List.of(domains),
				rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("last_used_at")),
				instant(rs.getTimestamp("revoked_at")));
	}

	private static java.time.Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

	private static <T> T array(Array array, Class<T> type) throws SQLException {
		return array == null ? null : type.cast(array.getArray());
	}

	private static byte[] sha256(byte[] secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
