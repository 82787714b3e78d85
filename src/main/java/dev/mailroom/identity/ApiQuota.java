package dev.mailroom.identity;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

import dev.mailroom.organization.OrganizationService;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.Tenancy;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts API calls per organization and user per UTC day. The organization's counter is
 * incremented only while under its limit, in one statement, so concurrent calls cannot
 * overshoot it; past it, 429 {@code daily_quota_exceeded} with {@code Retry-After}.
 */
@Component
public class ApiQuota {

	private final JdbcClient jdbc;
	private final Tenancy tenancy;
	private final OrganizationService organizations;

	ApiQuota(JdbcClient jdbc, Tenancy tenancy, OrganizationService organizations) {
		this.jdbc = jdbc;
		this.tenancy = tenancy;
		this.organizations = organizations;
	}

	@Transactional
	public void count(Actor actor) {
		if (actor.orgId() == null || actor.userId() == null) {
			return;
		}
		tenancy.enter(actor.orgId());
		int limit = organizations.limits(actor.orgId()).apiCallsPerDay();
		LocalDate day = LocalDate.now(ZoneOffset.UTC);
		Optional<Integer> calls = jdbc.sql("""
				insert into mailroom.api_quota as q (org_id, day, calls) values (:org, :day, 1)
				on conflict (org_id, day) do update set calls = q.calls + 1 where q.calls < :limit
				returning calls
				""").param("org", actor.orgId()).param("day", day).param("limit", limit).query(Integer.class).optional();
		if (calls.isEmpty() || calls.get() > limit) {
			long retryAfter = Duration.between(ZonedDateTime.now(ZoneOffset.UTC),
					day.plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds() + 1;
			throw new MailroomException(HttpStatus.TOO_MANY_REQUESTS, "daily_quota_exceeded",
					"Your organization used its " + limit + " API calls for today; the quota resets at 00:00 UTC",
					java.util.List.of(), Map.of("retry_after_seconds", retryAfter));
		}
		jdbc.sql("""
				insert into mailroom.api_usage as u (org_id, user_id, day, calls) values (:org, :user, :day, 1)
				on conflict (org_id, day, user_id) do update set calls = u.calls + 1
				""").param("org", actor.orgId()).param("user", actor.userId()).param("day", day).update();
	}

	/** Calls made today in the organization, per user (users without calls are absent). */
	@Transactional(readOnly = true)
	public Map<java.util.UUID, Integer> usedTodayByUser(java.util.UUID orgId) {
		tenancy.enter(orgId);
		Map<java.util.UUID, Integer> result = new java.util.HashMap<>();
		jdbc.sql("select user_id, calls from mailroom.api_usage where org_id = :org and day = :day")
			.param("org", orgId)
			.param("day", LocalDate.now(ZoneOffset.UTC))
			.query((rs, n) -> Map.entry(rs.getObject(1, java.util.UUID.class), rs.getInt(2)))
			.list()
			.forEach(e -> result.put(e.getKey(), e.getValue()));
		return result;
	}

	/** Calls made today by {@code actor}'s organization. */
	@Transactional(readOnly = true)
	public int usedToday(java.util.UUID orgId) {
		tenancy.enter(orgId);
		return jdbc.sql("select coalesce(sum(calls), 0) from mailroom.api_quota where org_id = :org and day = :day")
			.param("org", orgId)
			.param("day", LocalDate.now(ZoneOffset.UTC))
			.query(Integer.class)
			.single();
	}
}
