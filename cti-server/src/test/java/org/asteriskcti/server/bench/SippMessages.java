package org.asteriskcti.server.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SIP messages of one SIPp message log ({@code -trace_msg -message_file}), each with the time SIPp
 * stamped on it. SIPp writes a block per message:
 * <pre>
 * ----------------------------------------------- 2026-11-23 12:00:59.716085
 * UDP message sent (471 bytes):            (or: UDP message received [227] bytes :)
 *
 * INVITE sip:1001@127.0.0.1:15091 SIP/2.0
 * Call-ID: ...
 * </pre>
 * The stamp is SIPp's local wall clock in microseconds, taken when SIPp sent or read the message; every
 * phone of a run shares the machine's clock, so stamps from different phones' logs can be subtracted.
 */
record SippMessages(List<Message> messages) {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final Pattern DASHES = Pattern.compile("^-{20,} (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6})$");
    /** A name the bench put in the customer's P-Asserted-Identity: {@code "bench-<run>-<call number>"}. */
    private static final Pattern BENCH_NAME = Pattern.compile("\"(bench-[A-Za-z0-9]+-\\d+)\"");

    /**
     * One message: when, which way, its first line, Call-ID, CSeq method, and the bench name found in
     * its From (Asterisk's INVITE to an agent) or P-Asserted-Identity (the customer's INVITE), if any.
     */
    record Message(long micros, boolean sent, String startLine, String callId, String cseqMethod, String benchName) {

        boolean isRequest(String method) {
            return startLine.startsWith(method + " ");
        }

        /** A response with this status to a request of this method (e.g. 200 to INVITE). */
        boolean isResponse(int status, String method) {
            return startLine.startsWith("SIP/2.0 " + status + " ") && method.equals(cseqMethod);
        }
    }

    static SippMessages read(Path file) {
        List<Message> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return new SippMessages(out);
        }
        ZoneId zone = ZoneId.systemDefault();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            Block b = null;
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = DASHES.matcher(line);
                if (m.matches()) {
                    if (b != null) {
                        b.finish(out);
                    }
                    b = new Block(LocalDateTime.parse(m.group(1), STAMP).atZone(zone).toInstant());
                } else if (b != null) {
                    b.line(line);
                }
            }
            if (b != null) {
                b.finish(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new SippMessages(out);
    }

    /** The lines of one block while it is read. */
    private static final class Block {
        final long micros;
        Boolean sent;
        String start;
        String callId;
        String cseqMethod;
        String name;
        boolean inBody;

        Block(java.time.Instant at) {
            this.micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        }

        void line(String l) {
            if (sent == null) {
                if (l.startsWith("UDP message sent")) {
                    sent = true;
                } else if (l.startsWith("UDP message received")) {
                    sent = false;
                }
                return;
            }
            if (inBody) {
                return;
            }
            if (start == null) {
                if (!l.isBlank()) {
                    start = l.strip();
                }
                return;
            }
            if (l.isBlank()) {
                inBody = true;
                return;
            }
            String lower = l.length() > 24 ? l.substring(0, 24).toLowerCase(java.util.Locale.ROOT) : l.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("call-id:")) {
                callId = l.substring(l.indexOf(':') + 1).strip();
            } else if (lower.startsWith("cseq:")) {
                String[] f = l.substring(l.indexOf(':') + 1).strip().split("\\s+");
                cseqMethod = f.length > 1 ? f[1] : "";
            } else if (name == null && (lower.startsWith("from:") || lower.startsWith("p-asserted-identity:"))) {
                Matcher m = BENCH_NAME.matcher(l);
                if (m.find()) {
                    name = m.group(1);
                }
            }
        }

        void finish(List<Message> out) {
            if (sent != null && start != null && callId != null) {
                out.add(new Message(micros, sent, start, callId, cseqMethod == null ? "" : cseqMethod, name));
            }
        }
    }
}
