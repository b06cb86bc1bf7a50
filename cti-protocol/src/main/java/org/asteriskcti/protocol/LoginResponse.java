package org.asteriskcti.protocol;

import java.time.Instant;

/** {@code POST /api/v1/auth/login} answer: a bearer token for REST and the WebSocket. */
public record LoginResponse(String token, String tokenType, Instant expiresAt, UserInfo user) {}
