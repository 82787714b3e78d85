package dev.mailroom.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.util.UUID;

import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Requests Tomcat refuses before any filter or handler runs (a {@code %00} in the path, a request
 * line or headers over the 8 KB limit) are answered by the host's error report valve. Tomcat's
 * own renders an HTML page with no request id; this one answers as every other error does: a
 * problem with its {@code code} ({@link ErrorPages} decides which) and an {@code X-Request-Id}.
 * Errors Spring already answered (content written) are left alone.
 */
@Component
class ContainerErrors implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		// the host adds its error report valve as it starts, before it starts the context: replace it then
		factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
			if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
				replaceErrorReportValve(context.getParent());
			}
		}));
	}

	private static void replaceErrorReportValve(Container host) {
		if (host == null) {
			return;
		}
		for (Valve valve : host.getPipeline().getValves()) {
			if (valve instanceof ProblemErrorReportValve) {
				return;
			}
			if (valve instanceof ErrorReportValve) {
				host.getPipeline().removeValve(valve);
			}
		}
		host.getPipeline().addValve(new ProblemErrorReportValve());
	}

	/** Tomcat's error report, as a problem. */
	static final class ProblemErrorReportValve extends ErrorReportValve {

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int code = response.getStatus();
			if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			HttpStatus status = HttpStatus.resolve(code);
			if (status == null) {
				status = code < 500 ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
			}
			try {
				response.setHeader(RequestIdFilter.HEADER, UUID.randomUUID().toString());
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.setCharacterEncoding("UTF-8");
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write(ProblemResponses.json(status, ErrorPages.codeFor(status), ErrorPages.detailFor(status)));
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException e) {
				// the client is gone or the response cannot be written any more: nothing to tell anyone
			}
		}
	}
}
