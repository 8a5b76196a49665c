package dev.jamesproxy.hooks;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/** Parses a hook's optional {@code <reply>554 5.7.1 text</reply>} into a rejecting {@link HookResult}. */
final class Replies {
    private Replies() {
    }

    /**
     * @param value null for a silent close
     * @throws ConfigurationException when the value does not start with a 4xx or 5xx code
     */
    static HookResult parse(String value, HookReturnCode code) throws ConfigurationException {
        if (value == null || value.isBlank()) {
            return HookResult.builder().hookReturnCode(code).build();
        }
        String trimmed = value.trim();
        if (!trimmed.matches("[45][0-9][0-9]( .*)?")) {
            throw new ConfigurationException("<reply> '" + value + "' must start with a 4xx or 5xx SMTP code,"
                + " e.g. <reply>554 5.7.1 Not accepted</reply>");
        }
        String[] parts = trimmed.split(" ", 2);
        return HookResult.builder()
            .hookReturnCode(code)
            .smtpReturnCode(parts[0])
            .smtpDescription(parts.length > 1 ? parts[1] : "Connection refused")
            .build();
    }
}
