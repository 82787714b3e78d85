package dev.mailroom.domains.mcp;

import java.util.List;

import dev.mailroom.domains.DomainService;
import dev.mailroom.domains.api.DomainJson;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.mcp.McpInput;
import dev.mailroom.platform.mcp.McpTool;
import dev.mailroom.platform.mcp.McpTools;
import jakarta.validation.constraints.Size;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The domains' MCP tools: thin adapters over {@link DomainService}, answering the REST JSON. */
@Configuration(proxyBeanMethods = false)
class DomainTools {

	record ListDomains(@Size(max = 10) String status, Integer limit, @Size(max = 1000) String cursor) {
	}

	@Bean
	McpTools domainMcpTools(DomainService domains) {
		return McpTools.of(McpTool.named("list_domains", ListDomains.class)
			.title("List domains")
			.description("Lists the organization's domains that this API key may use, oldest first: id, name, status "
					+ "(pending until its DNS TXT record is verified, then active; a pending claim expires at expires_at, "
					+ "7 days after it was added) and the TXT record to publish. "
					+ "Mailboxes and invites need an active domain's id. Read-only; needs the domains:read scope.")
			.input(McpInput.object()
				.oneOf("status", "Only domains with this status", List.of("pending", "active"), false)
				.page())
			.readOnly()
			.scope("domains:read")
			.call((actor, a) -> domains.list(actor, a.status(), PageRequest.of(a.limit(), a.cursor()))
				.map(DomainJson::of)));
	}
}
