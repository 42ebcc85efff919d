package org.cartltfu.hub.config;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.zip.GZIPInputStream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above a configured size with 413 and an OperationOutcome, before anything is parsed or
 * stored. A declared Content-Length is checked up front; a chunked body is cut off while it is read, and HAPI turns
 * the {@link PayloadTooLargeException} into the same 413. A gzip body ({@code Content-Encoding: gzip}) is unpacked
 * here, and what it unpacks to has its own limit: HAPI would unpack it whole into memory, so that a few megabytes of
 * zeros could take the server's whole heap (HAPI's own unpacking is therefore switched off).
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final long maxUnpackedBytes;
    private final FhirContext fhirContext;

    public RequestSizeLimitFilter(long maxBytes, long maxUnpackedBytes, FhirContext fhirContext) {
        this.maxBytes = maxBytes;
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.fhirContext = fhirContext;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.TOOLONG)
                    .setDiagnostics(tooLarge());
            response.setStatus(413);
            response.setContentType(Constants.CT_FHIR_JSON_NEW);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
            return;
        }
        String encoding = request.getHeader(Constants.HEADER_CONTENT_ENCODING);
        boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
        chain.doFilter(gzip ? new UnpackedRequest(request) : new LimitedRequest(request), response);
    }

    private String tooLarge() {
        return "Request body is larger than the limit of " + maxBytes
                + " bytes; split the bundle into smaller transactions";
    }

    private String unpacksTooLarge() {
        return "Request body unpacks (gzip) to more than " + maxUnpackedBytes
                + " bytes; split it into smaller requests";
    }

    private class LimitedRequest extends HttpServletRequestWrapper {
        private ServletInputStream limited;

        LimitedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = body();
            }
            return limited;
        }

        ServletInputStream body() throws IOException {
            ServletInputStream raw = super.getInputStream();
            return new LimitedInputStream(raw, raw, maxBytes, RequestSizeLimitFilter.this::tooLarge);
        }
    }

    /** The body as it unpacks, without the headers that describe it packed (so nothing unpacks it again). */
    private final class UnpackedRequest extends LimitedRequest {

        UnpackedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        ServletInputStream body() throws IOException {
            ServletInputStream packed = super.body();
            return new LimitedInputStream(
                    packed,
                    new GZIPInputStream(packed),
                    maxUnpackedBytes,
                    RequestSizeLimitFilter.this::unpacksTooLarge);
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !hidden(name))
                    .toList());
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }

        private static boolean hidden(String name) {
            return Constants.HEADER_CONTENT_ENCODING.equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name);
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {
        private final ServletInputStream servlet;
        private final InputStream delegate;
        private final long limit;
        private final java.util.function.Supplier<String> message;
        private long count;

        /** @param servlet the container's stream (its readiness) @param delegate what is read */
        LimitedInputStream(
                ServletInputStream servlet,
                InputStream delegate,
                long limit,
                java.util.function.Supplier<String> message) {
            this.servlet = servlet;
            this.delegate = delegate;
            this.limit = limit;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) {
            count += n;
            if (count > limit) {
                throw new PayloadTooLargeException(message.get());
            }
        }

        @Override
        public boolean isFinished() {
            return servlet.isFinished();
        }

        @Override
        public boolean isReady() {
            return servlet.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            servlet.setReadListener(listener);
        }
    }
}
