package org.asteriskcti.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.asteriskcti.server.domain.TenantId;
import org.junit.jupiter.api.Test;

/** The IVR position kept on a caller's channel: what it holds survives the round trip; bad text is named. */
class IvrPositionTest {

    @Test
    void givenAPositionWithEverythingLearnt_whenEncodedAndParsed_thenItIsTheSame() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("lookup.name", "Zoë & Co = 100%");
        vars.put("account", "");
        vars.put("menu.menu", "1");
        IvrPosition p = new IvrPosition(TenantId.of("acme"), FlowId.of("main"), "3fa9c2e1b0d4", NodeId.of("billing"), "zh-CN",
                Optional.of("北京"), List.of(new CallData.MenuChoice(NodeId.of("lang"), "2"),
                        new CallData.MenuChoice(NodeId.of("menu"), "#")), vars);

        String text = p.encode();

        assertThat(text).startsWith("t=acme&f=main&v=3fa9c2e1b0d4&n=billing&lang=zh-CN&r=");
        assertThat(IvrPosition.parse(text)).contains(p);
        assertThat(IvrPosition.parse(text).orElseThrow().vars().keySet()).containsExactly("lookup.name", "account", "menu.menu");
    }

    @Test
    void givenNothingOrBlank_thenNoPosition() {
        assertThat(IvrPosition.parse(null)).isEmpty();
        assertThat(IvrPosition.parse("")).isEmpty();
        assertThat(IvrPosition.parse("  ")).isEmpty();
    }

    @Test
    void givenTextThatIsNoPosition_thenTheErrorNamesWhatIsWrong() {
        assertThatThrownBy(() -> IvrPosition.parse("main@0a:menu"))
                .hasMessage("'main@0a:menu' is not key=value in IVR position main@0a:menu");
        assertThatThrownBy(() -> IvrPosition.parse("main@0a:menu;lang=en"))
                .hasMessage("'t' missing in IVR position main@0a:menu;lang=en");
        assertThatThrownBy(() -> IvrPosition.parse("t=acme&f=main&v=0a&lang=en"))
                .hasMessage("'n' missing in IVR position t=acme&f=main&v=0a&lang=en");
        assertThatThrownBy(() -> IvrPosition.parse("t=acme&f=main&v=0a&n=menu&lang=en&ch=menu"))
                .hasMessage("choice 'menu' is not node:key in IVR position t=acme&f=main&v=0a&n=menu&lang=en&ch=menu");
    }
}
