package org.asteriskcti.server.ivr;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.QueueId;

/**
 * One step of a flow. Every node type of docs/ivr-flow-schema.md is one record here; the
 * {@link IvrSession} handles each in its own branch of one exhaustive switch.
 *
 * <p>{@link #targets()} are the nodes a caller may go to next (the flow's graph, checked at load);
 * {@link #canEnd()} says whether the caller may leave the flow at this node (a terminal node, or a
 * digit-input node whose last failure hangs up because it names no target).
 */
public sealed interface Node {

    NodeId id();

    List<NodeId> targets();

    default boolean canEnd() {
        return false;
    }

    /** Nodes that hand the caller over (or hang up): the caller's time in the flow ends here. */
    sealed interface Terminal extends Node {
        @Override
        default List<NodeId> targets() {
            return List.of();
        }

        @Override
        default boolean canEnd() {
            return true;
        }
    }

    /** Nodes that wait for keys. */
    sealed interface Input extends Node {
        DigitInput input();

        @Override
        default boolean canEnd() {
            return input().onInvalid().isEmpty() || input().onTimeout().isEmpty();
        }
    }

    private static List<NodeId> edges(Object... ts) {
        List<NodeId> out = new ArrayList<>();
        for (Object t : ts) {
            if (t instanceof NodeId n) {
                out.add(n);
            } else if (t instanceof Optional<?> o && o.isPresent()) {
                out.add((NodeId) o.get());
            } else if (t instanceof java.util.Collection<?> c) {
                c.forEach(x -> out.add((NodeId) x));
            }
        }
        return List.copyOf(out);
    }

    /** Says its prompts, then goes to {@code next}. */
    record Play(NodeId id, List<Prompt> prompts, NodeId next) implements Node {
        public Play {
            prompts = List.copyOf(prompts);
        }

        @Override
        public List<NodeId> targets() {
            return Node.edges(next);
        }
    }

    /** A DTMF menu: key → node. The key pressed is kept in the call data as {@code menu.<node>}. */
    record Menu(NodeId id, DigitInput input, Map<String, NodeId> options) implements Input {
        public Menu {
            options = Map.copyOf(options);
        }

        @Override
        public List<NodeId> targets() {
            return Node.edges(options.values(), input.onInvalid(), input.onTimeout());
        }
    }

    /**
     * Collects {@code minLength..maxLength} keys, ended by the terminator, by reaching the maximum, or
     * by the inter-key timeout once the minimum is there; the entry must match {@code pattern} (whole).
     * Kept in the call data under {@code variable}.
     */
    record Collect(NodeId id, DigitInput input, String variable, int minLength, int maxLength,
            Optional<Character> terminator, Optional<Pattern> pattern, NodeId next) implements Input {
        @Override
        public List<NodeId> targets() {
            return Node.edges(next, input.onInvalid(), input.onTimeout());
        }
    }

    /** Business hours: goes to {@code open}, {@code closed} or {@code holiday} by the calendar, now. */
    record Hours(NodeId id, Calendar calendar, NodeId open, NodeId closed, NodeId holiday) implements Node {
        @Override
        public List<NodeId> targets() {
            return Node.edges(open, closed, holiday);
        }
    }

    /**
     * Caller-area routing: the caller's number's region (longest prefix in the table) chooses the
     * route; no region, or one without a route, goes to {@code otherwise}. The region is kept in the
     * call data ({@code region}).
     */
    record Area(NodeId id, AreaTable table, Map<String, NodeId> routes, NodeId otherwise) implements Node {
        public Area {
            routes = Map.copyOf(routes);
        }

        @Override
        public List<NodeId> targets() {
            return Node.edges(routes.values(), otherwise);
        }
    }

    /**
     * Language choice: key → language code. Sets the language of every later prompt and the language
     * the ACD asks agents for, kept as {@code language} in the call data.
     */
    record Language(NodeId id, DigitInput input, Map<String, String> options, NodeId next) implements Input {
        public Language {
            options = Map.copyOf(options);
        }

        @Override
        public List<NodeId> targets() {
            return Node.edges(next, input.onInvalid(), input.onTimeout());
        }
    }

    /**
     * HTTP lookup: GET {@code url} with the listed call-data variables as query parameters; a JSON
     * object's fields are kept as {@code lookup.<field>} and the caller goes to {@code next}. A timeout,
     * a status other than 200 or a body that is not a JSON object goes to {@code onFailure}.
     */
    record Lookup(NodeId id, URI url, List<String> params, Duration timeout, NodeId next, NodeId onFailure) implements Node {
        public Lookup {
            params = List.copyOf(params);
        }

        @Override
        public List<NodeId> targets() {
            return Node.edges(next, onFailure);
        }
    }

    /** Sets call-data variables (values may hold {@code ${var}}), then goes to {@code next}. */
    record SetVar(NodeId id, Map<String, String> values, NodeId next) implements Node {
        public SetVar {
            values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        }

        @Override
        public List<NodeId> targets() {
            return Node.edges(next);
        }
    }

    /** Branches on a call-data variable's value (e.g. a lookup field); unset or unlisted → otherwise. */
    record Branch(NodeId id, String variable, Map<String, NodeId> cases, NodeId otherwise) implements Node {
        public Branch {
            cases = Map.copyOf(cases);
        }

        @Override
        public List<NodeId> targets() {
            return Node.edges(cases.values(), otherwise);
        }
    }

    /** Into one of the tenant's queues (our ACD), with extra skills, a priority and the call's language. */
    record ToQueue(NodeId id, QueueId queue, Map<String, Integer> skills, int priority) implements Terminal {
        public ToQueue {
            skills = Map.copyOf(skills);
        }
    }

    /**
     * To one agent. With {@code queue}: the caller waits in that ACD queue for this agent alone (screen pop,
     * statistics, recording policy of the queue; the queue's max wait and overflow still apply). Without: the
     * agent's phone is dialled directly, outside the ACD.
     */
    record ToAgent(NodeId id, AgentId agent, Optional<QueueId> queue) implements Terminal {}

    /** To an internal extension of the tenant. */
    record ToExtension(NodeId id, String extension) implements Terminal {}

    /** To an external number (may hold {@code ${var}}), dialled by the tenant's dial rules. */
    record ToExternal(NodeId id, String number) implements Terminal {}

    /** To a voicemail box (may hold {@code ${var}}). */
    record ToVoicemail(NodeId id, String mailbox) implements Terminal {}

    /** Hangs up. */
    record Hangup(NodeId id) implements Terminal {}
}
