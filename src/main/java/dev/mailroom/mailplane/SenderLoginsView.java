package dev.mailroom.mailplane;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * {@link FromPolicy.SenderLogins} on the {@code mailplane.sender_logins} view, through the mail
 * plane's read-only login: the milter sees exactly what Postfix's smtpd_sender_login_maps sees.
 * A database error refuses nothing by itself: it surfaces, and Postfix's milter_default_action
 * (tempfail) makes the sender try again later.
 */
final class SenderLoginsView implements FromPolicy.SenderLogins {

	private final DataSource dataSource;

	SenderLoginsView(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public boolean maySendAs(String login, String address) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement query = connection
					.prepareStatement("select 1 from mailplane.sender_logins where address = ? and login = ?")) {
			query.setString(1, address);
			query.setString(2, login);
			try (ResultSet row = query.executeQuery()) {
				return row.next();
			}
		}
		catch (SQLException e) {
			throw new IllegalStateException("sender_logins lookup failed", e);
		}
	}
}
