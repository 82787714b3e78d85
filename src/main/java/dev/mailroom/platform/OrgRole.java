package dev.mailroom.platform;

/** A user's role in one organization (DESIGN.md §1b). */
public enum OrgRole {
	OWNER, ADMIN, MEMBER;

	public String value() {
		return name().toLowerCase();
	}

	public static OrgRole of(String value) {
		return valueOf(value.toUpperCase());
	}
}
