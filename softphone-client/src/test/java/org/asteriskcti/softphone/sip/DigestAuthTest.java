package org.asteriskcti.softphone.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DigestAuthTest {

    @Test
    void givenTheRfc2617Example_whenComputed_thenTheRfcResponse() {
        assertThat(DigestAuth.response("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", "auth", "00000001", "0a4f113b"))
                .isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void givenNoQop_whenComputed_thenTheRfc2069Form() {
        String ha1 = DigestAuth.md5("1001:asterisk:secret");
        String ha2 = DigestAuth.md5("REGISTER:sip:127.0.0.1:5060");
        assertThat(DigestAuth.response(null, "1001", "asterisk", "secret", "abc", "REGISTER", "sip:127.0.0.1:5060",
                null, null, null)).isEqualTo(DigestAuth.md5(ha1 + ":abc:" + ha2));
    }

    @Test
    void givenQopChoices_whenChosen_thenAuthOrRefused() {
        assertThat(DigestAuth.chooseQop("auth,auth-int")).isEqualTo("auth");
        assertThat(DigestAuth.chooseQop(null)).isNull();
        assertThatThrownBy(() -> DigestAuth.chooseQop("auth-int")).hasMessageContaining("auth-int");
        assertThatThrownBy(() -> DigestAuth.response("SHA-512-256", "u", "r", "p", "n", "M", "u", null, null, null))
                .hasMessageContaining("SHA-512-256");
    }
}
