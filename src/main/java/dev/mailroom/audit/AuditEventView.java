package dev.mailroom.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

public record AuditEventView(UUID id, Instant at, String actor, String action, String target, String ip,
		Map<String, Object> details) {
}
