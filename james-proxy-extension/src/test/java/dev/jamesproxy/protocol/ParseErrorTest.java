package dev.jamesproxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParseErrorTest {
    @Test
    void everyReasonShouldHaveACategoryAndATag() {
        for (ParseError.Reason reason : ParseError.Reason.values()) {
            assertThat(reason.category()).as(reason.name()).isNotNull();
            assertThat(reason.tag()).matches("[a-z0-9-]+");
        }
    }

    @Test
    void categoriesShouldGroupTheReasons() {
        assertThat(ParseError.Reason.CRC32C_MISSING.category()).isEqualTo(ParseError.Category.CRC32C);
        assertThat(ParseError.Reason.V2_TOO_MANY_TLVS.category()).isEqualTo(ParseError.Category.OVERSIZE);
        assertThat(ParseError.Reason.V1_TOO_LONG.category()).isEqualTo(ParseError.Category.OVERSIZE);
        assertThat(ParseError.Reason.TLS_INSTEAD_OF_HEADER.category()).isEqualTo(ParseError.Category.NOT_PROXY);
        assertThat(ParseError.Reason.V1_BAD_PORT.category()).isEqualTo(ParseError.Category.MALFORMED);
        assertThat(ParseError.Reason.V2_TRUNCATED_ADDRESS.tag()).isEqualTo("v2-truncated-address");
    }
}
