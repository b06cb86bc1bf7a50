package org.asteriskcti.server.ivr;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.ChannelSnapshot;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.DomainLoop;
import org.asteriskcti.server.domain.QueueId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IvrPort} of one caller in our Stasis application: prompts are ARI playbacks on the channel
 * (numbered {@code ivr-<process>-<channel>-<n>}), the position is kept in the channel variable
 * {@value #POSITION_VAR}, and a hand-over either admits the caller into our ACD (which then owns the
 * channel) or lets the channel continue in the dialplan. Called on the domain loop; every command's
 * failure is logged and, for a playback, reported as its end so the flow moves on.
 *
 * <p>{@code file:<name>} prompts (the tenant's own recordings) are played from the tenant's
 * {@code prompts/} folder by absolute path ({@link IvrService#promptMedia}), in the caller's language when
 * the tenant has the file in that language's folder.
 */
final class AriIvrPort implements IvrPort {

    private static final Logger log = LoggerFactory.getLogger(AriIvrPort.class);

    static final String POSITION_VAR = "CTI_IVR_POSITION";
    static final String VOICEMAIL_VAR = "CTI_VOICEMAIL";
    static final String VOICEMAIL_CONTEXT = "cti-voicemail";

    private final IvrService service;
    private final IvrService.Call call;
    private final AsteriskCommands asterisk;
    private final DomainLoop loop;

    AriIvrPort(IvrService service, IvrService.Call call, AsteriskCommands asterisk, DomainLoop loop) {
        this.service = service;
        this.call = call;
        this.asterisk = asterisk;
        this.loop = loop;
    }

    /**
     * ARI media URIs for prompts: {@code sound:x}, {@code digits:123}, {@code number:42}; {@code file:x} →
     * {@code sound:<the tenant's prompts folder>/[<language>/]x}.
     */
    static List<String> media(List<Prompt> prompts, java.util.function.BiFunction<String, String, String> fileMedia,
            String language) {
        return prompts.stream().map(p -> switch (p.kind()) {
            case SOUND -> "sound:" + p.text();
            case FILE -> fileMedia.apply(p.text(), language);
            case DIGITS -> "digits:" + p.text();
            case NUMBER -> "number:" + p.text();
        }).toList();
    }

    @Override
    public void play(long playback, List<Prompt> prompts, String language) {
        String id = service.playbackId(call, playback);
        service.playing(id, call, playback);
        step("play " + id, () -> asterisk.play(call.channel().id(), id,
                media(prompts, (name, lang) -> service.promptMedia(call.flow(), name, lang), language), language), error -> {
            // Nothing will be played: the flow moves on as if it had been (a gone channel hangs up anyway).
            service.playbackEnded(id);
        });
    }

    @Override
    public void stopPlayback(long playback) {
        String id = service.playbackId(call, playback);
        // A playback already over answers 404: harmless, its end was (or is being) reported.
        asterisk.stopPlayback(id).whenCompleteAsync((ok, e) -> {
            if (e != null) {
                log.debug("ivr {}: stop playback {}: {}", call.channel().id(), id, e.getMessage());
            }
        }, loop);
    }

    @Override
    public CompletableFuture<Map<String, String>> lookup(URI url, Map<String, String> params, Duration timeout) {
        return service.lookups().lookup(url, params, timeout);
    }

    @Override
    public void positionChanged(IvrPosition position) {
        step("set " + POSITION_VAR, () -> asterisk.setVariable(call.channel().id(), POSITION_VAR, position.encode()), e -> {});
    }

    // ---- hand-overs ------------------------------------------------------------------------------------

    @Override
    public void toQueue(QueueId queue, Map<String, Integer> skills, int priority, String language, CallData data) {
        service.handedOver(call, "queue");
        clearPosition();
        admit(queue, skills, priority, language, data, Optional.empty());
    }

    private void admit(QueueId queue, Map<String, Integer> skills, int priority, String language, CallData data,
            Optional<AgentId> onlyAgent) {
        try {
            Optional<String> needs = call.queueLanguage(language);
            Object entry = service.queues().admit(call.channel(), queue, priority, needs, skills, data, onlyAgent);
            log.info("ivr {}: to queue {} (entry {}, priority {}, agents' language {}, skills {}{})", call.channel().id(), queue,
                    entry, priority, needs.orElse("any"), skills, onlyAgent.map(a -> ", for agent " + a + " only").orElse(""));
        } catch (RuntimeException e) {
            log.warn("ivr {}: queue {} refused the caller ({}); dialplan fallback {}", call.channel().id(), queue,
                    e.getMessage(), service.fallbackContext());
            continueTo(service.fallbackContext(), call.channel().exten());
        }
    }

    @Override
    public void toAgent(AgentId agent, Optional<QueueId> queue, String language, CallData data) {
        service.handedOver(call, "agent");
        clearPosition();
        if (queue.isPresent()) {
            admit(queue.get(), Map.of(), 0, language, data, Optional.of(agent));
            return;
        }
        Optional<String> extension = service.agentExtension(agent);
        if (extension.isPresent()) {
            continueTo(service.dialContext(call.tenant()), extension.get());
        } else {
            log.warn("ivr {}: agent {} is unknown; dialplan fallback {}", call.channel().id(), agent, service.fallbackContext());
            continueTo(service.fallbackContext(), call.channel().exten());
        }
    }

    @Override
    public void toExtension(String extension, CallData data) {
        service.handedOver(call, "extension");
        clearPosition();
        continueTo(service.dialContext(call.tenant()), extension);
    }

    @Override
    public void toExternal(String number, CallData data) {
        service.handedOver(call, "external");
        clearPosition();
        continueTo(service.dialContext(call.tenant()), service.dialPrefix(call.tenant()) + number);
    }

    @Override
    public void toVoicemail(String mailbox, CallData data) {
        service.handedOver(call, "voicemail");
        clearPosition();
        if (service.voicemail() != null) {
            // The CTI's own voicemail: the caller stays in our application (answered, in no bridge).
            log.info("ivr {}: to voicemail box {}", call.channel().id(), mailbox);
            try {
                service.voicemail().leave(new org.asteriskcti.server.voicemail.VoicemailRequest(call.channel().id(),
                        call.channel().caller(), call.tenant(), org.asteriskcti.server.voicemail.Mailbox.of(mailbox),
                        org.asteriskcti.server.voicemail.Origin.flow(call.flow().id().value())));
                return;
            } catch (RuntimeException e) {
                log.warn("ivr {}: voicemail refused the caller ({}); dialplan {}", call.channel().id(), e.getMessage(),
                        VOICEMAIL_CONTEXT);
            }
        }
        step("set " + VOICEMAIL_VAR, () -> asterisk.setVariable(call.channel().id(), VOICEMAIL_VAR, mailbox), e -> {});
        continueTo(VOICEMAIL_CONTEXT, "s");
    }

    @Override
    public void hangup(CallData data) {
        service.handedOver(call, "hangup");
        step("hangup", () -> asterisk.hangup(call.channel().id(), AsteriskCommands.HangupCause.NORMAL), e -> {});
    }

    private void clearPosition() {
        // Out of the flow: a CTI restarted later must not take the caller back into it.
        step("clear " + POSITION_VAR, () -> asterisk.setVariable(call.channel().id(), POSITION_VAR, ""), e -> {});
    }

    private void continueTo(String context, String exten) {
        log.info("ivr {}: continues in dialplan {},{},1", call.channel().id(), context, exten);
        step("continue to " + context + "," + exten, () -> asterisk.continueInDialplan(call.channel().id(), context, exten, 1),
                e -> {});
    }

    private void step(String what, Supplier<CompletableFuture<Void>> command, java.util.function.Consumer<Throwable> onError) {
        CompletableFuture<Void> f;
        try {
            f = command.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenCompleteAsync((ok, e) -> {
            if (e != null) {
                log.warn("ivr {}: {} failed: {}", call.channel().id(), what, e.getMessage());
                onError.accept(e);
            }
        }, loop);
    }
}
