package org.cartltfu.bench.push;

import java.util.Optional;

/** Access token of a site's client identity; empty when the server runs without security. */
@FunctionalInterface
public interface TokenSource {

    TokenSource NONE = site -> Optional.empty();

    Optional<String> bearer(String siteCode) throws Exception;
}
