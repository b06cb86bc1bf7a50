package org.asteriskcti.softphone.cti;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import org.asteriskcti.protocol.AgentInfo;

/**
 * What the agent desktop asks of the CTI server, for the user's own agent. Each future completes with the
 * server's reply or fails with a {@link CtiException} carrying its typed error.
 */
public interface DeskCommands {
    CompletableFuture<AgentInfo> agentLogin(boolean ready);

    CompletableFuture<AgentInfo> agentLogout();

    CompletableFuture<AgentInfo> agentReady();

    CompletableFuture<AgentInfo> agentNotReady(String reason);

    CompletableFuture<AgentInfo> agentWrapUpEnd();

    CompletableFuture<AgentInfo> agentWrapUpExtend(long seconds);

    /** A call-control command on the agent's call; the reply data as JSON (usually the conversation). */
    CompletableFuture<JsonNode> call(CallRequest request);
}
