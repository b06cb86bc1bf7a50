package org.asteriskcti.softphone.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** HTTP digest (RFC 2617 / RFC 3261 §22.4) with MD5, qop "auth" or none. */
public final class DigestAuth {

    private DigestAuth() {
    }

    /**
     * @param qop    "auth", or null when the challenge had no qop
     * @param nc     nonce count as 8 hex digits (used only with qop)
     * @param cnonce client nonce (used only with qop)
     */
    public static String response(String algorithm, String username, String realm, String password, String nonce,
                                  String method, String uri, String qop, String nc, String cnonce) {
        String alg = algorithm == null ? "MD5" : algorithm.toUpperCase(Locale.ROOT);
        String ha1 = md5(username + ":" + realm + ":" + password);
        if (alg.equals("MD5-SESS")) {
            ha1 = md5(ha1 + ":" + nonce + ":" + cnonce);
        } else if (!alg.equals("MD5")) {
            throw new IllegalArgumentException("digest algorithm " + algorithm + " is not supported (MD5, MD5-sess)");
        }
        String ha2 = md5(method + ":" + uri);
        if (qop == null) {
            return md5(ha1 + ":" + nonce + ":" + ha2);
        }
        return md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** "auth" when the challenge's qop list offers it, null when it had none. */
    public static String chooseQop(String offered) {
        if (offered == null || offered.isBlank()) {
            return null;
        }
        for (String q : offered.split(",")) {
            if (q.trim().equalsIgnoreCase("auth")) {
                return "auth";
            }
        }
        throw new IllegalArgumentException("challenge qop '" + offered + "' does not offer 'auth'");
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }
}
