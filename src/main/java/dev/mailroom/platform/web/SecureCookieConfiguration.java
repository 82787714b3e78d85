package dev.mailroom.platform.web;

import dev.mailroom.platform.MailroomSettings;
import org.springframework.boot.session.autoconfigure.DefaultCookieSerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With an https base URL the session cookie (which also carries the CSRF token, kept in the
 * session) is always {@code Secure}, even on a request that reached the app over plain HTTP from a
 * proxy. Otherwise Spring Session marks it Secure on secure requests, which behind a trusted proxy
 * means {@code X-Forwarded-Proto: https} (see {@link ForwardedHeadersFilter}).
 */
@Configuration(proxyBeanMethods = false)
class SecureCookieConfiguration {

	@Bean
	DefaultCookieSerializerCustomizer secureSessionCookie(MailroomSettings settings) {
		return serializer -> {
			if (settings.httpsBaseUrl()) {
				serializer.setUseSecureCookie(true);
			}
		};
	}
}
