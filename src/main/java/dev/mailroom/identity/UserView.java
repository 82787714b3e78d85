package dev.mailroom.identity;

import java.time.Instant;
import java.util.UUID;

/** A user without credentials. */
public record UserView(UUID id, String email, String name, Instant createdAt) {
}
