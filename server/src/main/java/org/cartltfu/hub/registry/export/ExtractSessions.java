package org.cartltfu.hub.registry.export;

import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cartltfu.hub.registry.RegistryRecipient;
import org.cartltfu.hub.registry.RegistryRecipients;
import org.cartltfu.hub.registry.RegistryRelease;
import org.cartltfu.hub.registry.ReleaseSession;

/**
 * The release session of each running export, found again from the job's parameters (which carry the requesting
 * client and a unique export id). After a restart in the middle of an export the session is opened again from those
 * parameters, so the rest of the export is still gated and de-identified for the same recipient.
 */
class ExtractSessions {

	/** A job that neither completes nor fails within this time is assumed gone (cancelled, failed, server moved). */
	private static final Duration ABANDONED_AFTER = Duration.ofDays(2);

	private record Open(ReleaseSession session, Instant opened) {}

	private final RegistryRelease release;
	private final RegistryRecipients recipients;
	private final Map<String, Open> sessions = new ConcurrentHashMap<>();

	ExtractSessions(RegistryRelease release, RegistryRecipients recipients) {
		this.release = release;
		this.recipients = recipients;
	}

	static String key(BulkExportJobParameters parameters) {
		return parameters.getBinarySecurityContextIdentifierValue() + "|" + parameters.getExportIdentifier();
	}

	boolean isOpen(BulkExportJobParameters parameters) {
		return sessions.containsKey(key(parameters));
	}

	ReleaseSession open(BulkExportJobParameters parameters, RegistryRecipient recipient) {
		Instant now = Instant.now();
		sessions.values().removeIf(open -> open.opened().isBefore(now.minus(ABANDONED_AFTER)));
		ReleaseSession session = release.open(recipient, LocalDate.now(ZoneOffset.UTC));
		sessions.put(key(parameters), new Open(session, now));
		return session;
	}

	ReleaseSession of(BulkExportJobParameters parameters) {
		return sessions.computeIfAbsent(key(parameters), key -> new Open(
				release.open(recipientOf(parameters), LocalDate.now(ZoneOffset.UTC)), Instant.now())).session();
	}

	/** Null for a hub extract; a registry extract whose recipient is no longer configured fails rather than leak. */
	private RegistryRecipient recipientOf(BulkExportJobParameters parameters) {
		String client = parameters.getBinarySecurityContextIdentifierValue();
		if (!ExportOwners.REGISTRY_CLIENT.equals(parameters.getBinarySecurityContextIdentifierSystem())) {
			return null;
		}
		return recipients.forClient(client).orElseThrow(() -> new IllegalStateException(
				"export for registry " + client + " cannot go on: the registry is no longer configured"));
	}

	/** The finished export's session, no longer kept; null if this server did not see it start. */
	ReleaseSession close(BulkExportJobParameters parameters) {
		Open open = sessions.remove(key(parameters));
		return open == null ? null : open.session();
	}
}
