package org.asteriskcti.softphone.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.asteriskcti.softphone.sip.PhoneConfig;
import org.junit.jupiter.api.Test;

class SipOptionsTest {

    @Test
    void givenTheLabAgentOptions_thenTheConfigIsAStaticContactWithoutAuth() {
        Map<String, String> named = Map.of("server", "http://localhost:8080", "sip-server", "127.0.0.1:5060",
                "sip-user", "1001", "sip-local-port", "5071", "sip-register", "false");
        assertThat(SipOptions.present(named)).isTrue();
        PhoneConfig c = SipOptions.parse(named).config().build();
        assertThat(c.user()).isEqualTo("1001");
        assertThat(c.password()).isNull();
        assertThat(c.server()).isEqualTo("127.0.0.1");
        assertThat(c.serverPort()).isEqualTo(5060);
        assertThat(c.localAddress()).isEqualTo("127.0.0.1");
        assertThat(c.localSipPort()).isEqualTo(5071);
        assertThat(c.register()).isFalse();
    }

    @Test
    void givenARegisteringAgent_thenHostDefaultsPortAndPasswordAreTaken() {
        SipOptions o = SipOptions.parse(Map.of("sip-server", "pbx.example", "sip-user", "2001", "sip-password", "s3cret"));
        assertThat(o).isEqualTo(new SipOptions("pbx.example", 5060, "2001", "s3cret", "127.0.0.1", 5060, true));
    }

    @Test
    void givenNoSipOptions_thenThereIsNoBuiltInPhone() {
        assertThat(SipOptions.present(Map.of("server", "http://cti:8080", "user", "alice"))).isFalse();
    }

    @Test
    void givenBadOptions_thenTheMessageNamesTheOption() {
        assertThatThrownBy(() -> SipOptions.parse(Map.of("sip-server", "127.0.0.1:5060")))
                .hasMessageContaining("--sip-user");
        assertThatThrownBy(() -> SipOptions.parse(Map.of("sip-user", "1001", "sip-local-port", "50x")))
                .hasMessageContaining("--sip-local-port").hasMessageContaining("50x");
        assertThatThrownBy(() -> SipOptions.parse(Map.of("sip-user", "1001", "sip-register", "maybe")))
                .hasMessageContaining("--sip-register");
    }

    @Test
    void givenBadOptions_thenBadOptionCarriesTheKeyAndTheProblemForTheForm() {
        assertThatThrownBy(() -> SipOptions.parse(Map.of("sip-user", "1001", "sip-server", "pbx:99999")))
                .isInstanceOfSatisfying(SipOptions.BadOption.class, e -> {
                    assertThat(e.option()).isEqualTo("sip-server");
                    assertThat(e.problem()).isEqualTo("'pbx:99999' has no valid port");
                });
        assertThatThrownBy(() -> SipOptions.parse(Map.of("sip-user", "10 01")))
                .isInstanceOfSatisfying(SipOptions.BadOption.class, e -> assertThat(e.option()).isEqualTo("sip-user"));
    }

    @Test
    void givenAudioOptions_thenSilenceAndNoneNeedNoDevice() {
        SipOptions o = SipOptions.parse(Map.of("sip-user", "1001", "sip-microphone", "silence", "sip-speaker", "none"));
        assertThat(o.microphone()).isEqualTo("silence");
        PhoneConfig c = o.config().build();
        assertThat(c.audioSource().get()).isInstanceOf(org.asteriskcti.softphone.sip.audio.SilenceSource.class);
        assertThat(c.audioSink().get()).isInstanceOf(org.asteriskcti.softphone.sip.audio.NullSink.class);
        assertThat(SipOptions.parse(Map.of("sip-user", "1001")).microphone()).isEqualTo(AudioDevices.DEFAULT);
    }
}
