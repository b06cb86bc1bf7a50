package org.asteriskcti.softphone.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.asteriskcti.protocol.ConversationInfo;
import org.asteriskcti.protocol.ConversationInfo.PartyInfo;
import org.asteriskcti.protocol.QueueCall;
import org.asteriskcti.protocol.QueueInfo;
import org.asteriskcti.protocol.RecordingInfo;
import org.asteriskcti.softphone.cti.DeskModel;

/**
 * The current call panel: who calls (the screen pop the IVR collected), through which queue, how long they waited,
 * how long the call runs, and its hold / mute / recording / transfer state.
 */
public final class CallPanelViewModel {

    /** What the panel shows. */
    public enum Phase { IDLE, OFFERED, ON_CALL, WRAP_UP }

    /** One line of the screen pop. */
    public record Row(String label, String value) {}

    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(Phase.IDLE);
    private final StringProperty title = new SimpleStringProperty("No call");
    private final StringProperty callerNumber = new SimpleStringProperty("");
    private final StringProperty callerName = new SimpleStringProperty("");
    private final StringProperty queue = new SimpleStringProperty("");
    private final StringProperty waitText = new SimpleStringProperty("");
    private final StringProperty timer = new SimpleStringProperty("");
    private final StringProperty transferState = new SimpleStringProperty("");
    private final StringProperty recordingState = new SimpleStringProperty("");
    private final BooleanProperty held = new SimpleBooleanProperty();
    private final BooleanProperty muted = new SimpleBooleanProperty();
    private final BooleanProperty recording = new SimpleBooleanProperty();
    private final BooleanProperty recordingPaused = new SimpleBooleanProperty();
    private final BooleanProperty transferring = new SimpleBooleanProperty();
    private final ObservableList<Row> screenPop = FXCollections.observableArrayList();

    private Instant waitFrom;
    private long waitFixedSeconds;
    private Instant talkFrom;

    void refresh(DeskModel model, Instant now) {
        QueueCall qc = model.queueCall().orElse(null);
        ConversationInfo conv = model.currentConversation().orElse(null);
        String acd = model.acdState();
        Phase p;
        if (qc != null && "OFFERING".equals(qc.state())) {
            p = Phase.OFFERED;
        } else if (conv != null) {
            p = Phase.ON_CALL;
        } else if ("WRAP_UP".equals(acd)) {
            // Also when the visit still says CONNECTED: a desk back from snapshots never saw its queue.call.ended.
            p = Phase.WRAP_UP;
        } else if (qc != null && "CONNECTED".equals(qc.state())) {
            p = Phase.ON_CALL;
        } else {
            p = Phase.IDLE;
        }
        phase.set(p);
        title.set(switch (p) {
            case IDLE -> "No call";
            case OFFERED -> "Incoming call";
            case ON_CALL -> "On call";
            case WRAP_UP -> "Call ended — wrap-up";
        });

        PartyInfo other = conv == null ? null : conv.parties().stream()
                .filter(x -> !"AGENT".equals(x.role()) || !model.agentId().equals(x.agent()))
                .filter(x -> !"GONE".equals(x.state())).findFirst().orElse(null);
        QueueCall.ScreenPop pop = qc == null || p == Phase.IDLE ? null : qc.screenPop();
        callerNumber.set(pop != null && pop.callerNumber() != null ? pop.callerNumber()
                : other != null && other.number() != null ? other.number() : "");
        callerName.set(pop != null && pop.callerName() != null ? pop.callerName()
                : other != null && other.name() != null ? other.name() : "");
        String queueId = qc != null && p != Phase.IDLE ? qc.queue() : conv != null ? conv.queue() : null;
        queue.set(queueId == null ? "" : queueName(model, queueId));
        screenPop.setAll(rows(pop));

        if (qc != null && p != Phase.IDLE) {
            boolean waiting = "OFFERING".equals(qc.state()) || "WAITING".equals(qc.state());
            waitFrom = waiting ? (qc.arrivedAt() != null ? qc.arrivedAt() : qc.since()) : null;
            waitFixedSeconds = qc.waitSeconds();
        } else {
            waitFrom = null;
            waitFixedSeconds = -1;
        }
        PartyInfo mine = conv == null ? null : conv.parties().stream()
                .filter(x -> model.agentId().equals(x.agent()) && !"GONE".equals(x.state())).findFirst().orElse(null);
        talkFrom = p != Phase.ON_CALL ? null
                : mine != null && mine.joinedAt() != null ? mine.joinedAt()
                : conv != null && conv.startedAt() != null ? conv.startedAt()
                : qc != null ? qc.since() : null;
        muted.set(mine != null && mine.muted());
        held.set(conv != null && conv.parties().stream().anyMatch(x -> x != mine && "HELD".equals(x.state())));
        ConversationInfo.Transfer t = conv == null ? null : conv.transfer();
        transferring.set(t != null);
        transferState.set(t == null ? "" : "Transfer to " + t.target() + ": " + t.state().toLowerCase().replace('_', ' '));
        RecordingInfo r = p == Phase.ON_CALL ? model.activeRecording().orElse(null) : null;
        recording.set(r != null);
        recordingPaused.set(r != null && "PAUSED".equals(r.state()));
        recordingState.set(r == null ? "" : "PAUSED".equals(r.state()) ? "Recording paused" : "Recording");
        tick(now);
    }

