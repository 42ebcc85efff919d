package org.cartltfu.hub.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one decision of who may see and do what. Pure: the caller and what is known about the request or the
 * resource go in, a decision comes out; {@link AccessGuard} and {@link SiteWriteGuard} gather the facts and enforce
 * the answer on every path in and out of the server.
 *
 * <table>
 *   <caption>Visibility by kind of resource</caption>
 *   <tr><th>kind</th><th>hub</th><th>spoke</th><th>registry</th></tr>
 *   <tr><td>patient data (the Patient compartment: Patient, Observation, Provenance, CarePlan, ...)</td>
 *       <td>within its scopes</td><td>within its scopes, only when every patient it belongs to is managed by the
 *       spoke's site</td><td>never directly (de-identified extracts only)</td></tr>
 *   <tr><td>directory (Organization)</td><td>yes</td><td>read</td><td>no</td></tr>
 *   <tr><td>conformance (the IG: profiles, terminology, search parameters)</td><td>yes</td><td>read</td>
 *       <td>read</td></tr>
 *   <tr><td>export file (Binary)</td><td>within its scopes</td><td>no</td><td>only the files of its own exports</td></tr>
 *   <tr><td>hub only (AuditEvent, Subscription, BiologicallyDerivedProduct, anything else)</td><td>within its
 *       scopes</td><td>no</td><td>no</td></tr>
 * </table>
 * A resource without an id was made for this response by an operation the caller was allowed to call (a grade, a
 * summary); envelopes (search and transaction bundles, Parameters, OperationOutcome) are judged by their contents.
 */
public final class AccessPolicy {

    /** What a resource type is to the policy. */
    public enum Kind {
        PATIENT_DATA,
        DIRECTORY,
        CONFORMANCE,
        EXPORT_FILE,
        HUB_ONLY,
        ENVELOPE
    }

    /** What a request is, before anything is read. */
    public enum Interaction {
        READ,
        SEARCH,
        HISTORY,
        CREATE,
        UPDATE,
        DELETE,
        OPERATION,
        BUNDLE,
        METADATA,
        PAGE,
        OTHER
    }

    /** Types outside the Patient compartment that everyone who reads the IG may read. */
    public static final Set<String> CONFORMANCE = Set.of(
            "StructureDefinition",
            "CodeSystem",
            "ValueSet",
            "ConceptMap",
            "NamingSystem",
            "SearchParameter",
            "ImplementationGuide",
            "OperationDefinition",
            "CapabilityStatement",
            "StructureMap",
            "CompartmentDefinition");

    public static final Set<String> DIRECTORY = Set.of("Organization");
    /** In the Patient compartment by the spec, but about the hub's own work: never a spoke's. */
    public static final Set<String> HUB_ONLY = Set.of("AuditEvent", "Subscription");

    /**
     * Operations a spoke may call: calculators and terminology without patient data; per-patient ones on its own;
     * {@code $follow-up-status}, which lists only the patients this policy lets the caller see ({@link Visibility});
     * {@code $report-visits} and {@code $import}, whose writes are judged like any push (and whose jobs only their
     * starter follows, {@link #ownsJob}).
     */
    public static final Set<String> SPOKE_OPERATIONS = Set.of(
            "$grade-crs",
            "$grade-icans",
            "$lookup",
            "$validate-code",
            "$subsumes",
            "$expand",
            "$translate",
            "$validate",
            "$toxicity-history",
            "$toxicity-grades",
            "$follow-up-status",
            "$report-visits",
            "$visit-template",
            "$import",
            "$import-poll-status");
    /** Operations a registry may call: extracts, views and summaries, all de-identified and consent-gated. */
    public static final List<String> REGISTRY_OPERATIONS =
            List.of("$export", "$export-poll-status", "$viewdefinition-run", "$registry-summary");

    /**
     * What is known about one resource.
     *
     * @param type its resource type
     * @param kind its kind
     * @param stored whether it is stored data (has an id) rather than made for this response
     * @param owners the site Organizations (logical ids) managing the patients it belongs to; {@code null} inside
     *     means a patient whose site could not be established
     * @param exportOwner for an export file, the client it was made for
     */
    public record Facts(String type, Kind kind, boolean stored, Set<String> owners, String exportOwner) {}

