package dev.mailroom.audit.api;

import java.time.Instant;

import dev.mailroom.audit.AuditEventView;
import dev.mailroom.audit.AuditLog;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.Page;
import dev.mailroom.platform.PageRequest;
import dev.mailroom.platform.RequiresScope;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Audit")
class AuditController {

	private final AuditLog audit;

	AuditController(AuditLog audit) {
		this.audit = audit;
	}

	@GetMapping("/api/v1/audit-events")
	@RequiresScope("audit:read")
	Page<AuditEventView> list(Actor actor, @RequestParam(required = false) Instant since,
			@RequestParam(name = "actor", required = false) String actorFilter, @RequestParam(required = false) String action,
			@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
		return audit.list(actor, since, actorFilter, action, PageRequest.of(limit, cursor));
	}
}