    void tick(Instant now) {
        if (waitFrom != null) {
            waitText.set("waited " + Format.minutesSeconds(Duration.between(waitFrom, now)));
        } else if (waitFixedSeconds >= 0) {
            waitText.set("waited " + Format.minutesSeconds(Duration.ofSeconds(waitFixedSeconds)));
        } else {
            waitText.set("");
        }
        timer.set(talkFrom == null ? "" : Format.minutesSeconds(Duration.between(talkFrom, now)));
    }

    private static String queueName(DeskModel model, String id) {
        for (QueueInfo q : model.queues()) {
            if (q.queueId().equals(id) && q.name() != null) {
                return q.name();
            }
        }
        return id;
    }

    /** The screen pop as label/value lines: region, language, IVR keys, then the collected data by name. */
    static List<Row> rows(QueueCall.ScreenPop pop) {
        List<Row> rows = new ArrayList<>();
        if (pop == null) {
            return rows;
        }
        if (pop.region() != null) {
            rows.add(new Row("Region", pop.region()));
        }
        if (pop.language() != null) {
            rows.add(new Row("Language", pop.language()));
        }
        if (pop.choices() != null && !pop.choices().isEmpty()) {
            List<String> keys = new ArrayList<>();
            pop.choices().forEach(c -> keys.add(c.node() + ": " + c.key()));
            rows.add(new Row("IVR choices", String.join(", ", keys)));
        }
        if (pop.data() != null) {
            for (Map.Entry<String, String> e : new TreeMap<>(pop.data()).entrySet()) {
                rows.add(new Row(e.getKey(), e.getValue()));
            }
        }
        return rows;
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title;
    }

    public ReadOnlyStringProperty callerNumberProperty() {
        return callerNumber;
    }

    public ReadOnlyStringProperty callerNameProperty() {
        return callerName;
    }

    public ReadOnlyStringProperty queueProperty() {
        return queue;
    }

    public ReadOnlyStringProperty waitTextProperty() {
        return waitText;
    }

    /** The call's running time "m:ss" while on the call. */
    public ReadOnlyStringProperty timerProperty() {
        return timer;
    }

    public ReadOnlyStringProperty transferStateProperty() {
        return transferState;
    }

    public ReadOnlyStringProperty recordingStateProperty() {
        return recordingState;
    }

    public ReadOnlyBooleanProperty heldProperty() {
        return held;
    }

    public ReadOnlyBooleanProperty mutedProperty() {
        return muted;
    }

    public ReadOnlyBooleanProperty recordingProperty() {
        return recording;
    }

    public ReadOnlyBooleanProperty recordingPausedProperty() {
        return recordingPaused;
    }

    public ReadOnlyBooleanProperty transferringProperty() {
        return transferring;
    }

    public ObservableList<Row> screenPop() {
        return screenPop;
    }
}
