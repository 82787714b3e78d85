package dev.mailroom.notification.web;

import dev.mailroom.platform.MailroomSettings;
import dev.mailroom.platform.web.PageController;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Tells every page whether the dev mail viewer exists, for its link in the navigation. */
@ControllerAdvice(annotations = PageController.class)
class DevMailNavigation {

	private final boolean enabled;

	DevMailNavigation(MailroomSettings settings) {
		this.enabled = DevMailPage.enabled(settings);
	}

	@ModelAttribute("devMail")
	boolean devMail() {
		return enabled;
	}
}
