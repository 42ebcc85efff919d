package org.cartltfu.hub.intake;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.util.FhirTerser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.cartltfu.ig.CarTIg;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns NDJSON files exported from another FHIR server (one resource per line, any types, ids and references as that
 * server has them) into one transaction the hub can take, whatever order the lines are in:
 * <ul>
 * <li>each resource is created under a new id, its references to other resources of the files rewritten to it (the
 * hub gives its own ids; a spoke cannot choose them);</li>
 * <li>a re-import changes nothing: each resource keeps its source id as an identifier ({@link CarTIg#SID_SOURCE_PREFIX}
 * + site, {@code Type/id}) and is created only if none has it; a Patient is matched to the hub's patient (by the hub
 * MRN here, by the identifiers of {@link PatientMatching} otherwise), never created twice;</li>
 * <li>resources the importer may not write (for a spoke: practitioners, organizations, locations — not patient data)
 * are not stored; references to them become references by identifier and name, so nothing they said is lost;
 * Provenance is not stored either (the hub records its own of the import, as of every push).</li>
 * </ul>
 * Every line is checked before anything is built, and every problem is named by its line.
 */
final class NdjsonImport {

    /** One resource of the transaction and the line it came from. */
    record Origin(int line, String sourceId) {}

    /**
     * The transaction and, entry by entry, where each came from.
     *
     * @param notStored per type, how many resources of the files are not stored, and why
     */
    record Plan(Bundle transaction, List<Origin> origins, int lines, Map<String, NotStored> notStored) {}

    /** Resources of one type that are not stored: how many, and why. */
    record NotStored(int count, String why) {}

    /** Its own record of who sent what: each import gets the hub's Provenance, as every push does. */
    private static final String PROVENANCE = "Provenance";

    /** The files could not be read; nothing is built. */
    static final class Refused extends Exception {
        private final transient List<CellError> errors;

        Refused(List<CellError> errors) {
            super(errors.get(0).toString());
            this.errors = List.copyOf(errors);
        }

        List<CellError> errors() {
            return errors;
        }
    }

    private static final Set<String> NOT_IMPORTED = Set.of("Bundle", "Binary", "AuditEvent", "Subscription");

    private final FhirContext fhirContext;
    private final String site;
    private final Predicate<String> storable;
    private final int maxResources;

    /**
     * @param site the importer's site code (the source identifiers' system)
     * @param storable whether the importer may store resources of a type (others are referenced by identifier)
     */
    NdjsonImport(FhirContext fhirContext, String site, Predicate<String> storable, int maxResources) {
        this.fhirContext = fhirContext;
        this.site = site;
        this.storable = storable;
        this.maxResources = maxResources;
    }

