package org.asteriskcti.protocol;

/**
 * A call-control command (client -> server), the same over WebSocket ({@code type} = the command) and REST
 * ({@code POST /api/v1/call-control/<type>} with the other fields as the JSON body). Fields a command does not
 * use are null. Every command carries a {@code command_id} chosen by the client: sending the same command
 * again with the same id (a retry after a lost reply) returns the first outcome and does nothing twice; the
 * same id with a different command is refused ({@code command.id_reused}).
 *
 * @param agent       the agent acted for; null = the user's own agent (supervisors must name one)
 * @param call        conference commands: the conversation id
 * @param number      {@code call.dial}: what to dial (an internal extension or an external number)
 * @param target      transfers and {@code call.conference.add}: a number, {@code agent:<id>} or {@code queue:<id>}
 * @param digits      {@code call.dtmf}
 * @param participant {@code call.conference.kick} / {@code call.conference.mute}: a party id of the conversation
 * @param muted       {@code call.conference.mute}: true to mute, false to unmute
 * @param reason      {@code call.record.pause}: why (kept in the pause audit), optional
 * @param endpoint    {@code call.monitor.*} starting a session: the supervisor's phone for it (one of the tenant's,
 *                    e.g. {@code PJSIP/1004}); null = the phone configured for the user ({@code users[].endpoint})
 */
public record CallCommand(String type, String id, String commandId, String agent, String call, String number,
        String target, String digits, String participant, Boolean muted, String reason, String endpoint) {

    /** A command with neither {@code reason} nor {@code endpoint}. */
    public CallCommand(String type, String id, String commandId, String agent, String call, String number,
            String target, String digits, String participant, Boolean muted) {
        this(type, id, commandId, agent, call, number, target, digits, participant, muted, null, null);
    }
}
