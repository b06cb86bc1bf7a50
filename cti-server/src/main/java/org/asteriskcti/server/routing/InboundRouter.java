package org.asteriskcti.server.routing;

import java.util.List;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.domain.DomainLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where an inbound caller goes when it enters our Stasis application
 * ({@code Stasis(cti,inbound,<exten>)} in asterisk-config/extensions.conf).
 *
 * <p>Until the IVR and ACD own inbound calls, no caller may wait in Stasis with nobody serving it:
 * every inbound caller is handed back to the dialplan at {@code routing.unrouted-inbound-context}
 * (asterisk-config's {@code cti-fallback}: app_queue, conference), keeping the number it dialled.
 * Channels that enter the app for other reasons (our own originated legs, snoops) are left alone.
 */
public final class InboundRouter {

    private static final Logger log = LoggerFactory.getLogger(InboundRouter.class);
    public static final String INBOUND = "inbound";

    private final AsteriskCommands commands;
    private final String fallbackContext;
    private final DomainLoop loop;
    private long handedBack;
    private long failed;

    public InboundRouter(AsteriskCommands commands, String fallbackContext, DomainLoop loop) {
        this.commands = commands;
        this.fallbackContext = fallbackContext;
        this.loop = loop;
    }

    /** Called on the domain loop for every event, after the model has applied it. */
    public void onEvent(AsteriskEvent event) {
        if (!(event instanceof AsteriskEvent.StasisStarted start)) {
            return;
        }
        List<String> args = start.args();
        if (args.isEmpty() || !INBOUND.equals(args.get(0))) {
            return;
        }
        String exten = args.size() > 1 && !args.get(1).isBlank() ? args.get(1) : start.channel().exten();
        log.info("inbound {} from {} to {}: no IVR/ACD route yet, continuing in dialplan {},{},1",
                start.channel().id(), start.channel().caller().number(), exten, fallbackContext, exten);
        commands.continueInDialplan(start.channel().id(), fallbackContext, exten, 1)
                .whenCompleteAsync((ok, err) -> {
                    if (err == null) {
                        handedBack++;
                    } else {
                        failed++;
                        log.warn("could not hand inbound {} back to the dialplan: {}", start.channel().id(),
                                err.getMessage());
                    }
                }, loop);
    }

    public long handedBack() {
        return handedBack;
    }

    public long failed() {
        return failed;
    }
}
