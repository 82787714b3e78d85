package dev.mailroom.identity.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.mailroom.identity.ApiKeyService;
import dev.mailroom.identity.ApiQuota;
import dev.mailroom.identity.IdentityService;
import dev.mailroom.identity.RateLimits;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.PublicUrls;
import dev.mailroom.platform.ServerSecrets;
import dev.mailroom.platform.web.ProblemResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.FlashMapManager;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * Two chains: the stateless API (API keys, operator token, Basic where allowed; no cookies, so
 * no CSRF), and the web UI (session cookie stored in PostgreSQL, CSRF tokens, a new session id
 * at sign-in). A session is created only when something must be kept: a sign-in, or the CSRF
 * token of a form actually shown.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** The flash attribute with the email of a refused sign-in, for the form shown again. */
	static final String SIGNIN_EMAIL_ATTRIBUTE = "signinEmail";
	private static final int MAX_KEPT_EMAIL = 320;
	private static final FlashMapManager FLASH_MAPS = new SessionFlashMapManager();

	private static final String[] PUBLIC_API = { "/api/v1/signup", "/api/v1/recovery/reset", "/api/v1/invitations/**",
			"/api/v1/email-verifications/*", "/api/v1/ownership-invitations/**" };

	@Bean
	@Order(1)
	SecurityFilterChain api(HttpSecurity http, ApiKeyService keys, IdentityService identity, ServerSecrets secrets,
			RateLimits rateLimits, DeviceCookies devices, ApiQuota quota) throws Exception {
		http.securityMatcher("/api/**", "/mcp", "/mcp/**", "/actuator/prometheus")
			.csrf(csrf -> csrf.disable())
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.addFilterBefore(new ApiAuthenticationFilter(keys, secrets, new SignInThrottle(identity, rateLimits, devices), quota),
					BasicAuthenticationFilter.class)
			.authorizeHttpRequests(auth -> auth.requestMatchers(HttpMethod.POST, "/api/v1/signup", "/api/v1/recovery/reset")
				.permitAll()
				.requestMatchers(PUBLIC_API)
				.permitAll()
				.requestMatchers("/api/v1/operator/**", "/actuator/prometheus")
				.hasRole("OPERATOR")
				.anyRequest()
				.authenticated())
			.exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> {
				response.setHeader("WWW-Authenticate", "Bearer realm=\"mailroom\"");
				ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, "unauthorized",
						"Authentication is required: Authorization: Bearer <API key>");
			}).accessDeniedHandler((request, response, ex) -> {
				ProblemResponses.write(response, HttpStatus.FORBIDDEN, "forbidden", "You are not allowed to do this");
			}));
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain web(HttpSecurity http, IdentityService identity, RateLimits rateLimits, DeviceCookies devices,
			PublicUrls urls, java.util.List<org.springframework.security.web.authentication.logout.LogoutHandler> onSignOut)
			throws Exception {
		ReturnPathCookie returnPaths = new ReturnPathCookie(devices::secure);
		http.authenticationManager(new ProviderManager(
				new WebSignInProvider(identity, new SignInThrottle(identity, rateLimits, devices))))
			.authorizeHttpRequests(auth -> auth
				// "sign in, then back to this invitation": the one protected path under /invite
				.requestMatchers("/invite/*/signed-in")
				.authenticated()
				.requestMatchers("/", "/signin", "/signup", "/signup/sent", "/error", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
						"/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**", "/api-docs",
						"/swagger-ui/**", "/invite/**", "/recovery", "/verify-email/*", "/signin/verification", "/signin/link/*")
				.permitAll()
				.anyRequest()
				.authenticated())
			.formLogin(form -> form.loginPage("/signin")
				.loginProcessingUrl("/signin")
				.usernameParameter("email")
				.passwordParameter("password")
				.authenticationDetailsSource(WebSignInProvider.SignInDetails::new)
				.successHandler((request, response, authentication) -> {
					// this browser is now a known device of the account (see SignInThrottle)
					devices.issue(((Actor) authentication.getPrincipal()).email(), request, response);
					String back = ReturnPathCookie.path(request);
					returnPaths.removeRequest(request, response);
					response.sendRedirect(urls.of(back == null ? "/dashboard" : back));
				})
				.failureHandler((request, response, ex) -> {
					keepTypedEmail(request, response);
					if (ex instanceof WebSignInProvider.NotVerified notVerified) {
						// the right password was given: this browser may ask for a new link
						request.getSession(true)
							.setAttribute(WebSignInProvider.UNVERIFIED_ATTRIBUTE, notVerified.verificationId().toString());
						response.sendRedirect("/signin?error=unverified");
						return;
					}
					if (ex instanceof WebSignInProvider.Paused paused) {
						long minutes = Math.max(1, (paused.retryAfterSeconds() + 59) / 60);
						response.sendRedirect("/signin?error=" + (paused.linkSent() ? "link" : "locked") + "&wait=" + minutes);
						return;
					}
					String reason = ex instanceof org.springframework.security.authentication.AuthenticationServiceException ? "busy"
							: "bad";
					response.sendRedirect("/signin?error=" + reason);
				})
				.permitAll())
			// other modules' LogoutHandler beans (webmail closes the session's IMAP connections) run
			// before the session is invalidated
			.logout(logout -> {
				logout.logoutUrl("/signout").logoutSuccessUrl("/signin?signedout").permitAll();
				onSignOut.forEach(logout::addLogoutHandler);
			})
			// where to go back after signing in is kept in a cookie, not a session: an anonymous
			// request stores nothing; the sign-in page is always on the configured base URL, never
			// on the request's Host header
			.requestCache(cache -> cache.requestCache(returnPaths))
			.exceptionHandling(e -> e.authenticationEntryPoint((request, response, ex) -> response.sendRedirect(urls.of("/signin"))))
			.sessionManagement(s -> s.sessionFixation(f -> f.newSession()))
			.headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
				// DENY unless the response chose its own (a message's frame: SAMEORIGIN); written as
				// the response commits, after the controller
				.frameOptions(f -> f.disable())
				.addHeaderWriter((request, response) -> {
					if (!response.containsHeader("X-Frame-Options")) {
						response.setHeader("X-Frame-Options", "DENY");
					}
				})
				.contentSecurityPolicy(csp -> csp.policyDirectives(
						"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")));
		return http.build();
	}

	/**
	 * A refused sign-in shows the form again with the email as typed, never the password: the
	 * email goes in a flash attribute for the next {@code GET /signin} (in the session the form's
	 * CSRF token already needs), never in the URL.
	 */
	private static void keepTypedEmail(HttpServletRequest request, HttpServletResponse response) {
		String email = request.getParameter("email");
		if (email == null || email.isBlank() || email.length() > MAX_KEPT_EMAIL || request.getSession(false) == null) {
			return;
		}
		FlashMap flash = new FlashMap();
		flash.put(SIGNIN_EMAIL_ATTRIBUTE, email.strip());
		flash.setTargetRequestPath("/signin");
		FLASH_MAPS.saveOutputFlashMap(flash, request, response);
	}
}
