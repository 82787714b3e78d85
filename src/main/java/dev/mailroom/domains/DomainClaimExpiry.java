package dev.mailroom.domains;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes pending domain claims older than {@value Domains#CLAIM_DAYS} days, so an abandoned or
 * hostile claim holds neither a plan slot nor a name for long. Verification already refuses
 * them before this runs.
 */
@Component
class DomainClaimExpiry {

	private static final Logger log = LoggerFactory.getLogger(DomainClaimExpiry.class);

	private final DomainService domains;

	DomainClaimExpiry(DomainService domains) {
		this.domains = domains;
	}

	@Scheduled(fixedDelayString = "${mailroom.domain-claim-expiry-interval:PT15M}", initialDelayString = "PT1M")
	void expire() {
		int deleted = domains.deleteExpiredClaims(500);
		if (deleted > 0) {
			log.info("Deleted {} expired domain claim(s)", deleted);
		}
	}
}
