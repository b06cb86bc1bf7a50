package org.asteriskcti.server.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.password4j.Password;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.asteriskcti.server.config.CtiConfig;
import org.asteriskcti.server.domain.AgentId;
import org.asteriskcti.server.domain.TenantId;
import org.asteriskcti.server.domain.UserId;

/**
 * Logins against the configured users (passwords kept only as Argon2id/bcrypt hashes) and HS256
 * bearer tokens. Thread-safe (immutable after construction).
 */
public final class AuthService {

    private static final String ISSUER = "asterisk-cti";
    /** Verifying against this when the user is unknown keeps the timing of both failures alike. */
    private static final String DUMMY_HASH = Password.hash("no-such-user").addRandomSalt().withArgon2().getResult();

    /** Why a token was refused. */
    public enum TokenProblem {
        MISSING,
        INVALID,
        EXPIRED
    }

    public static final class TokenRejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final TokenProblem problem;

        TokenRejected(TokenProblem problem, String message) {
            super(message);
            this.problem = problem;
        }

        public TokenProblem problem() {
            return problem;
        }
    }

    public record Issued(String token, Instant expiresAt, Principal principal) {}

    private final Map<String, CtiConfig.User> users = new HashMap<>();
    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;

    public AuthService(CtiConfig config, String tokenSecret, Clock clock) {
        for (CtiConfig.User u : config.users()) {
            users.put(u.username(), u);
        }
        this.secret = tokenSecret.getBytes(StandardCharsets.UTF_8);
        if (secret.length < 32) {
            throw new IllegalArgumentException("token secret must be at least 32 bytes");
        }
        this.ttl = config.auth().tokenTtl();
        this.clock = clock;
    }

    /** Checks the password; empty when the user is unknown or the password wrong (indistinguishably). */
    public Optional<Issued> login(String username, String password) {
        CtiConfig.User user = users.get(username);
        if (user == null) {
            Password.check(password, DUMMY_HASH).withArgon2();
            return Optional.empty();
        }
        if (!verify(password, user.passwordHash())) {
            return Optional.empty();
        }
        return Optional.of(issue(user));
    }

    private static boolean verify(String password, String hash) {
        if (hash.startsWith("$argon2")) {
            return Password.check(password, hash).withArgon2();
        }
        return Password.check(password, hash).withBcrypt();
    }

    Issued issue(CtiConfig.User user) {
        Instant now = clock.instant();
        Instant exp = now.plus(ttl);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user.username())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(exp))
                .claim("tenant", user.tenant())
                .claim("role", user.role().name());
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return new Issued(jwt.serialize(), exp, principalOf(user, exp));
    }

    /** Verifies a bearer token and returns its user as configured now (role/tenant changes apply). */
    public Principal verify(String token) throws TokenRejected {
        if (token == null || token.isBlank()) {
            throw new TokenRejected(TokenProblem.MISSING, "no bearer token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.trim());
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(secret))) {
                throw new TokenRejected(TokenProblem.INVALID, "token signature is not valid");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw new TokenRejected(TokenProblem.INVALID, "token is malformed");
        }
        if (!ISSUER.equals(claims.getIssuer()) || claims.getExpirationTime() == null) {
            throw new TokenRejected(TokenProblem.INVALID, "token was not issued by this server");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (!clock.instant().isBefore(exp)) {
            throw new TokenRejected(TokenProblem.EXPIRED, "token expired at " + exp);
        }
        CtiConfig.User user = users.get(claims.getSubject());
        if (user == null || !user.tenant().equals(claims.getClaim("tenant"))) {
            throw new TokenRejected(TokenProblem.INVALID, "token's user no longer exists");
        }
        return principalOf(user, exp);
    }

    private static Principal principalOf(CtiConfig.User user, Instant exp) {
        return new Principal(UserId.of(user.username()), TenantId.of(user.tenant()), user.role(),
                user.agent() == null ? null : AgentId.of(user.agent()), exp);
    }

    /** Hashes a password for the configuration file (Argon2id with a random salt). */
    public static String hashPassword(String password) {
        return Password.hash(password).addRandomSalt().withArgon2().getResult();
    }
}
