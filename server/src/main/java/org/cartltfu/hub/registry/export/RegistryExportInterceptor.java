package org.cartltfu.hub.registry.export;

import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.util.Batch2JobDefinitionConstants;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.registry.audit.ExtractAudit;
import org.cartltfu.hub.registry.release.RegistryRecipient;
import org.cartltfu.hub.registry.release.RegistryRecipients;
import org.cartltfu.hub.registry.release.RegistryRelease;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.Permission;
import org.cartltfu.hub.security.Role;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns HAPI's bulk export into registry extracts. At kick-off: the caller must be a configured registry or the hub,
 * a registry may only ask for the types it is registered for (all of them when it names none), and the job is marked
 * with its owner. For every resource the job loads: the release session decides (consent, jurisdiction) and
 * de-identifies. When the job completes: one AuditEvent says what went to whom.
 */
@Interceptor
public class RegistryExportInterceptor {

    private final Callers callers;
    private final RegistryRecipients recipients;
    private final ExtractSessions sessions;
    private final ExtractAudit audit;
    private final FhirContext fhirContext;

    private RegistryExportInterceptor(
            Callers callers,
            RegistryRecipients recipients,
            ExtractSessions sessions,
            ExtractAudit audit,
            FhirContext fhirContext) {
        this.fhirContext = fhirContext;
        this.callers = callers;
        this.recipients = recipients;
        this.sessions = sessions;
        this.audit = audit;
    }

    public static RegistryExportInterceptor create(
            Callers callers,
            RegistryRecipients recipients,
            RegistryRelease release,
            ExtractLedger ledger,
            ExtractAudit audit,
            FhirContext fhirContext) {
        return new RegistryExportInterceptor(
                callers, recipients, new ExtractSessions(release, recipients, ledger), audit, fhirContext);
    }

    @Hook(value = Pointcut.STORAGE_INITIATE_BULK_EXPORT, order = HookOrder.REGISTRY_EXPORT)
    public void kickOff(BulkExportJobParameters parameters, RequestDetails request) {
        Optional<Caller> caller = callers.of(request);
        boolean askedForTypes = request.getParameters().containsKey("_type") || hasTypeParameter(request);
        if (caller.isPresent() && caller.get().role() == Role.REGISTRY) {
            RegistryRecipient recipient = recipients
                    .forClient(caller.get().clientId())
                    .orElseThrow(
                            () -> new ForbiddenOperationException(
                                    "registry client " + caller.get().clientId()
                                            + " has no extract configuration (hub.registry.recipients): no key, no de-identification"));
            if (askedForTypes) {
                List<String> refused = new ArrayList<>(parameters.getResourceTypes());
                refused.removeIf(recipient::receives);
                if (!refused.isEmpty()) {
                    throw new InvalidRequestException("_type: " + String.join(", ", refused) + " not released to "
                            + recipient.name() + "; it receives "
                            + String.join(", ", recipient.settings().resourceTypes()));
                }
            } else {
                List<String> types = new ArrayList<>(recipient.settings().resourceTypes());
                if (parameters.getExportStyle() != BulkExportJobParameters.ExportStyle.SYSTEM) {
                    // A patient or group export follows patient compartments: a product is reached only at system
                    // level.
                    types.removeIf(type -> !inPatientCompartment(type));
                }
                parameters.setResourceTypes(types);
            }
            refuseReidentifyingParameters(parameters);
            own(parameters, CarTIg.SID_REGISTRY_CLIENT, recipient.clientId());
            sessions.open(parameters, recipient);
        } else {
            caller.ifPresent(hub -> {
                // HAPI's rule for operations lets any hub token start an export; it may only export what it may read.
                List<String> unreadable = parameters.getResourceTypes().stream()
                        .filter(type -> !hub.allows(type, Permission.READ))
                        .toList();
                if (!unreadable.isEmpty()) {
                    throw new ForbiddenOperationException("this token may not read " + String.join(", ", unreadable)
                            + ": name readable types in _type, or use a token with system/*.rs");
                }
            });
            own(
                    parameters,
                    CarTIg.SID_OAUTH_CLIENT,
                    caller.map(Caller::clientId).orElse("development"));
            sessions.open(parameters, null);
        }
    }

