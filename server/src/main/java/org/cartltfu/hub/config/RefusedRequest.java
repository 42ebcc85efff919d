package org.cartltfu.hub.config;

/**
 * A request refused outside HAPI's exception path — before HAPI handled it (401 by Spring Security, 429 by a rate
 * limit) or after its answer was sent (an import refused after its 202): published as a Spring event so that the
 * audit trail records it, and nothing the request would otherwise have audited as done.
 *
 * @param source the remote address
 * @param client the client id, when known
 * @param status the HTTP status answered
 * @param reason what the client was told
 */
public record RefusedRequest(String source, String client, String method, String path, int status, String reason) {}
