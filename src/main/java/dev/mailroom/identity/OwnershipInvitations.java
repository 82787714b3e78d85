package dev.mailroom.identity;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Ownership invitations of organizations the operator created for an existing account (V9). */
@Repository
class OwnershipInvitations {

	record Invitation(UUID id, UUID orgId, UUID userId, String email, int version, Instant expiresAt,
			Instant acceptedAt) {
	}

	private final JdbcClient jdbc;

	OwnershipInvitations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Invitation insert(UUID orgId, UUID userId, String email, Instant expiresAt) {
		UUID id = UUID.randomUUID();
		jdbc.sql("""
				insert into mailroom.ownership_invitations (id, org_id, user_id, email, expires_at)
				values (:id, :org, :user, :email, :expires)
				""").param("id", id).param("org", orgId).param("user", userId).param("email", email)
			.param("expires", java.sql.Timestamp.from(expiresAt))
			.update();
		return new Invitation(id, orgId, userId, email, 1, expiresAt, null);
	}

	Optional<Invitation> find(UUID id) {
		return jdbc.sql("select * from mailroom.ownership_invitations where id = :id")
			.param("id", id)
			.query(OwnershipInvitations::map)
			.optional();
	}

	Optional<Invitation> lock(UUID id) {
		return jdbc.sql("select * from mailroom.ownership_invitations where id = :id for update")
			.param("id", id)
			.query(OwnershipInvitations::map)
			.optional();
	}

	void accepted(UUID id) {
		jdbc.sql("update mailroom.ownership_invitations set accepted_at = now() where id = :id").param("id", id).update();
	}

	private static Invitation map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		java.sql.Timestamp accepted = rs.getTimestamp("accepted_at");
		return new Invitation(rs.getObject("id", UUID.class), rs.getObject("org_id", UUID.class),
				rs.getObject("user_id", UUID.class), rs.getString("email"), rs.getInt("version"),
				rs.getTimestamp("expires_at").toInstant(), accepted == null ? null : accepted.toInstant());
	}
}