    /**
     * A registry may only narrow its extract on what it receives unchanged after de-identification (codes,
     * categories, statuses, profiles). Narrowing on anything else (identifiers, names, birth dates, real ids, the
     * times the hub received data) would let it recover, by bisection, what de-identification removed.
     */
    private static void refuseReidentifyingParameters(BulkExportJobParameters parameters) {
        if (parameters.getSince() != null || parameters.getUntil() != null) {
            throw new InvalidRequestException("_since/_until: not available to registries (when the hub received data"
                    + " is not part of a de-identified extract); ask for the whole extract");
        }
        if (parameters.getPatientIds() != null && !parameters.getPatientIds().isEmpty()) {
            throw new InvalidRequestException("patient: not available to registries (patient ids are the hub's;"
                    + " a registry receives pseudonyms)");
        }
        if (parameters.getPostFetchFilterUrls() != null
                && !parameters.getPostFetchFilterUrls().isEmpty()) {
            throw new InvalidRequestException("_typePostFetchFilterUrl: not available to registries");
        }
        for (String filter : parameters.getFilters() == null ? List.<String>of() : parameters.getFilters()) {
            String query = filter.contains("?") ? filter.substring(filter.indexOf('?') + 1) : "";
            for (String pair : query.split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                String base = URLDecoder.decode(name, StandardCharsets.UTF_8);
                base = base.contains(":") ? base.substring(0, base.indexOf(':')) : base;
                if (!pair.isEmpty() && (base.contains(".") || !RELEASED_NARROWING.contains(base))) {
                    throw new InvalidRequestException("_typeFilter " + filter + ": parameter " + name
                            + " is not available to registries; a registry may narrow only on what it receives"
                            + " after de-identification: " + String.join(", ", RELEASED_NARROWING));
                }
            }
        }
    }

    /** Search parameters on values a registry receives unchanged. */
    static final List<String> RELEASED_NARROWING = List.of(
            "code",
            "category",
            "status",
            "clinical-status",
            "verification-status",
            "severity",
            "intent",
            "event",
            "_profile");

    private void own(BulkExportJobParameters parameters, String system, String client) {
        parameters.setBinarySecurityContextIdentifierSystem(system);
        parameters.setBinarySecurityContextIdentifierValue(client);
        if (parameters.getExportIdentifier() == null
                || parameters.getExportIdentifier().isBlank()) {
            parameters.setExportIdentifier(UUID.randomUUID().toString());
        } else if (sessions.isOpen(parameters)) {
            throw new ResourceVersionConflictException("_exportId " + parameters.getExportIdentifier()
                    + " is already used by a running export of this client; wait for it or choose another id");
        }
    }

    private boolean inPatientCompartment(String type) {
        return !fhirContext
                .getResourceDefinition(type)
                .getSearchParamsForCompartmentName("Patient")
                .isEmpty();
    }

    private static boolean hasTypeParameter(RequestDetails request) {
        return request.getResource() instanceof org.hl7.fhir.r4.model.Parameters body
                && body.getParameter().stream().anyMatch(parameter -> "_type".equals(parameter.getName()));
    }

    @Hook(value = Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION, order = HookOrder.REGISTRY_EXPORT)
    public boolean include(BulkExportJobParameters parameters, IBaseResource resource) {
        return sessions.of(parameters).release((Resource) resource);
    }

    /**
     * Counts what an export writes when each of its files is stored (HAPI marks each file with its export id and
     * resource type, and the file holds one resource per line), so the count is right whichever instance wrote it.
     */
    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = HookOrder.REGISTRY_EXPORT)
    public void fileWritten(IBaseResource resource) {
        if (resource instanceof Binary file && file.hasSecurityContext()) {
            String exportId = metaExtension(file, JpaConstants.BULK_META_EXTENSION_EXPORT_IDENTIFIER);
            String type = metaExtension(file, JpaConstants.BULK_META_EXTENSION_RESOURCE_TYPE);
            if (exportId != null && type != null && file.hasData()) {
                long lines = 0;
                for (byte b : file.getData()) {
                    lines += b == '\n' ? 1 : 0;
                }
                sessions.fileWritten(
                        ExtractSessions.key(
                                file.getSecurityContext().getIdentifier().getValue(), exportId),
                        type,
                        lines);
            }
        }
    }

    private static String metaExtension(Binary file, String url) {
        Extension extension = file.getMeta().getExtensionByUrl(url);
        return extension == null || extension.getValue() == null
                ? null
                : extension.getValue().primitiveValue();
    }

    @Hook(value = Pointcut.STORAGE_POSTCOMPLETE_BATCH_JOB, order = HookOrder.REGISTRY_EXPORT)
    public void completed(JobInstance job) {
        if (!Batch2JobDefinitionConstants.BULK_EXPORT.equals(job.getJobDefinitionId())) {
            return;
        }
        BulkExportJobParameters parameters = job.getParameters(BulkExportJobParameters.class);
        sessions.close(parameters)
                .ifPresent(extract -> audit.record(
                        job,
                        parameters,
                        CarTIg.SID_REGISTRY_CLIENT.equals(parameters.getBinarySecurityContextIdentifierSystem()),
                        sessions.registry(parameters),
                        extract.patients(),
                        extract.releasedByType()));
    }
}
