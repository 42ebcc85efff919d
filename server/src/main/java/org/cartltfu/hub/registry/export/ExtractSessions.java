package org.cartltfu.hub.registry.export;

import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cartltfu.hub.registry.release.RegistryRecipient;
import org.cartltfu.hub.registry.release.RegistryRecipients;
import org.cartltfu.hub.registry.release.RegistryRelease;
import org.cartltfu.hub.registry.release.ReleaseSession;
import org.cartltfu.ig.CarTIg;

/**
 * The release session of each running export on this instance, found again from the job's parameters (which carry
 * the requesting client and a unique export id). A session is opened from those parameters wherever a batch worker
 * meets the export (on another hub instance, or after a restart), so all of it is gated and de-identified for the
 * same recipient; the sessions of one export settle their decisions in the {@link ExtractLedger}.
 */
class ExtractSessions {

    /** A job that does not complete here within this time is assumed gone (cancelled, failed, completed elsewhere). */
    private static final Duration ABANDONED_AFTER = Duration.ofDays(2);

    private record Open(ReleaseSession session, Instant opened) {}

    private final RegistryRelease release;
    private final RegistryRecipients recipients;
    private final ExtractLedger ledger;
    private final Map<String, Open> sessions = new ConcurrentHashMap<>();

    ExtractSessions(RegistryRelease release, RegistryRecipients recipients, ExtractLedger ledger) {
        this.release = release;
        this.recipients = recipients;
        this.ledger = ledger;
    }

    static String key(BulkExportJobParameters parameters) {
        return key(parameters.getBinarySecurityContextIdentifierValue(), parameters.getExportIdentifier());
    }

    /** An export is named by its owning client and its export id (both also on each of its files). */
    static String key(String client, String exportId) {
        return client + "|" + exportId;
    }

    /** True while an export of this client with this export id runs on any instance. */
    boolean isOpen(BulkExportJobParameters parameters) {
        return ledger.running(key(parameters));
    }

    void open(BulkExportJobParameters parameters, RegistryRecipient recipient) {
        Instant now = Instant.now();
        sessions.values().removeIf(open -> open.opened().isBefore(now.minus(ABANDONED_AFTER)));
        ledger.opened(key(parameters));
        sessions.put(key(parameters), new Open(session(key(parameters), recipient), now));
    }

    ReleaseSession of(BulkExportJobParameters parameters) {
        return sessions.computeIfAbsent(
                        key(parameters), key -> new Open(session(key, recipientOf(parameters)), Instant.now()))
                .session();
    }

    private ReleaseSession session(String key, RegistryRecipient recipient) {
        return release.open(recipient, LocalDate.now(ZoneOffset.UTC), ledger.decisions(key));
    }

    /** Null for a hub extract; a registry extract whose recipient is no longer configured fails rather than leak. */
    private RegistryRecipient recipientOf(BulkExportJobParameters parameters) {
        String client = parameters.getBinarySecurityContextIdentifierValue();
        if (!CarTIg.SID_REGISTRY_CLIENT.equals(parameters.getBinarySecurityContextIdentifierSystem())) {
            return null;
        }
        return recipients
                .forClient(client)
                .orElseThrow(() -> new IllegalStateException(
                        "export for registry " + client + " cannot go on: the registry is no longer configured"));
    }

    /**
     * Forgets the finished export here and takes what all sessions decided and released from the ledger; empty when
     * another instance (or an earlier report of this completion) already took it.
     */
    Optional<ExtractLedger.Completed> close(BulkExportJobParameters parameters) {
        sessions.remove(key(parameters));
        return ledger.complete(key(parameters));
    }

    void fileWritten(String key, String resourceType, long resources) {
        ledger.released(key, resourceType, resources);
    }

    /** The registry an export is for, while it is configured; empty for a hub extract. */
    Optional<RegistryRecipient> registry(BulkExportJobParameters parameters) {
        return CarTIg.SID_REGISTRY_CLIENT.equals(parameters.getBinarySecurityContextIdentifierSystem())
                ? recipients.forClient(parameters.getBinarySecurityContextIdentifierValue())
                : Optional.empty();
    }
}
