package dev.jamesproxy.james.netty;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.jamesproxy.james.HookAnswer;

/**
 * The one line a rejecting hook asked to send before the close, in the SMTP form the hook API uses
 * ({@code 554} + {@code 5.7.1 Not from your network}); each protocol renders it its own way. Immutable.
 */
public final class Reply {
    private static final Pattern ENHANCED_STATUS = Pattern.compile("^[245]\\.[0-9]{1,3}\\.[0-9]{1,3}\\s+");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");

    private final String code;
    private final String text;

    private Reply(String code, String text) {
        this.code = Objects.requireNonNull(code, "code");
        this.text = LINE_BREAKS.matcher(Objects.requireNonNull(text, "text")).replaceAll(" ");
    }

    public static Reply of(String code, String text) {
        return new Reply(code, text);
    }

    /** The reply a hook's answer carries, if it carries an SMTP code. */
    static Optional<Reply> of(HookAnswer answer) {
        return answer.replyCode().map(code -> new Reply(code, answer.replyText().orElse("Connection refused")));
    }

    /** The three-digit SMTP code, e.g. {@code 554}. */
    public String code() {
        return code;
    }

    /** The text after the code, e.g. {@code 5.7.1 Not from your network}; one line. */
    public String text() {
        return text;
    }

    /** The text without a leading enhanced status code ({@code 5.7.1}), for protocols that have none. */
    public String plainText() {
        return ENHANCED_STATUS.matcher(text).replaceFirst("");
    }

    @Override
    public String toString() {
        return code + " " + text;
    }
}
