package dev.mailroom.platform.mcp;

import java.util.Map;
import java.util.Objects;

import dev.mailroom.platform.Actor;

/**
 * One MCP tool as a feature declares it: its name, what it does, its input schema, the type its
 * arguments bind to (snake_case JSON, like a REST body, with Bean Validation), its effect, and
 * the one service call it makes. The server wiring adds the rest: the acting API key, the
 * {@code idempotency_key} of {@link Effect#WRITE} tools, the two-step confirmation of
 * {@link Effect#DESTRUCTIVE} ones, failures as {@code isError} results and the audit event.
 *
 * @param <A> the arguments record
 */
public final class McpTool<A> {

	/** What a call does to the organization's state; it decides the protocol's annotations. */
	public enum Effect {
		/** Changes nothing ({@code readOnlyHint}). */
		READ_ONLY,
		/** Creates or sends something; a repeat does it again, so it takes an {@code idempotency_key}. */
		WRITE,
		/** Changes state, but repeating the call changes nothing more ({@code idempotentHint}). */
		IDEMPOTENT_WRITE,
		/** Removes or converts something ({@code destructiveHint}): two steps with a {@code confirm_token}. */
		DESTRUCTIVE
	}

	/** The service call: returns the REST JSON of the result. */
	@FunctionalInterface
	public interface Action<A> {
		Object call(Actor actor, A arguments);
	}

	/** Describes what a destructive call would do, with read-only service calls. */
	@FunctionalInterface
	public interface Preview<A> {
		McpPreview describe(Actor actor, A arguments);
	}

	private final String name;
	private final String title;
	private final String description;
	private final Map<String, Object> inputSchema;
	private final Class<A> arguments;
	private final Effect effect;
	private final boolean idempotent;
	private final boolean openWorld;
	private final String scope;
	private final Preview<A> preview;
	private final Action<A> action;
	private final String done;

	private McpTool(Builder<A> builder) {
		this.name = builder.name;
		this.title = Objects.requireNonNull(builder.title, "title");
		this.description = Objects.requireNonNull(builder.description, "description");
		this.inputSchema = Objects.requireNonNull(builder.input, "input").schema();
		this.arguments = builder.arguments;
		this.effect = Objects.requireNonNull(builder.effect, "effect");
		this.idempotent = builder.idempotent;
		this.openWorld = builder.openWorld;
		this.scope = builder.scope;
		this.preview = builder.preview;
		this.action = Objects.requireNonNull(builder.action, "action");
		this.done = builder.done;
		if (effect == Effect.DESTRUCTIVE && (preview == null || scope == null)) {
			throw new IllegalStateException(name + ": a destructive tool needs a preview and its scope");
		}
	}

	public static <A> Builder<A> named(String name, Class<A> arguments) {
		return new Builder<>(name, arguments);
	}

	public String name() {
		return name;
	}

	public String title() {
		return title;
	}

	public String description() {
		return description;
	}

	public Map<String, Object> inputSchema() {
		return inputSchema;
	}

	public Class<A> arguments() {
		return arguments;
	}

	public Effect effect() {
		return effect;
	}

	/** Whether a repeat of the same call changes nothing more. */
	public boolean idempotent() {
		return idempotent;
	}

	/** Whether the call reaches people outside Mailroom (it sends an email). */
	public boolean openWorld() {
		return openWorld;
	}

	/**
	 * The API-key scope the tool needs, published in {@code tools/list} (the tool's {@code _meta});
	 * for a destructive tool also checked before its confirmation is offered. The service the
	 * tool calls checks it in every case.
	 */
	public String scope() {
		return scope;
	}

	public Preview<A> preview() {
		return preview;
	}

	public Action<A> action() {
		return action;
	}

	/** The sentence that opens a successful result's text, or {@code null} for a generic one. */
	public String done() {
		return done;
	}

	public static final class Builder<A> {

		private final String name;
		private final Class<A> arguments;
		private String title;
		private String description;
		private McpInput input;
		private Effect effect;
		private boolean idempotent;
		private boolean openWorld;
		private String scope;
		private Preview<A> preview;
		private Action<A> action;
		private String done;

		private Builder(String name, Class<A> arguments) {
			this.name = name;
			this.arguments = arguments;
		}

		public Builder<A> title(String title) {
			this.title = title;
			return this;
		}

		/** What the tool does and its side effects, for the agent deciding whether to call it. */
		public Builder<A> description(String description) {
			this.description = description;
			return this;
		}

		public Builder<A> input(McpInput input) {
			this.input = input;
			return this;
		}

		public Builder<A> readOnly() {
			this.effect = Effect.READ_ONLY;
			this.idempotent = true;
			return this;
		}

		public Builder<A> write() {
			this.effect = Effect.WRITE;
			this.idempotent = false;
			return this;
		}

		public Builder<A> idempotentWrite() {
			this.effect = Effect.IDEMPOTENT_WRITE;
			this.idempotent = true;
			return this;
		}

		/**
		 * A destructive tool: its first call runs {@code preview} and changes nothing; only a
		 * second call with the same arguments and the returned {@code confirm_token} runs the action.
		 */
		public Builder<A> destructive(boolean idempotent, String scope, Preview<A> preview) {
			this.effect = Effect.DESTRUCTIVE;
			this.idempotent = idempotent;
			this.scope = scope;
			this.preview = preview;
			return this;
		}

		/** The API-key scope the tool's service call needs (see {@link McpTool#scope()}). */
		public Builder<A> scope(String scope) {
			this.scope = scope;
			return this;
		}

		/** Marks a tool that emails someone outside Mailroom. */
		public Builder<A> sendsEmail() {
			this.openWorld = true;
			return this;
		}

		public Builder<A> done(String sentence) {
			this.done = sentence;
			return this;
		}

		public McpTool<A> call(Action<A> action) {
			this.action = action;
			return new McpTool<>(this);
		}
	}
}
