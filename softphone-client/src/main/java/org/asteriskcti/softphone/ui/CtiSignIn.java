package org.asteriskcti.softphone.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.asteriskcti.protocol.Protocol.Topics;
import org.asteriskcti.softphone.cti.Backoff;
import org.asteriskcti.softphone.cti.CtiClient;
import org.asteriskcti.softphone.cti.CtiException;
import org.asteriskcti.softphone.cti.DeskModel;

/** Signs in against a real CTI server: REST login, then the stream on agents and agent:<id>, then the queues. */
public final class CtiSignIn implements SignInViewModel.SignInService {

    private final Executor ui;
    private final Clock clock;

    public CtiSignIn(Executor ui, Clock clock) {
        this.ui = ui;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<DeskSession> signIn(URI server, String username, String password) {
        ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cti-client");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        CtiClient client = new CtiClient(server, http, owner, ui, Backoff.standard(), clock, Duration.ofSeconds(15));
        Runnable signOut = () -> {
            client.close();
            owner.schedule(owner::shutdown, 1, TimeUnit.SECONDS);
        };
        return client.login(username, password).thenCompose(login -> {
            String agent = login.user().agent();
            if (agent == null) {
                throw new CtiException("client.no_agent", "user " + login.user().username() + " (" + login.user().role()
                        + ") has no agent seat; the agent desktop needs a user with users[].agent set");
            }
            DeskModel model = new DeskModel(agent);
            return client.connect(List.of(Topics.AGENTS, Topics.AGENT_PREFIX + agent), model)
                    .orTimeout(15, TimeUnit.SECONDS)
                    .exceptionally(err -> {
                        throw new CtiException(CtiException.UNREACHABLE, "logged in, but the event stream at "
                                + server.resolve("/ws") + " did not open: " + err);
                    })
                    .thenApply(w -> {
                        client.queues().thenAcceptAsync(model::queues, ui);
                        return new DeskSession(login.user(), model, client, signOut);
                    });
        }).whenComplete((s, err) -> {
            if (err != null) {
                signOut.run();
            }
        });
    }
}
