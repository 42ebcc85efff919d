package org.cartltfu.hub.registry.export;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.time.Duration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HAPI tells a client polling a running export to come back in 120 seconds, which well-behaved Bulk Data clients
 * obey: an export that takes five seconds would be collected after two minutes. The status endpoint says what the
 * hub actually needs instead.
 */
public class RetryAfterFilter extends OncePerRequestFilter {

    private static final String RETRY_AFTER = "Retry-After";

    private final String seconds;

    public RetryAfterFilter(Duration retryAfter) {
        this.seconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.endsWith("$export-poll-status") && !path.endsWith("%24export-poll-status");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                super.setHeader(name, RETRY_AFTER.equalsIgnoreCase(name) ? seconds : value);
            }

            @Override
            public void addHeader(String name, String value) {
                super.addHeader(name, RETRY_AFTER.equalsIgnoreCase(name) ? seconds : value);
            }
        });
    }
}
