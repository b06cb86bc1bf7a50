package org.asteriskcti.server.acd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.asteriskcti.server.agent.AgentStateChanged;
import org.asteriskcti.server.domain.AgentId;

/** Keeps what the ACD asked for, as short readable lines, and every event it published. */
final class RecordingPort implements AcdPort {

    final List<String> commands = new ArrayList<>();
    final List<AgentStateChanged> agentChanges = new ArrayList<>();
    final List<EntryChanged> entryChanges = new ArrayList<>();

    /** The commands since the last call, then forgets them. */
    List<String> take() {
        List<String> out = List.copyOf(commands);
        commands.clear();
        return out;
    }

    @Override
    public void ringAgent(EntryView entry, AgentId agent, Duration ringTimeout) {
        commands.add("ring " + entry.id() + " " + agent + " " + ringTimeout.toSeconds() + "s");
    }

    @Override
    public void cancelRing(EntryView entry, AgentId agent) {
        commands.add("cancel " + entry.id() + " " + agent);
    }

    @Override
    public void bridge(EntryView entry, AgentId agent) {
        commands.add("bridge " + entry.id() + " " + agent);
    }

    @Override
    public void playPosition(EntryView entry, int position, Duration estimatedWait) {
        commands.add("play " + entry.id() + " position " + position + " ewt " + estimatedWait.toSeconds() + "s");
    }

    @Override
    public void overflow(EntryView entry, OverflowTarget target) {
        String to;
        if (target instanceof OverflowTarget.ToQueue q) {
            to = "queue:" + q.queue();
        } else if (target instanceof OverflowTarget.ToVoicemail v) {
            to = "voicemail:" + v.mailbox();
        } else {
            to = "message:" + ((OverflowTarget.HangupWithMessage) target).prompt();
        }
        commands.add("overflow " + entry.id() + " " + to);
    }

    @Override
    public void agentStateChanged(AgentStateChanged change) {
        agentChanges.add(change);
    }

    @Override
    public void entryChanged(EntryChanged change) {
        entryChanges.add(change);
    }
}
