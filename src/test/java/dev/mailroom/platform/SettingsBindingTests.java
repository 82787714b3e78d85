package dev.mailroom.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment variables API.md and the README document bind to the settings they name. */
class SettingsBindingTests {

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
		env.put("MAILROOM_OPERATOR_TOKEN", "op");
		env.put("MAILROOM_SECRET", "s");
		env.put("MAILROOM_SIGNUP_ENABLED", "false");
		env.put("MAILROOM_TRASH_RETENTION_DAYS", "3");
		env.put("MAILROOM_MAX_REQUEST_BYTES", "2048");
		env.put("MAILROOM_ALLOW_RESERVED_LOCAL_PARTS", "true");
		env.put("MAILROOM_RATELIMITS_SIGNIN_CLIENT", "7");
		env.put("MAILROOM_MAILPLANE_DOVEADM_URL", "http://mail.internal:8080");
		env.put("MAILROOM_MAILPLANE_DOVEADM_API_KEY", "dk");
		env.put("MAILROOM_MAILPLANE_DATABASE_ROLE", "mp_login");
		env.put("MAILROOM_MAILPLANE_DATABASE_PASSWORD", "mp-pw");

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
		assertThat(settings.operatorToken()).isEqualTo("op");
		assertThat(settings.secret()).isEqualTo("s");
		assertThat(settings.signupEnabled()).isFalse();
		assertThat(settings.trashRetentionDays()).isEqualTo(3);
		assertThat(settings.maxRequestBytes()).isEqualTo(2048);
		assertThat(settings.allowReservedLocalParts()).isTrue();
		assertThat(settings.rateLimit("signin-client")).contains(7);
		assertThat(settings.mailplane().doveadmUrl()).isEqualTo("http://mail.internal:8080");
		assertThat(settings.mailplane().connected()).isTrue();
		assertThat(settings.mailplane().doveadmApiKey()).isEqualTo("dk");
		assertThat(settings.mailplane().databaseRole()).isEqualTo("mp_login");
		assertThat(settings.mailplane().databasePassword()).isEqualTo("mp-pw");
	}
}
