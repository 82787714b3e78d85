package dev.mailroom.platform;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sets the organization (and user) the current transaction acts for. Row-level security
 * policies read these settings; they are transaction-local ({@code set_config(..., true)}),
 * so they vanish at commit and a pooled connection never carries them to the next request.
 */
@Component
public class Tenancy {

	private final JdbcClient jdbc;

	Tenancy(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Acts for {@code orgId} in the current transaction, which must exist. */
	public void enter(UUID orgId) {
		set("mailroom.org_id", orgId);
	}

	/** Lets the current transaction see the rows that belong to {@code userId} across organizations. */
	public void enterUser(UUID userId) {
		set("mailroom.user_id", userId);
	}

	/**
	 * Lets the current transaction read (not change) every organization's organizations and
	 * domains rows: only for operator requests, which then enter the organization they change.
	 */
	public void enterOperator() {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Tenancy needs a transaction: operator");
		}
		jdbc.sql("select set_config('mailroom.operator', 'on', true)").query(String.class).single();
	}

	private void set(String setting, UUID value) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Tenancy needs a transaction: " + setting);
		}
		jdbc.sql("select set_config(:setting, :value, true)")
			.param("setting", setting)
			.param("value", value == null ? "" : value.toString())
			.query(String.class)
			.single();
	}
}
