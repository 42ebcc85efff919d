package org.cartltfu.hub.registry.release;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.cartltfu.hub.registry.deid.BirthDatePolicy;
import org.cartltfu.hub.registry.deid.DatePolicy;
import org.cartltfu.hub.registry.gate.ReleaseDecision;
import org.cartltfu.hub.registry.gate.ReleasePolicy;
import org.hl7.fhir.r4.model.Resource;

/**
 * One extract in the making: decides for each resource whether it goes out and, for a registry, de-identifies it in
 * place. Each patient is decided once per extract (consent and jurisdiction read from the store on first sight), and
 * what was released or withheld is counted for the extract's AuditEvent. Safe for the export's parallel workers.
 */
public final class ReleaseSession {

    /** One patient's decision in this extract. */
    public record PatientRelease(ReleaseDecision decision, LocalDate infusionDate) {}

    /**
     * Where an extract's decisions are settled when more than this session decide for it (the batch workers of
     * several hub instances): the first decision made for a patient is the one every session then uses.
     */
    public interface DecisionLedger {
        /** @return the extract's decision for the patient: {@code proposed} if it is the first, else the one before */
        PatientRelease settle(String patientId, PatientRelease proposed);

        /** A session that decides alone (a view or summary answered within one request). */
        DecisionLedger ALONE = (patientId, proposed) -> proposed;
    }

    private final RegistryRecipient recipient;
    private final LocalDate day;
    private final PatientDirectory directory;
    private final ReleasePolicy policy;
    private final DecisionLedger ledger;
    private final Map<String, PatientRelease> patients = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> released = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> withheld = new ConcurrentHashMap<>();

    /** @param recipient the registry; null for the hub's own (identified, ungated) extract */
    ReleaseSession(
            RegistryRecipient recipient,
            LocalDate day,
            PatientDirectory directory,
            ReleasePolicy policy,
            DecisionLedger ledger) {
        this.recipient = recipient;
        this.ledger = ledger;
        this.day = day;
        this.directory = directory;
        this.policy = policy;
    }

    public Optional<RegistryRecipient> recipient() {
        return Optional.ofNullable(recipient);
    }

    public LocalDate day() {
        return day;
    }

    /** @return true when the resource goes into the extract (for a registry: now de-identified) */
    public boolean release(Resource resource) {
        String type = resource.fhirType();
        if (recipient == null) {
            directory
                    .patientOf(resource)
                    .ifPresent(patient -> patients.computeIfAbsent(
                            patient,
                            id -> ledger.settle(
                                    id,
                                    new PatientRelease(
                                            new ReleaseDecision(true, "hub extract (identified, not gated)"), null))));
            return count(released, type);
        }
        if (!recipient.receives(type)) {
            return !count(withheld, type);
        }
        // Nothing outside a patient's record goes to a registry: sites, practitioners and audit data stay at the hub.
        Optional<String> patient = directory.patientOf(resource);
        if (patient.isEmpty()) {
            return !count(withheld, type);
        }
        PatientRelease release = decision(patient.get());
        if (!release.decision().released()) {
            return !count(withheld, type);
        }
        recipient.deidentifier().apply(resource, patient.get(), release.infusionDate());
        return count(released, type);
    }

    /** This extract's decision for one patient (made now if the patient was not seen yet). */
    public PatientRelease decision(String patientId) {
        return patients.computeIfAbsent(patientId, id -> ledger.settle(id, decide(id)));
    }

    private PatientRelease decide(String patientId) {
        PatientDirectory.PatientFacts facts = directory.facts(patientId);
        if (!facts.found()) {
            return new PatientRelease(new ReleaseDecision(false, "patient record not found"), null);
        }
        ReleaseDecision decision = policy.decide(recipient.terms(), facts.jurisdiction(), facts.consents(), day);
        boolean needsDayZero = recipient.settings().dates() == DatePolicy.STUDY_DAY
                || recipient.settings().birthDates() == BirthDatePolicy.AGE_AT_INFUSION;
        if (decision.released() && needsDayZero && facts.infusionDate() == null) {
            decision = new ReleaseDecision(
                    false, "no CAR-T infusion with a full date is recorded, so there is no day 0 to count days from");
        }
        return new PatientRelease(decision, facts.infusionDate());
    }

    private static boolean count(Map<String, LongAdder> counts, String type) {
        counts.computeIfAbsent(type, key -> new LongAdder()).increment();
        return true;
    }

    /** The decisions this session made or took from the ledger (all of an extract's only when it decided alone). */
    public Map<String, PatientRelease> patients() {
        return new TreeMap<>(patients);
    }

    public Map<String, Long> releasedByType() {
        return snapshot(released);
    }

    public Map<String, Long> withheldByType() {
        return snapshot(withheld);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((type, count) -> copy.put(type, count.sum()));
        return copy;
    }
}
