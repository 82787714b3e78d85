package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment variables API.md and the README document bind to the settings they name. */
class SettingsBindingTests {

	private static final String OPERATOR_TOKEN = "op-0123456789abcdef0123456789abcdef";
	private static final String SECRET = "s-0123456789abcdef0123456789abcdef";
	private static final String DOVEADM_KEY = "dk-0123456789abcdef0123456789abcdef";
	private static final String MAILPLANE_PASSWORD = "mp-pw-0123456789abcdef0123456789abcdef";

	private static Binder binder(Map<String, Object> env) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
		return new Binder(ConfigurationPropertySources.get(environment));
	}

	@Test
	void documentedVariablesBind() {
		Map<String, Object> env = new HashMap<>();
		env.put("MAILROOM_DATABASE_URL", "jdbc:postgresql://db/mailroom");
		env.put("MAILROOM_DATABASE_USERNAME", "owner");
		env.put("MAILROOM_DATABASE_PASSWORD", "pw");
		env.put("MAILROOM_DATABASE_APP_USERNAME", "app");
		env.put("MAILROOM_DATABASE_APP_PASSWORD", "app-pw");
		env.put("MAILROOM_DATABASE_APP_ROLE", "custom_app");
		env.put("MAILROOM_DATA_DIR", "/var/lib/mailroom");
		env.put("MAILROOM_BASE_URL", "https://mail.example");
		env.put("MAILROOM_SMTP_HOST", "smtp.example");
		env.put("MAILROOM_SMTP_PORT", "2525");
		env.put("MAILROOM_SMTP_STARTTLS", "false");
		env.put("MAILROOM_MAIL_FROM", "Ops <ops@example>");
		env.put("MAILROOM_DNS_RESOLVER", "127.0.0.1:5353");
		env.put("MAILROOM_OPERATOR_TOKEN", OPERATOR_TOKEN);
		env.put("MAILROOM_SECRET", SECRET);
		env.put("MAILROOM_SIGNUP_ENABLED", "false");
		env.put("MAILROOM_TRASH_RETENTION_DAYS", "3");
		env.put("MAILROOM_MAX_REQUEST_BYTES", "2048");
		env.put("MAILROOM_ALLOW_RESERVED_LOCAL_PARTS", "true");
		env.put("MAILROOM_RATELIMITS_SIGNIN_CLIENT", "7");
		env.put("MAILROOM_MAILPLANE_DOVEADM_URL", "http://mail.internal:8080");
		env.put("MAILROOM_MAILPLANE_DOVEADM_API_KEY", DOVEADM_KEY);
		env.put("MAILROOM_MAILPLANE_DATABASE_ROLE", "mp_login");
		env.put("MAILROOM_MAILPLANE_DATABASE_PASSWORD", MAILPLANE_PASSWORD);
		env.put("MAILROOM_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16, fd00::/8");

		MailroomSettings settings = binder(env).bind("mailroom", Bindable.of(MailroomSettings.class)).get();

		assertThat(settings.database().url()).isEqualTo("jdbc:postgresql://db/mailroom");
		assertThat(settings.database().username()).isEqualTo("owner");
		assertThat(settings.database().password()).isEqualTo("pw");
		assertThat(settings.database().appUsername()).isEqualTo("app");
		assertThat(settings.database().appPassword()).isEqualTo("app-pw");
		assertThat(settings.database().appRole()).isEqualTo("custom_app");
		assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/mailroom"));
		assertThat(settings.baseUrl()).isEqualTo("https://mail.example");
		assertThat(settings.smtp().host()).isEqualTo("smtp.example");
		assertThat(settings.smtp().port()).isEqualTo(2525);
		assertThat(settings.smtp().starttls()).isFalse();
		assertThat(settings.mailFrom()).isEqualTo("Ops <ops@example>");
		assertThat(settings.dnsResolver()).isEqualTo("127.0.0.1:5353");
		assertThat(settings.operatorToken()).isEqualTo(OPERATOR_TOKEN);
		assertThat(settings.secret()).isEqualTo(SECRET);
		assertThat(settings.signupEnabled()).isFalse();
		assertThat(settings.trashRetentionDays()).isEqualTo(3);
		assertThat(settings.maxRequestBytes()).isEqualTo(2048);
		assertThat(settings.allowReservedLocalParts()).isTrue();
		assertThat(settings.rateLimit("signin-client")).contains(7);
		assertThat(settings.mailplane().doveadmUrl()).isEqualTo("http://mail.internal:8080");
		assertThat(settings.mailplane().connected()).isTrue();
		assertThat(settings.mailplane().doveadmApiKey()).isEqualTo(DOVEADM_KEY);
		assertThat(settings.mailplane().databaseRole()).isEqualTo("mp_login");
		assertThat(settings.mailplane().databasePassword()).isEqualTo(MAILPLANE_PASSWORD);
		assertThat(settings.trustedProxies()).isEqualTo("10.0.0.1, 192.168.0.0/16, fd00::/8");
		assertThat(settings.httpsBaseUrl()).isTrue();
	}

	/** A configured secret or token shorter than 32 characters stops the start, naming the variable. */
	@Test
	void shortSecretsAndTokensAreRefused() {
		for (String variable : List.of("MAILROOM_SECRET", "MAILROOM_OPERATOR_TOKEN", "MAILROOM_MAILPLANE_DOVEADM_API_KEY",
				"MAILROOM_MAILPLANE_DATABASE_PASSWORD")) {
			Map<String, Object> env = new HashMap<>(Map.of(variable, "x".repeat(31)));
			assertThatThrownBy(() -> binder(env).bind("mailroom", Bindable.of(MailroomSettings.class)))
				.as(variable)
				.rootCause()
				.hasMessageContaining(variable)
				.hasMessageContaining("at least 32");
			env.put(variable, "x".repeat(32));
			assertThat(binder(env).bind("mailroom", Bindable.of(MailroomSettings.class)).isBound()).isTrue();
		}
	}

	/** Role names are pasted into migrations: only plain identifiers are accepted. */
	@Test
	void roleNamesThatNeedQuotingAreRefused() {
		for (String role : List.of("app\"; drop role x; --", "App", "1app", "a".repeat(58), "app-role")) {
			Map<String, Object> env = new HashMap<>(Map.of("MAILROOM_DATABASE_APP_ROLE", role));
			assertThatThrownBy(() -> binder(env).bind("mailroom", Bindable.of(MailroomSettings.class))).as(role)
				.rootCause()
				.hasMessageContaining("MAILROOM_DATABASE_APP_ROLE");
			Map<String, Object> mailplane = new HashMap<>(Map.of("MAILROOM_MAILPLANE_DATABASE_ROLE", role));
			assertThatThrownBy(() -> binder(mailplane).bind("mailroom", Bindable.of(MailroomSettings.class))).as(role)
				.rootCause()
				.hasMessageContaining("MAILROOM_MAILPLANE_DATABASE_ROLE");
		}
	}
}