    /**
     * What a request asks, before anything is read.
     *
     * @param interaction what it does
     * @param type the resource type it names (null at system level)
     * @param kind the kind of that type (null at system level)
     * @param operation the operation name ({@code $x}) for operations
     * @param instance whether it names one resource by id
     */
    public record Request(Interaction interaction, String type, Kind kind, String operation, boolean instance) {}

    private AccessPolicy() {}

    /**
     * Why the request is refused before anything is read, or empty when it may go on (the resources it reaches are
     * then judged one by one with {@link #maySee} and {@link #refusesWrite}).
     *
     * @param organization the logical id of a spoke's site Organization (null if it has none)
     */
    public static Optional<String> refusesRequest(Caller caller, String organization, Request request) {
        if (request.interaction() == Interaction.METADATA) {
            return Optional.empty();
        }
        if (caller == null || caller.role() == null) {
            return refuse("no usable access token");
        }
        if (request.interaction() == Interaction.PAGE) {
            return Optional.empty(); // every page is judged entry by entry on its way out
        }
        return switch (caller.role()) {
            case HUB -> hub(caller, request);
            case SPOKE ->
                organization == null
                        ? refuse("the site " + caller.site() + " of this client has no Organization")
                        : spoke(caller, request);
            case REGISTRY -> registry(request);
        };
    }

    private static Optional<String> hub(Caller caller, Request request) {
        String type = request.type() == null ? "*" : request.type();
        return switch (request.interaction()) {
            case READ, SEARCH, HISTORY -> scoped(caller, type, Permission.VIEW);
            case CREATE, UPDATE -> scoped(caller, type, Permission.WRITE);
            case DELETE -> scoped(caller, type, Set.of(Permission.DELETE));
            case OPERATION, BUNDLE -> Optional.empty(); // each resource an operation or entry touches is judged itself
            default -> refuse("not within the scopes of this token");
        };
    }

    private static Optional<String> spoke(Caller caller, Request request) {
        if (request.interaction() == Interaction.BUNDLE) {
            return Optional.empty();
        }
        if (request.interaction() == Interaction.OPERATION) {
            return SPOKE_OPERATIONS.contains(request.operation())
                    ? Optional.empty()
                    : refuse("operation " + request.operation() + " is not available to spokes");
        }
        Kind kind = request.kind();
        if (kind == Kind.DIRECTORY || kind == Kind.CONFORMANCE) {
            return request.interaction() == Interaction.READ || request.interaction() == Interaction.SEARCH
                    ? Optional.empty()
                    : refuse(request.type() + " is read-only for spokes");
        }
        if (kind != Kind.PATIENT_DATA) {
            return refuse(
                    request.type() == null
                            ? "spokes work on their own patients' data, one type at a time"
                            : request.type() + " is not available to spokes");
        }
        return switch (request.interaction()) {
            case READ, SEARCH -> scoped(caller, request.type(), Permission.VIEW);
            case HISTORY ->
                request.instance()
                        ? scoped(caller, request.type(), Permission.VIEW)
                        : refuse("history across patients is the hub's; ask for the history of one resource");
            case CREATE, UPDATE -> scoped(caller, request.type(), Permission.WRITE);
            case DELETE -> scoped(caller, request.type(), Set.of(Permission.DELETE));
            default -> refuse("not available to spokes");
        };
    }

    private static Optional<String> registry(Request request) {
        if (request.interaction() == Interaction.OPERATION) {
            return REGISTRY_OPERATIONS.contains(request.operation()) ? Optional.empty() : refuseRegistry();
        }
        if (request.interaction() == Interaction.READ && request.instance() && request.kind() == Kind.EXPORT_FILE) {
            return Optional.empty(); // its own export files only: maySee
        }
        return refuseRegistry();
    }

    private static Optional<String> refuseRegistry() {
        return refuse("registries have no direct access to patient data; they receive de-identified extracts through "
                + String.join(", ", REGISTRY_OPERATIONS));
    }

