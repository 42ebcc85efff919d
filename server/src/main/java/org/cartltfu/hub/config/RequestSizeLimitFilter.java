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
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above a configured size with 413 and an OperationOutcome, before anything is parsed or
 * stored. A declared Content-Length is checked up front; a chunked body is cut off while it is read, and HAPI turns
 * the {@link PayloadTooLargeException} into the same 413.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;
	private final FhirContext fhirContext;

	public RequestSizeLimitFilter(long maxBytes, FhirContext fhirContext) {
		this.maxBytes = maxBytes;
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
					.setDiagnostics(message());
			response.setStatus(413);
			response.setContentType(Constants.CT_FHIR_JSON_NEW);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
			return;
		}
		chain.doFilter(new LimitedRequest(request), response);
	}

	private String message() {
		return "Request body is larger than the limit of " + maxBytes
				+ " bytes; split the bundle into smaller transactions";
	}

	private final class LimitedRequest extends HttpServletRequestWrapper {
		private ServletInputStream limited;

		LimitedRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (limited == null) {
				limited = new LimitedInputStream(super.getInputStream());
			}
			return limited;
		}
	}

	private final class LimitedInputStream extends ServletInputStream {
		private final ServletInputStream delegate;
		private long count;

		LimitedInputStream(ServletInputStream delegate) {
			this.delegate = delegate;
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
			if (count > maxBytes) {
				throw new PayloadTooLargeException(message());
			}
		}

		@Override
		public boolean isFinished() {
			return delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			delegate.setReadListener(listener);
		}
	}
}
