package dev.mailroom.notification.web;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.mailroom.notification.DeliveryView;
import dev.mailroom.notification.EmailMessage;
import dev.mailroom.notification.Outbox;
import dev.mailroom.platform.Actor;
import dev.mailroom.platform.MailroomException;
import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.web.PageController;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The dev mail viewer: without an SMTP relay ({@code MAILROOM_SMTP_HOST} unset) the outbox keeps
 * every message here, so a person trying Mailroom can open the emails it "sends" — their own
 * invite, say. With a relay it does not exist (404). Owners and admins see their organization's
 * messages, never an account email (no organization: a sign-up's link is nobody's business here;
 * the outbox prints kept messages' links in the console log for the operator instead); the HTML part is served on its own, into a sandboxed frame, under a policy of its
 * own (no scripts, nothing fetched, its inline styles allowed), so it cannot touch the app.
 */
@PageController
class DevMailPage {

	static final int LIMIT = 50;

	/** The HTML part's own policy: its inline styles and data: images, nothing else; framed by the viewer only. */
	static final String HTML_PART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
			+ "frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox";


	private final Outbox outbox;
	private final MailroomSettings settings;

	DevMailPage(Outbox outbox, MailroomSettings settings) {
		this.outbox = outbox;
		this.settings = settings;
	}

	/** A message in the list: where it stands, and its subject (null when it can no longer be rendered). */
	record Row(DeliveryView delivery, String subject) {
	}

	/** The message shown: the rendered email (null when it can no longer be rendered) and the links in its text. */
	record Shown(UUID id, DeliveryView delivery, EmailMessage message, List<String> links) {
	}

	static boolean enabled(MailroomSettings settings) {
		return settings.smtp() == null || !MailroomSettings.isSet(settings.smtp().host());
	}

	@GetMapping("/dev/mail")
	String list(Actor actor, Model model) {
		requireDevMode();
		model.addAttribute("rows", rows(actor));
		return "notification/dev-mail";
	}

	@GetMapping("/dev/mail/{id}")
	String show(Actor actor, @PathVariable UUID id, Model model) {
		requireDevMode();
		List<Row> rows = rows(actor);
		DeliveryView delivery = rows.stream().map(Row::delivery).filter(d -> d.id().equals(id)).findFirst().orElse(null);
		EmailMessage message = render(actor, id);
		if (delivery == null && message == null) {
			throw MailroomException.notFound("Message");
		}
		model.addAttribute("rows", rows);
		model.addAttribute("shown", new Shown(id, delivery, message, message == null ? List.of() : message.links()));
		return "notification/dev-mail";
	}

	/** The HTML part alone, for the viewer's sandboxed frame. */
	@GetMapping("/dev/mail/{id}/html")
	ResponseEntity<String> html(Actor actor, @PathVariable UUID id) {
		requireDevMode();
		EmailMessage message = outbox.show(actor, id);
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noStore())
			.header("Content-Security-Policy", HTML_PART_POLICY)
			.header("X-Frame-Options", "SAMEORIGIN")
			.header("Referrer-Policy", "no-referrer")
			.body(message.html() == null ? "" : message.html());
	}

	private List<Row> rows(Actor actor) {
		List<Row> rows = new ArrayList<>();
		for (DeliveryView delivery : outbox.recent(actor, LIMIT)) {
			EmailMessage message = render(actor, delivery.id());
			rows.add(new Row(delivery, message == null ? null : message.subject()));
		}
		return rows;
	}

	/** The message as it was (or would be) sent; null when what it was about changed since (a link resent, used). */
	private EmailMessage render(Actor actor, UUID id) {
		try {
			return outbox.show(actor, id);
		}
		catch (MailroomException e) {
			if (e.status() == HttpStatus.NOT_FOUND) {
				return null;
			}
			throw e;
		}
	}

	private void requireDevMode() {
		if (!enabled(settings)) {
			// with a relay, mail leaves for real: there is no viewer, as if the page did not exist
			throw MailroomException.notFound("Page");
		}
	}
}
