package dev.mailroom.invitation;

import java.util.UUID;

import dev.mailroom.domains.DomainInUse;
import dev.mailroom.platform.Tenancy;
import org.springframework.stereotype.Component;

/**
 * A domain with a live setup invite cannot be deleted (someone holds a link to a mailbox on it);
 * the dead invites on it (accepted, canceled, expired) are deleted with the domain.
 */
@Component
class InvitesOnDomain implements DomainInUse {

	private final Invites invites;
	private final Tenancy tenancy;

	InvitesOnDomain(Invites invites, Tenancy tenancy) {
		this.invites = invites;
		this.tenancy = tenancy;
	}

	@Override
	public String reasonInUse(UUID orgId, UUID domainId) {
		tenancy.enter(orgId);
		long pending = invites.pendingOnDomain(domainId);
		return pending == 0 ? null : "Cancel the domain's " + pending + " pending invite(s) first";
	}

	@Override
	public void release(UUID orgId, UUID domainId) {
		tenancy.enter(orgId);
		invites.deleteDeadOnDomain(domainId);
	}
}
