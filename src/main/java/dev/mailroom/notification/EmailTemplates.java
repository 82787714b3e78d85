package dev.mailroom.notification;

import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders email templates: {@code templates/mail/<name>.txt} (plain text) and
 * {@code templates/mail/<name>.html}, with texts from {@code i18n/mail_<lang>.properties}; the
 * subject is the message {@code <name>.subject}. Values are escaped in HTML as on every page.
 */
@Component
public class EmailTemplates {

	private final TemplateEngine text;
	private final TemplateEngine html;
	private final MessageSource messages;

	EmailTemplates() {
		ResourceBundleMessageSource source = new ResourceBundleMessageSource();
		source.setBasename("i18n/mail");
		source.setDefaultEncoding("UTF-8");
		source.setFallbackToSystemLocale(false);
		this.messages = source;
		this.text = engine(TemplateMode.TEXT, ".txt", source);
		this.html = engine(TemplateMode.HTML, ".html", source);
	}

	/** Renders {@code template}; the subject message gets {@code subjectArguments} as {0}, {1}, … */
	public EmailMessage render(String template, Locale language, Map<String, Object> variables,
			Object... subjectArguments) {
		Context context = new Context(language, variables);
		String subject = messages.getMessage(template + ".subject", subjectArguments, language);
		context.setVariable("subject", subject);
		return new EmailMessage(subject, text.process(template, context), html.process(template, context));
	}

	private static TemplateEngine engine(TemplateMode mode, String suffix, MessageSource source) {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix("templates/mail/");
		resolver.setSuffix(suffix);
		resolver.setTemplateMode(mode);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCacheable(true);
		SpringTemplateEngine engine = new SpringTemplateEngine();
		engine.setTemplateResolver(resolver);
		engine.setTemplateEngineMessageSource(source);
		return engine;
	}
}
