package org.asteriskcti.protocol;

/** Who a token belongs to. {@code agent} is null for supervisors and admins without a seat. */
public record UserInfo(String username, String tenant, String role, String agent) {}
