package dev.mailroom.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mailroom.platform.mcp.McpToolCalled;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records every MCP tool call as {@code mcp.<tool>}, with the API key and the outcome (the
 * change itself, if any, is audited by its service in its own transaction). Never the arguments:
 * they may hold a password.
 */
@Component
class McpCallAudit {

	private final AuditLog audit;

	McpCallAudit(AuditLog audit) {
		this.audit = audit;
	}

	@EventListener
	@Transactional
	public void on(McpToolCalled call) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("tool", call.tool());
		details.put("api_key_id", String.valueOf(call.actor().apiKeyId()));
		details.put("outcome", call.outcome());
		if (call.code() != null) {
			details.put("code", call.code());
		}
		audit.record(call.actor(), call.actor().orgId(), "mcp." + call.tool(), "mcp:" + call.tool(), details);
	}
}
