package org.asteriskcti.protocol;

/** {@code POST /api/v1/auth/login} body. */
public record LoginRequest(String username, String password) {}
