package dev.mailroom.platform.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import dev.mailroom.platform.RequiresScope;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The published contract: every operation documents the problem responses it can give, with
 * the stable {@code code}s for each status, the {@code Idempotency-Key} header on POSTs and the
 * authentication schemes. An endpoint's {@link RequiresScope} is published as its
 * {@code x-required-scope} and its security requirement, so clients (and the security matrix
 * test) read which key scope each operation needs.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	/** Problem codes by HTTP status, as API.md and the services use them. */
	static final Map<String, List<String>> CODES = new LinkedHashMap<>();

	static {
		CODES.put("400", List.of("malformed_request", "invalid_parameter", "invalid_cursor", "invalid_idempotency_key",
				"invalid_characters"));
		CODES.put("401", List.of("unauthorized", "email_not_verified"));
		CODES.put("403", List.of("forbidden", "insufficient_scope", "signup_disabled", "mailbox_password_required",
				"member_mailbox", "verification_required"));
		CODES.put("404", List.of("not_found"));
		CODES.put("409", List.of("conflict", "email_taken", "domain_taken", "domain_in_use", "domain_not_active", "domain_claim_expired",
				"dns_record_not_found", "plan_limit_reached", "shared_limit_reached", "storage_pool_exceeded",
				"local_part_taken", "already_invited", "already_member", "last_member", "invite_not_pending",
				"paid_plan_conflict", "seat_limit_reached", "idempotency_key_in_use"));
		CODES.put("410", List.of("invite_expired", "invite_canceled", "invite_used", "verification_expired",
				"verification_used"));
		CODES.put("413", List.of("payload_too_large"));
		CODES.put("415", List.of("unsupported_media_type"));
		CODES.put("422", List.of("validation_failed", "required", "invalid_length", "invalid_value", "invalid_name",
				"invalid_email", "invalid_domain", "invalid_local_part", "invalid_scope", "invalid_plan", "unknown_limit", "out_of_range",
				"invalid_limit", "weak_password", "too_many_items", "duplicate_in_batch", "idempotency_key_reused"));
		CODES.put("429", List.of("daily_quota_exceeded", "too_many_attempts", "sign_in_link_sent", "rate_limited"));
		CODES.put("503", List.of("dns_unavailable"));
	}

	/** The extension that names the API-key scope an operation needs. */
	static final String REQUIRED_SCOPE = "x-required-scope";

	@Bean
	OperationCustomizer requiredScopes() {
		return (operation, handler) -> {
			RequiresScope scope = handler.getMethodAnnotation(RequiresScope.class);
			if (scope != null) {
				operation.addExtension(REQUIRED_SCOPE, scope.value());
				operation.addSecurityItem(new SecurityRequirement().addList("apiKey", List.of(scope.value())));
				String note = "API keys need the scope `" + scope.value() + "` (else 403 insufficient_scope).";
				operation.setDescription(operation.getDescription() == null ? note : operation.getDescription() + "\n\n" + note);
			}
			return operation;
		};
	}

	@Bean
	OpenApiCustomizer mailroomContract() {
		return openApi -> {
			openApi.info(new Info().title("Mailroom API")
				.version("v1")
				.description("Multi-tenant mail hosting control plane. Errors are RFC 9457 problem details with a "
						+ "stable `code`; lists are `{items, next_cursor}` with `?limit=` (1–200, default 50) and "
						+ "`?cursor=`; every POST accepts `Idempotency-Key`; every response carries `X-Request-Id`."));
			Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
			openApi.components(components);
			components.addSchemas("Problem", problemSchema());
			components.addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
				.description("An API key (mr_…), or the operator token on /api/v1/operator/**"));
			components.addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
				.description("Email and password: only POST /api/v1/api-keys, GET /api/v1/me/mailboxes and invitation acceptance"));
			openApi.addSecurityItem(new SecurityRequirement().addList("apiKey"));
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				addProblems(operation);
				if (method == PathItem.HttpMethod.POST) {
					operation.addParametersItem(new HeaderParameter().name("Idempotency-Key")
						.required(false)
						.schema(new StringSchema().maxLength(255))
						.description("Retrying with the same key and body within 24 h returns the first response and "
								+ "changes nothing; the same key with another body → 422 idempotency_key_reused"));
				}
			}));
		};
	}

	private static void addProblems(Operation operation) {
		CODES.forEach((status, codes) -> {
			if (operation.getResponses() != null && operation.getResponses().containsKey(status)) {
				return;
			}
			Content content = new Content().addMediaType("application/problem+json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
			operation.getResponses().addApiResponse(status,
					new ApiResponse().description("Problem; `code` is one of: " + String.join(", ", codes)).content(content));
		});
	}

	private static Schema<?> problemSchema() {
		ObjectSchema fieldError = new ObjectSchema();
		fieldError.addProperty("field", new StringSchema());
		fieldError.addProperty("code", new StringSchema());
		fieldError.addProperty("message", new StringSchema());
		ObjectSchema problem = new ObjectSchema();
		problem.description("RFC 9457 problem details with a stable code");
		problem.addProperty("type", new StringSchema());
		problem.addProperty("title", new StringSchema());
		problem.addProperty("status", new IntegerSchema());
		problem.addProperty("detail", new StringSchema());
		problem.addProperty("code", new StringSchema());
		problem.addProperty("errors", new ArraySchema().items(fieldError));
		ObjectSchema itemErrors = new ObjectSchema();
		itemErrors.addProperty("index", new IntegerSchema());
		itemErrors.addProperty("errors", new ArraySchema().items(fieldError));
		problem.addProperty("items", new ArraySchema().items(itemErrors));
		return problem;
	}
}
