package dev.jamesproxy.james.managesieve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.jamesproxy.james.netty.Reply;

class ManageSieveBindingTest {
    private final ManageSieveBinding binding = new ManageSieveBinding();

    @Test
    void rejectionLineShouldBeAByeWithTheTextQuotedWithoutItsEnhancedCode() {
        assertThat(binding.rejectionLine(Reply.of("554", "5.7.1 Not accepted from your network")))
            .isEqualTo("BYE \"Not accepted from your network\"");
    }

    @Test
    void rejectionLineShouldEscapeQuotesAndBackslashes() {
        assertThat(binding.rejectionLine(Reply.of("421", "say \"hi\" to C:\\temp")))
            .isEqualTo("BYE \"say \\\"hi\\\" to C:\\\\temp\"");
    }

    @Test
    void rejectionLineShouldKeepAtMost1024Characters() {
        assertThat(binding.rejectionLine(Reply.of("554", "x".repeat(2000)))).hasSize("BYE \"\"".length() + 1024);
    }
}
