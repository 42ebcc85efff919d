package org.cartltfu.hub.config;

/**
 * A request refused before HAPI handled it (401 by Spring Security, 429 by a rate limit): published as a Spring event
 * so that the audit trail records it.
 *
 * @param source the remote address
 * @param client the client id, when known
 * @param status the HTTP status answered
 * @param reason what the client was told
 */
public record RefusedRequest(String source, String client, String method, String path, int status, String reason) {}
