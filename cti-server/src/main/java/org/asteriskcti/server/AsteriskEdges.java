package org.asteriskcti.server;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.asteriskcti.server.asterisk.AsteriskCommands;
import org.asteriskcti.server.asterisk.AsteriskEventSink;
import org.asteriskcti.server.asterisk.ami.AmiConnector;
import org.asteriskcti.server.asterisk.ami.AmiSettings;
import org.asteriskcti.server.asterisk.ari.AriClient;
import org.asteriskcti.server.asterisk.ari.AriEventsConnector;
import org.asteriskcti.server.asterisk.ari.AriRecordingFiles;
import org.asteriskcti.server.asterisk.ari.AriSettings;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.metrics.CtiMetrics;
import org.asteriskcti.server.recording.RecordingFiles;

/** The production edges: the AMI connector and the ARI events connector, as configured. */
public final class AsteriskEdges implements CtiServer.EdgeFactory {

    private final Clock clock;

    public AsteriskEdges() {
        this(Clock.systemUTC());
    }

    public AsteriskEdges(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CtiServer.Edges create(CtiConfig config, AsteriskEventSink sink, CtiMetrics metrics) {
        List<AsteriskEdge> edges = new ArrayList<>();
        AsteriskCommands commands = AsteriskCommands.UNAVAILABLE;
        RecordingFiles recordingFiles = RecordingFiles.UNAVAILABLE;
        if (config.ami().enabled()) {
            edges.add(ami(config.ami(), sink));
        }
        if (config.ari().enabled()) {
            AriClient client = new AriClient(ariSettings(config.ari()));
            edges.add(ari(client, config.ari(), sink));
            commands = new org.asteriskcti.server.asterisk.ari.AriCommands(client);
            recordingFiles = new AriRecordingFiles(client);
        }
        return new CtiServer.Edges(edges, commands, recordingFiles);
    }

    static AmiSettings amiSettings(CtiConfig.Ami c) {
        return AmiSettings.of(c.host(), c.port(), c.username(), c.secret())
                .withConnectTimeout(c.connectTimeout())
                .withPing(c.pingInterval(), c.pingTimeout())
                .withReconnect(c.reconnectMin(), c.reconnectMax());
    }

    static AriSettings ariSettings(CtiConfig.Ari c) {
        return AriSettings.of(c.username(), c.password())
                .withBaseUrl(c.url())
                .withApp(c.app())
                .withRequestTimeout(c.requestTimeout())
                .withReconnect(c.reconnectMin(), c.reconnectMax());
    }

    private AsteriskEdge ami(CtiConfig.Ami c, AsteriskEventSink sink) {
        AmiConnector connector = new AmiConnector(amiSettings(c), sink, clock);
        return edge("AMI edge " + c.host() + ":" + c.port(), connector::start, connector::close);
    }

    private AsteriskEdge ari(AriClient client, CtiConfig.Ari c, AsteriskEventSink sink) {
        AriEventsConnector connector = new AriEventsConnector(client, sink, clock);
        return edge("ARI edge " + c.url() + " app " + c.app(), connector::start, connector::close);
    }

    private static AsteriskEdge edge(String name, Runnable start, Runnable close) {
        return new AsteriskEdge() {
            @Override
            public void start() {
                start.run();
            }

            @Override
            public void close() {
                close.run();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
