package org.cartltfu.hub.security;

/** A refused token request, with its OAuth 2.0 error code (RFC 6749 section 5.2). */
class TokenException extends Exception {

	private final String error;
	private final int status;

	TokenException(String error, int status, String description) {
		super(description);
		this.error = error;
		this.status = status;
	}

	static TokenException invalidClient(String description) {
		return new TokenException("invalid_client", 401, description);
	}

	static TokenException invalidRequest(String description) {
		return new TokenException("invalid_request", 400, description);
	}

	String error() {
		return error;
	}

	int status() {
		return status;
	}
}