    Plan plan(InputStream ndjson) throws Refused, IOException {
        List<CellError> errors = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        // Unknown elements are refused, not dropped: a lenient parser would lose data without a word.
        IParser parser = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        InputStream in = new BufferedInputStream(ndjson);
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int number = 0;
        for (byte[] bytes = nextLine(in); bytes != null; bytes = nextLine(in)) {
            number++;
            String line;
            try {
                // Line by line, so that a byte that is not UTF-8 is named on its own line.
                line = utf8.decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                errors.add(new CellError(number, null, "not UTF-8 (NDJSON is always UTF-8)"));
                continue;
            }
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (resources.size() == maxResources) {
                errors.add(new CellError(
                        number,
                        null,
                        "more than " + maxResources + " resources in one import; split the files by patient"));
                break;
            }
            try {
                IBaseResource parsed = parser.parseResource(line);
                String type = parsed.fhirType();
                if (NOT_IMPORTED.contains(type)) {
                    errors.add(new CellError(number, null, type + " is not imported: send the resources themselves"));
                } else if (!type.equals(PROVENANCE) && !hasIdentifier(type)) {
                    errors.add(new CellError(
                            number,
                            null,
                            type + " has no identifier, so importing it again" + " would store it twice; leave " + type
                                    + " out of the import"));
                } else if (!parsed.getIdElement().hasIdPart()) {
                    errors.add(new CellError(
                            number,
                            null,
                            type + " has no id: an import needs each resource's id"
                                    + " in the system it comes from, so that importing it again changes nothing"));
                } else {
                    resources.add((Resource) parsed);
                    lines.add(number);
                }
            } catch (DataFormatException e) {
                errors.add(new CellError(number, null, "not a FHIR R4 resource in JSON: " + e.getMessage()));
            }
        }

        // Source key (Type/id) of every resource, and which line has it.
        Map<String, Integer> lineOf = new HashMap<>();
        for (int i = 0; i < resources.size(); i++) {
            Integer earlier = lineOf.putIfAbsent(key(resources.get(i)), lines.get(i));
            if (earlier != null) {
                errors.add(new CellError(lines.get(i), null, key(resources.get(i)) + " is also line " + earlier));
            }
        }
        if (!errors.isEmpty()) {
            throw new Refused(errors);
        }
        if (resources.isEmpty()) {
            throw new Refused(List.of(CellError.file("no resources: an import is one FHIR resource in JSON per line")));
        }

        Map<String, String> fullUrls = new HashMap<>();
        Map<String, Reference> byIdentifier = new HashMap<>();
        Map<String, NotStored> notStored = new TreeMap<>();
        for (Resource resource : resources) {
            String type = resource.fhirType();
            if (type.equals(PROVENANCE)) {
                notStored.merge(
                        type, new NotStored(1, "the hub records its own Provenance of each import"), NdjsonImport::add);
            } else if (storable.test(type)) {
                fullUrls.put(key(resource), "urn:uuid:" + UUID.randomUUID());
            } else {
                byIdentifier.put(key(resource), logicalReference(resource));
                notStored.merge(
                        type,
                        new NotStored(1, "not patient data: references to it name it by identifier and" + " name"),
                        NdjsonImport::add);
            }
        }

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<Origin> origins = new ArrayList<>();
        FhirTerser terser = fhirContext.newTerser();
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            String key = key(resource);
            if (!fullUrls.containsKey(key)) {
                continue;
            }
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                rewrite(reference, fullUrls, byIdentifier);
            }
            resource.setIdElement(null);
            resource.getMeta().setVersionId(null).setLastUpdated(null);
            Bundle.BundleEntryComponent entry =
                    transaction.addEntry().setFullUrl(fullUrls.get(key)).setResource(resource);
            entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
            if (resource instanceof Patient patient) {
                // Matched, never created twice: by the hub MRN here, else by PatientMatching's identifiers.
                patient.getIdentifier().stream()
                        .filter(identifier ->
                                CarTIg.SID_HUB_MRN.equals(identifier.getSystem()) && identifier.hasValue())
                        .findFirst()
                        .ifPresent(mrn -> entry.getRequest()
                                .setIfNoneExist("identifier=" + mrn.getSystem() + "|" + mrn.getValue()));
            } else {
                Identifier source = sourceIdentifier(resource, key, terser);
                entry.getRequest().setIfNoneExist("identifier=" + source.getSystem() + "|" + source.getValue());
            }
            origins.add(new Origin(lines.get(i), key));
        }
        return new Plan(transaction, origins, number, notStored);
    }

    private static NotStored add(NotStored counted, NotStored one) {
        return new NotStored(counted.count() + one.count(), counted.why());
    }

    /**
     * The identifier the import is made repeatable by: the source id, added; for the few types with at most one
     * identifier (QuestionnaireResponse, Composition …) that already carry a usable one, that one.
     */
    private Identifier sourceIdentifier(Resource resource, String key, FhirTerser terser) {
        List<Identifier> present = terser.getValues(resource, "identifier", Identifier.class);
        boolean single = fhirContext
                        .getResourceDefinition(resource)
                        .getChildByName("identifier")
                        .getMax()
                == 1;
        if (single
                && !present.isEmpty()
                && present.get(0).hasSystem()
                && present.get(0).hasValue()) {
            return present.get(0);
        }
        // An identifier without system or value identifies nothing: the source id takes its place.
        Identifier source =
                single && !present.isEmpty() ? present.get(0) : (Identifier) terser.addElement(resource, "identifier");
        return source.setSystem(CarTIg.SID_SOURCE_PREFIX + site).setValue(key);
    }

    /** The next line's bytes without its end (LF or CRLF), or null at the end. */
    private static byte[] nextLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            line.write(b);
            b = in.read();
        }
        byte[] bytes = line.toByteArray();
        return bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
    }

    private boolean hasIdentifier(String type) {
        RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
        return definition.getChildByName("identifier") != null && definition.getSearchParam("identifier") != null;
    }

    private static String key(IBaseResource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    /** A reference to a resource of the files is pointed at its new entry, or made a reference by identifier. */
    private static void rewrite(
            Reference reference, Map<String, String> fullUrls, Map<String, Reference> byIdentifier) {
        if (!reference.hasReference()
                || reference.getReference().startsWith("#")
                || reference.getReference().startsWith("urn:")) {
            return;
        }
        IdType target = new IdType(reference.getReference());
        if (!target.hasResourceType() || !target.hasIdPart()) {
            return;
        }
        String key = target.getResourceType() + "/" + target.getIdPart();
        if (fullUrls.containsKey(key)) {
            reference.setReference(fullUrls.get(key));
        } else if (byIdentifier.containsKey(key)) {
            Reference logical = byIdentifier.get(key);
            reference.setReference(null);
            if (logical.hasIdentifier()) {
                reference.setIdentifier(logical.getIdentifier().copy());
            }
            if (!reference.hasDisplay() && logical.hasDisplay()) {
                reference.setDisplay(logical.getDisplay());
            }
            if (!reference.hasType()) {
                reference.setType(target.getResourceType());
            }
        }
    }

    /** What a reference to a resource that is not stored keeps of it: its first identifier and its name. */
    private Reference logicalReference(Resource resource) {
        Reference logical = new Reference();
        FhirTerser terser = fhirContext.newTerser();
        if (fhirContext.getResourceDefinition(resource).getChildByName("identifier") != null) {
            terser.getValues(resource, "identifier", Identifier.class).stream()
                    .filter(identifier -> identifier.hasSystem() && identifier.hasValue())
                    .findFirst()
                    .ifPresent(identifier -> logical.setIdentifier(
                            new Identifier().setSystem(identifier.getSystem()).setValue(identifier.getValue())));
        }
        if (fhirContext.getResourceDefinition(resource).getChildByName("name") != null) {
            terser.getValues(resource, "name").stream()
                    .findFirst()
                    .ifPresent(name -> logical.setDisplay(
                            name instanceof HumanName human
                                    ? human.getNameAsSingleString()
                                    : name instanceof PrimitiveType<?> text ? text.getValueAsString() : null));
        }
        if (!logical.hasDisplay() && fhirContext.getResourceDefinition(resource).getChildByName("code") != null) {
            // A Medication has no name: its code says what it is.
            terser.getValues(resource, "code", CodeableConcept.class).stream()
                    .findFirst()
                    .ifPresent(code -> logical.setDisplay(
                            code.hasText()
                                    ? code.getText()
                                    : code.getCodingFirstRep().getDisplay()));
        }
        return logical;
    }
}
