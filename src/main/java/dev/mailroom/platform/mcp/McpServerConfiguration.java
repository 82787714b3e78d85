package dev.mailroom.platform.mcp;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mailroom.platform.Actor;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The MCP server: the SDK's streamable HTTP transport as a servlet at {@code /mcp} (async, so
 * responses can stream), behind the API security chain, which authenticates the
 * {@code Authorization: Bearer <API key>} of every HTTP request (no or bad key → 401) and counts
 * it toward the daily quota. The transport reads the authenticated {@link Actor} on the request
 * thread into the call's transport context, where {@link ToolInvoker} finds it. The protocol
 * version is negotiated by the SDK (2025-06-18 and 2025-11-25 included).
 */
@Configuration(proxyBeanMethods = false)
class McpServerConfiguration {

	static final String ENDPOINT = "/mcp";

	static final String INSTRUCTIONS = """
			Mailroom hosts mailboxes for an organization. This API key acts for one organization, with its scopes \
			and domain limits. Lists return {items, next_cursor}: pass next_cursor as cursor to continue. \
			Destructive tools (delete_mailbox, cancel_invite, remove_shared_mailbox_member, convert_mailbox_to_shared, \
			convert_shared_mailbox_to_regular) take two calls: the first changes nothing and returns what would \
			happen and a confirm_token; repeat the call with the same arguments and that confirm_token to act. \
			Creating tools accept an idempotency_key so a retry never creates twice. Failures set isError and \
			carry {code, message}; create_invites_bulk takes at most 100 recipients per call: chunk longer lists.""";

	@Bean
	McpJsonMapper mcpJsonMapper() {
		return McpJsonDefaults.getMapper();
	}

	@Bean
	HttpServletStreamableServerTransportProvider mcpTransport(McpJsonMapper mcpJsonMapper) {
		return HttpServletStreamableServerTransportProvider.builder()
			.jsonMapper(mcpJsonMapper)
			.mcpEndpoint(ENDPOINT)
			.contextExtractor(McpServerConfiguration::authenticatedActor)
			.build();
	}

	@Bean
	ServletRegistrationBean<HttpServletStreamableServerTransportProvider> mcpServlet(
			HttpServletStreamableServerTransportProvider mcpTransport) {
		ServletRegistrationBean<HttpServletStreamableServerTransportProvider> registration = new ServletRegistrationBean<>(
				mcpTransport, ENDPOINT);
		registration.setName("mcp");
		registration.setAsyncSupported(true);
		registration.setLoadOnStartup(1);
		return registration;
	}

	@Bean(destroyMethod = "closeGracefully")
	McpSyncServer mcpServer(HttpServletStreamableServerTransportProvider mcpTransport, McpJsonMapper mcpJsonMapper,
			ObjectProvider<McpTools> toolsets, ToolInvoker invoker) {
		List<SyncToolSpecification> tools = toolsets.orderedStream()
			.flatMap(set -> set.tools().stream())
			.map(invoker::specification)
			.toList();
		Set<String> names = new HashSet<>();
		tools.forEach(t -> {
			if (!names.add(t.tool().name())) {
				throw new IllegalStateException("Two MCP tools are named " + t.tool().name());
			}
		});
		String version = McpServerConfiguration.class.getPackage().getImplementationVersion();
		return McpServer.sync(mcpTransport)
			.serverInfo("mailroom", version == null ? "dev" : version)
			.instructions(INSTRUCTIONS)
			.jsonMapper(mcpJsonMapper)
			.capabilities(ServerCapabilities.builder().tools(false).build())
			// arguments are bound and validated like REST bodies, with the same problem codes
			.validateToolInputs(false)
			// run tools on the request's own thread (its request id stays in the log context)
			.immediateExecution(true)
			.tools(tools)
			.build();
	}

	/** Runs on the request thread, after the API security chain has authenticated the key. */
	static McpTransportContext authenticatedActor(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
			return McpTransportContext.create(Map.of(ToolInvoker.ACTOR, actor));
		}
		return McpTransportContext.EMPTY;
	}
}
