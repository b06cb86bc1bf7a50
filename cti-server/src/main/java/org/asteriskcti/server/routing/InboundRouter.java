package org.asteriskcti.server.routing;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskEvent;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where an inbound caller goes when it enters our Stasis application
 * ({@code Stasis(cti,inbound,<exten>)} in asterisk-config/extensions.conf).
 *
 * <p>A DID routed to a queue (tenants[].routes) puts the caller into our ACD; one routed to an IVR flow
 * starts that flow (which may hand the caller to the ACD later). Any other caller — an
 * unrouted DID, or one the ACD refuses — is handed back to the dialplan at
 * {@code routing.unrouted-inbound-context} (asterisk-config's {@code cti-fallback}: app_queue,
 * conference), keeping the number it dialled, so no caller waits in Stasis with nobody serving it.
 * Channels that enter the app for other reasons (our own originated legs, snoops) are left alone, and
 * so is a caller the ACD re-queued after a restart (its StasisStart is long past).
 */
public final class InboundRouter {

    private static final Logger log = LoggerFactory.getLogger(InboundRouter.class);
    public static final String INBOUND = "inbound";

    private final AsteriskCommands commands;
    private final String fallbackContext;
    private final DomainLoop loop;
    private final Function<String, Optional<Route>> routeOf;
    private final BiFunction<ChannelSnapshot, Route, ?> enqueue;
    private final BiFunction<ChannelSnapshot, Route, ?> startFlow;

    /**
     * Where a DID's callers go: a queue, with a priority (0 normal, higher first) and maybe a language;
     * or, when {@code flow} is given, that IVR flow of the DID's tenant ({@code queue} is then null).
     */
    public record Route(QueueId queue, int priority, Optional<String> language, Optional<String> flow,
            Optional<String> did) {
        public Route {
            if ((queue == null) == flow.isEmpty()) {
                throw new IllegalArgumentException("a route has a queue or a flow: " + queue + " / " + flow);
            }
            java.util.Objects.requireNonNull(did, "did");
        }

        public Route(QueueId queue, int priority, Optional<String> language, Optional<String> flow) {
            this(queue, priority, language, flow, Optional.empty());
        }

        public Route(QueueId queue, int priority, Optional<String> language) {
            this(queue, priority, language, Optional.empty());
        }

        /** The route as taken by a caller who dialled {@code number} (logged with their queue visit). */
        public Route dialled(String number) {
            return new Route(queue, priority, language, flow, Optional.ofNullable(number));
        }

        public static Route of(String queue) {
            return new Route(QueueId.of(queue), 0, Optional.empty());
        }

        public static Route toFlow(String flow, Optional<String> language) {
            return new Route(null, 0, language, Optional.of(flow));
        }

        String target() {
            return flow.map(f -> "flow " + f).orElse("queue " + queue);
        }
    }
    private long flows;
    private long handedBack;
    private long queued;
    private long failed;

    /** Without an ACD: every inbound caller goes back to the dialplan. */
    public InboundRouter(AsteriskCommands commands, String fallbackContext, DomainLoop loop) {
        this(commands, fallbackContext, loop, did -> Optional.empty(), (ch, q) -> null);
    }

    /**
     * @param routeOf the queue a DID is routed to
     * @param enqueue puts the caller in that queue; throws (e.g. AcdException) to refuse them
     */
    public InboundRouter(AsteriskCommands commands, String fallbackContext, DomainLoop loop,
            Function<String, Optional<Route>> routeOf, BiFunction<ChannelSnapshot, Route, ?> enqueue) {
        this(commands, fallbackContext, loop, routeOf, enqueue, (ch, r) -> {
            throw new IllegalStateException("no IVR (ivr.dir is not set)");
        });
    }

    /**
     * @param startFlow starts the route's IVR flow for the caller; throws to refuse them
     */
    public InboundRouter(AsteriskCommands commands, String fallbackContext, DomainLoop loop,
            Function<String, Optional<Route>> routeOf, BiFunction<ChannelSnapshot, Route, ?> enqueue,
            BiFunction<ChannelSnapshot, Route, ?> startFlow) {
        this.startFlow = startFlow;
        this.commands = commands;
        this.fallbackContext = fallbackContext;
        this.loop = loop;
        this.routeOf = routeOf;
        this.enqueue = enqueue;
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
        ChannelSnapshot ch = start.channel();
        String exten = args.size() > 1 && !args.get(1).isBlank() ? args.get(1) : ch.exten();
        Optional<Route> route = routeOf.apply(exten).map(r -> r.dialled(exten));
        if (route.isPresent() && route.get().flow().isPresent()) {
            try {
                startFlow.apply(ch, route.get());
                flows++;
                log.info("inbound {} from {} to {}: {}", ch.id(), ch.caller().number(), exten, route.get().target());
                return;
            } catch (RuntimeException e) {
                log.warn("inbound {} from {} to {}: {} refused the caller ({}); dialplan fallback", ch.id(),
                        ch.caller().number(), exten, route.get().target(), e.getMessage());
            }
        } else if (route.isPresent()) {
            try {
                Object entry = enqueue.apply(ch, route.get());
                queued++;
                log.info("inbound {} from {} to {}: queue {} (entry {})", ch.id(), ch.caller().number(), exten,
                        route.get().queue(), entry);
                return;
            } catch (RuntimeException e) {
                log.warn("inbound {} from {} to {}: queue {} refused the caller ({}); dialplan fallback", ch.id(),
                        ch.caller().number(), exten, route.get().queue(), e.getMessage());
            }
        } else {
            log.info("inbound {} from {} to {}: no route, continuing in dialplan {},{},1", ch.id(),
                    ch.caller().number(), exten, fallbackContext, exten);
        }
        commands.continueInDialplan(ch.id(), fallbackContext, exten, 1)
                .whenCompleteAsync((ok, err) -> {
                    if (err == null) {
                        handedBack++;
                    } else {
                        failed++;
                        log.warn("could not hand inbound {} back to the dialplan: {}", ch.id(), err.getMessage());
                    }
                }, loop);
    }

    public long handedBack() {
        return handedBack;
    }

    /** Callers sent into an IVR flow. */
    public long intoFlows() {
        return flows;
    }

    public long queued() {
        return queued;
    }

    public long failed() {
        return failed;
    }
}