    /**
     * Whether a request naming one resource by id must first find it visible to the caller (else it is answered as
     * not existing). Not for the hub (everything within its scopes), nor for a registry's extract of a cohort Group
     * (what leaves is decided per resource by the release policy).
     */
    public static boolean judgesTarget(Caller caller, Request request) {
        if (caller == null
                || caller.role() == null
                || caller.role() == Role.HUB
                || !request.instance()
                || request.kind() == null
                || request.kind() == Kind.CONFORMANCE
                || request.kind() == Kind.DIRECTORY) {
            return false;
        }
        return caller.role() == Role.SPOKE || request.interaction() != Interaction.OPERATION;
    }

    /**
     * Whether the caller may follow a job (an import) by its id: only the client that started it, whatever its role;
     * to anyone else the job does not exist.
     *
     * @param caller the client id of the caller (null with security off)
     * @param starter the client id that started the job (null with security off)
     */
    public static boolean ownsJob(String caller, String starter) {
        return java.util.Objects.equals(caller, starter);
    }

    /** Whether the caller may see this resource in a response. */
    public static boolean maySee(Caller caller, String organization, Facts facts) {
        if (facts.kind() == Kind.ENVELOPE) {
            return true; // judged by its contents
        }
        if (caller == null || caller.role() == null) {
            return facts.type().equals("CapabilityStatement");
        }
        if (facts.kind() == Kind.CONFORMANCE) {
            return true;
        }
        if (!facts.stored()) {
            return true; // made for this caller by an operation it was allowed to call
        }
        return switch (caller.role()) {
            case HUB ->
                facts.kind() == Kind.DIRECTORY
                        || caller.allows(facts.type(), Permission.READ)
                        || caller.allows(facts.type(), Permission.SEARCH);
            case SPOKE ->
                facts.kind() == Kind.DIRECTORY
                        || (facts.kind() == Kind.PATIENT_DATA
                                && ownData(organization, facts)
                                && (caller.allows(facts.type(), Permission.READ)
                                        || caller.allows(facts.type(), Permission.SEARCH)));
            case REGISTRY ->
                facts.kind() == Kind.EXPORT_FILE && caller.clientId().equals(facts.exportOwner());
        };
    }

    /**
     * Why the caller may not write this resource (as it is before or after the write), or empty.
     *
     * @param permission create, update or delete
     */
    public static Optional<String> refusesWrite(
            Caller caller, String organization, Facts facts, Permission permission) {
        if (caller == null || caller.role() == null) {
            return refuse("no usable access token");
        }
        if ("AuditEvent".equals(facts.type())) {
            return refuse("AuditEvents are recorded by the hub itself and cannot be written by clients");
        }
        if (!caller.allows(facts.type(), permission)) {
            return refuse("the token's scopes do not allow '" + permission.letter() + "' on " + facts.type());
        }
        return switch (caller.role()) {
            case HUB -> Optional.empty();
            case REGISTRY -> refuse("registries do not write");
            case SPOKE -> {
                if (facts.kind() != Kind.PATIENT_DATA) {
                    yield refuse(
                            "a spoke writes only its own patients' data, and " + facts.type() + " is not patient data");
                }
                if (facts.owners().isEmpty()) {
                    yield refuse("a spoke writes only patient data, and this " + facts.type() + " names no patient");
                }
                yield ownData(organization, facts)
                        ? Optional.empty()
                        : refuse("not data of a patient of site " + caller.site());
            }
        };
    }

    private static boolean ownData(String organization, Facts facts) {
        return organization != null
                && !facts.owners().isEmpty()
                && facts.owners().stream().allMatch(organization::equals);
    }

    /** Refused unless the caller's scopes grant one of the permissions on the type. */
    private static Optional<String> scoped(Caller caller, String type, Set<Permission> anyOf) {
        if (anyOf.stream().anyMatch(permission -> caller.allows(type, permission))) {
            return Optional.empty();
        }
        return refuse("the token's scopes do not allow '" + Permission.letters(anyOf) + "' on " + type);
    }

    private static Optional<String> refuse(String why) {
        return Optional.of(why);
    }
}
