package dev.mailroom.mailplane;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

import com.zaxxer.hikari.HikariDataSource;
import dev.mailroom.platform.database.DatabaseCoordinates;
import org.nightcode.milter.net.MilterGatewayManager;
import org.nightcode.milter.net.ServerFactory;

/** The header From: milter on a TCP port, with a small pool on the mail plane's login. */
final class MilterServer implements AutoCloseable {

	private final MilterGatewayManager<InetSocketAddress> gateway;
	private final HikariDataSource dataSource;
	private final CountDownLatch stopped = new CountDownLatch(1);

	private MilterServer(MilterGatewayManager<InetSocketAddress> gateway, HikariDataSource dataSource) {
		this.gateway = gateway;
		this.dataSource = dataSource;
	}

	static MilterServer start(InetSocketAddress address, DatabaseCoordinates db, String role, String password)
			throws Exception {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:postgresql://%s:%d/%s".formatted(db.host(), db.port(), db.database()));
		dataSource.setUsername(role);
		dataSource.setPassword(password);
		dataSource.setMaximumPoolSize(4);
		dataSource.setMinimumIdle(1);
		dataSource.setReadOnly(true);
		dataSource.setPoolName("mailplane-milter");
		var milter = new FromHeaderMilter(new FromPolicy(new SenderLoginsView(dataSource)));
		var gateway = new MilterGatewayManager<>(ServerFactory.tcpIpFactory(address), milter);
		try {
			gateway.bind().get();
		}
		catch (Exception e) {
			dataSource.close();
			throw e;
		}
		return new MilterServer(gateway, dataSource);
	}

	void awaitTermination() throws InterruptedException {
		Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
		stopped.await();
	}

	@Override
	public void close() {
		gateway.close();
		dataSource.close();
	}
}
