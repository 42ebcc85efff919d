package org.cartltfu.hub.registry.audit;

import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.jpa.api.model.BulkExportJobResults;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.util.JsonUtil;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.cartltfu.hub.exchange.AuditWriter;
import org.cartltfu.hub.registry.release.RegistryRecipient;
import org.cartltfu.hub.registry.release.ReleaseSession;
import org.cartltfu.hub.registry.release.ReleaseSession.PatientRelease;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The AuditEvent of one extract: who received it (the requesting client, and for a registry its name), which files,
 * how many resources of each type went out (for a view or summary also how many were held back), and for each patient
 * whether they were released or
 * withheld and by which rule. Patients are named by their hub id (the audit trail stays at the hub), never by the
 * pseudonym the recipient knows them by.
 */
public class ExtractAudit {

    static final Coding EXPORT = new Coding(CarTIg.DICOM_DCM, "110106", "Export");
    static final Coding BULK_EXPORT =
            new Coding(CarTIg.CS_CART_AUDIT, "bulk-export", "Registry or hub extract (Bulk Data $export)");

    /**
     * The hub's one audit writer: HAPI announces completion inside the transaction that marks the job complete, and
     * the writer stores in a transaction of its own, so a failed audit write can never undo the job's completion.
     */
    private final AuditWriter writer;

    public ExtractAudit(AuditWriter writer) {
        this.writer = writer;
    }

    /**
     * Audits a completed export with what every instance working on it decided and wrote (from the export's ledger).
     *
     * @param isRegistry whether a registry client started the export
     * @param patients each patient's release decision
     * @param releasedByType how many resources of each type went out
     */
    public void record(
            JobInstance job,
            BulkExportJobParameters parameters,
            boolean isRegistry,
            Optional<RegistryRecipient> registry,
            Map<String, PatientRelease> patients,
            Map<String, Long> releasedByType) {
        Map<String, String> details = new LinkedHashMap<>();
        files(job).forEach((type, ids) -> details.put("files " + type, String.join(" ", ids)));
        releasedByType.forEach((type, count) -> details.put("released " + type, count.toString()));
        String scope = parameters.getExportStyle() + " export of " + String.join(", ", parameters.getResourceTypes())
                + (parameters.getSince() == null
                        ? ""
                        : " since " + parameters.getSince().toInstant());
        store(event(
                new Identifier().setSystem(CarTIg.SID_EXPORT_JOB).setValue(job.getInstanceId()),
                parameters.getOriginalRequestUrl(),
                scope + "; " + patientCounts(patients),
                parameters.getBinarySecurityContextIdentifierValue(),
                isRegistry,
                registry,
                patients,
                details));
    }

    /**
     * Audits an extract answered directly (a view or a period summary).
     *
     * @param request the request URL, naming what was asked for
     * @param what a short description ("view labs as csv: 340 rows")
     * @param client the requesting client
     */
    public void recordRun(String request, String what, String client, ReleaseSession session) {
        Map<String, String> details = new LinkedHashMap<>();
        session.releasedByType().forEach((type, count) -> details.put("released " + type, count.toString()));
        session.withheldByType().forEach((type, count) -> details.put("withheld " + type, count.toString()));
        store(event(
                new Identifier()
                        .setSystem(CarTIg.SID_EXTRACT_RUN)
                        .setValue(UUID.randomUUID().toString()),
                request,
                what + "; " + patientCounts(session.patients()),
                client,
                session.recipient().isPresent(),
                session.recipient(),
                session.patients(),
                details));
    }

    private void store(AuditEvent event) {
        writer.submit(event);
    }

    private static AuditEvent event(
            Identifier extractId,
            String request,
            String description,
            String client,
            boolean registry,
            Optional<RegistryRecipient> recipientOf,
            Map<String, PatientRelease> patients,
            Map<String, String> details) {
        AuditEvent event = new AuditEvent();
        event.setType(EXPORT);
        event.addSubtype(BULK_EXPORT);
        event.setAction(AuditEvent.AuditEventAction.R);
        event.setRecorded(new Date());
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        AuditEvent.AuditEventAgentComponent recipient = event.addAgent().setRequestor(true);
        recipient.getWho().getIdentifier().setSystem(CarTIg.SID_OAUTH_CLIENT).setValue(client);
        recipient.setName(recipientOf
                .map(known -> known.name() + " (registry; pseudonymised extract)")
                .orElse(registry ? "registry " + client : "hub (identified extract)"));
        recipient.addRole().addCoding(new Coding(CarTIg.V3_PARTICIPATION_TYPE, "IRCP", "information recipient"));
        event.getSource().setObserver(new Reference().setDisplay("CAR-T LTFU Hub"));

        AuditEvent.AuditEventEntityComponent extract = event.addEntity();
        extract.getWhat().setIdentifier(extractId);
        extract.setName(request);
        extract.setDescription(description);
        details.forEach((type, value) -> extract.addDetail().setType(type).setValue(new StringType(value)));
        patients.forEach((patient, release) -> event.addEntity()
                .setWhat(new Reference(CarTIg.AUDITED_BASE + "Patient/" + patient))
                .setRole(new Coding(CarTIg.OBJECT_ROLE, "1", "Patient"))
                .setDescription((release.decision().released() ? "released: " : "withheld: ")
                        + release.decision().reason()));
        return event;
    }

    private static String patientCounts(Map<String, PatientRelease> patients) {
        long released =
                patients.values().stream().filter(p -> p.decision().released()).count();
        return released + " patients released, " + (patients.size() - released) + " withheld";
    }

    private static Map<String, List<String>> files(JobInstance job) {
        if (job.getReport() == null || job.getReport().isBlank()) {
            return Map.of();
        }
        BulkExportJobResults results = JsonUtil.deserialize(job.getReport(), BulkExportJobResults.class);
        return results.getResourceTypeToBinaryIds().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
