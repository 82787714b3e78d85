package dev.mailroom.invitation;

import java.util.List;

import dev.mailroom.platform.MailroomException;

/**
 * What a batch would do, before anything is sent: per item the mailbox it becomes and its
 * problems, and the room on the domain and in the storage pool.
 */
public record BulkPreview(List<Item> items, Summary summary) {

	public record Item(int index, String recipientEmail, String localPart, String address, Integer storageAllocationMb,
			List<MailroomException.FieldError> errors) {
	}

	public record Summary(int mailboxCap, long existing, long pending, int thisBatch, long remaining, long storagePoolMb,
			long storageAvailableMb, long storageRequestedMb) {
	}

	/** Whether the batch can be sent as it is. */
	public boolean sendable() {
		return !items.isEmpty() && items.stream().allMatch(i -> i.errors().isEmpty());
	}
}
