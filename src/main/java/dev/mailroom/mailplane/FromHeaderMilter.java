package dev.mailroom.mailplane;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.nightcode.milter.AbstractMilterHandler;
import org.nightcode.milter.Actions;
import org.nightcode.milter.MilterContext;
import org.nightcode.milter.MilterException;
import org.nightcode.milter.MilterMacros;
import org.nightcode.milter.ProtocolSteps;
import org.nightcode.milter.ResponseCode;
import org.nightcode.milter.codec.MilterPacket;

/**
 * The milter adapter of {@link FromPolicy}: it remembers the SASL login Postfix reports with MAIL
 * FROM ({@code {auth_authen}}), collects the From: headers and answers at the end of the headers.
 * The body is never asked for.
 */
final class FromHeaderMilter extends AbstractMilterHandler {

	private record Message(String login, List<String> from) {
	}

	private final FromPolicy policy;
	private final Map<UUID, Message> messages = new ConcurrentHashMap<>();

	FromHeaderMilter(FromPolicy policy) {
		super(Actions.builder().build(), ProtocolSteps.builder().noBody().noConnect().noHelo().noRecipients().noData()
			.noUnknownCommands().build(), MilterMacros.builder().envfromMacros("{auth_authen}").build());
		this.policy = policy;
	}

	@Override
	public void envfrom(MilterContext context, List<String> from) throws MilterException {
		Map<String, String> macros = context.getMacros(org.nightcode.milter.CommandCode.SMFIC_MAIL.code());
		String login = macros == null ? null : macros.getOrDefault("{auth_authen}", macros.get("auth_authen"));
		messages.put(context.id(), new Message(login, new ArrayList<>()));
		context.sendContinue();
	}

	@Override
	public void header(MilterContext context, String name, String value) throws MilterException {
		Message message = messages.get(context.id());
		if (message != null && name.equalsIgnoreCase("From")) {
			message.from().add(value == null ? "" : value.strip());
		}
		context.sendContinue();
	}

	@Override
	public void eoh(MilterContext context) throws MilterException {
		Message message = messages.remove(context.id());
		Optional<String> refusal = message == null ? Optional.empty() : policy.check(message.login(), message.from());
		if (refusal.isPresent()) {
			byte[] text = (refusal.get() + "\0").getBytes(StandardCharsets.US_ASCII);
			context.sendPacket(MilterPacket.builder().command(ResponseCode.SMFIR_REPLYCODE).payload(text).build());
		}
		else {
			context.sendPacket(MilterPacket.builder().command(ResponseCode.SMFIR_ACCEPT).build());
		}
	}

	@Override
	public void abort(MilterContext context, MilterPacket packet) throws MilterException {
		messages.remove(context.id());
		super.abort(context, packet);
	}

	@Override
	public void quit(MilterContext context) {
		messages.remove(context.id());
	}

	@Override
	public void closeSession(MilterContext context) {
		messages.remove(context.id());
		super.closeSession(context);
	}
}
