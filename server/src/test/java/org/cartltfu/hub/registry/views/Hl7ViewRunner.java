package org.cartltfu.hub.registry.views;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hl7.fhir.utilities.json.model.JsonObject;
import org.hl7.fhir.utilities.json.parser.JsonParser;

/**
 * HL7's SQL-on-FHIR runner from the FHIR core library HAPI ships ({@code org.hl7.fhir.r4.utils.sql.Runner} on R4
 * resources, or {@code org.hl7.fhir.r5.utils.sql.Runner} on R5 resources), with rows in the form {@link ViewRunner}
 * gives them (column order of the view; null, String, Integer, BigDecimal or Boolean; a List for a collection column),
 * so that the two can be compared value by value. Not used by the hub: for {@code RunnerComparison} and
 * {@code SpecSuiteRun} only.
 *
 * <p>HL7's runner keeps per-view state (its FHIRPath engine, the view's resource type) in the runner object and
 * writes keys into the resources' user data: one instance per view and thread.
 */
abstract class Hl7ViewRunner {

    /** Which of HL7's runners. */
    enum Flavour {
        R4,
        R5
    }

    private static volatile org.hl7.fhir.r4.context.IWorkerContext r4Context;
    private static volatile org.hl7.fhir.r5.context.IWorkerContext r5Context;

    final String resourceType;
    final List<String> columns = new ArrayList<>();
    final List<List<Object>> pending = new ArrayList<>();

    private Hl7ViewRunner(String viewJson) throws IOException {
        JsonObject view = JsonParser.parseObject(viewJson);
        this.resourceType = view.asString("resource");
    }

    /**
     * Parses and checks the view with HL7's Validator (as HL7's runner does before it runs).
     *
     * @throws RuntimeException (HL7's FHIRException) when HL7's Validator refuses the view
     */
    static Hl7ViewRunner of(Flavour flavour, String viewJson) {
        try {
            return flavour == Flavour.R4 ? new R4(viewJson) : new R5(viewJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("view is not JSON: " + e.getMessage(), e);
        }
    }

    /** The view's rows for one resource: none for other types. R5 takes R5 resources, R4 R4 resources. */
    abstract List<List<Object>> rows(Object resource);

    /** The view's rows over all resources, through the runner's own {@code execute} and a Provider. */
    abstract List<List<Object>> execute(List<?> resources);

    List<List<Object>> drain() {
        List<List<Object>> rows = new ArrayList<>(pending);
        pending.clear();
        return rows;
    }

    static org.hl7.fhir.r4.context.IWorkerContext r4Context() {
        if (r4Context == null) {
            FhirContext fhir = FhirContext.forR4Cached();
            r4Context = new org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext(fhir, new DefaultProfileValidationSupport(fhir));
        }
        return r4Context;
    }

    static org.hl7.fhir.r5.context.IWorkerContext r5Context() {
        if (r5Context == null) {
            FhirContext fhir = FhirContext.forR5Cached();
            // HAPI's R5 HapiWorkerContext has no logger (HAPI-0213 from the engine's type check): the validator's
            // context.
            r5Context = org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter
                    .newVersionSpecificWorkerContextWrapper(new DefaultProfileValidationSupport(fhir));
        }
        return r5Context;
    }

    // HL7's Value: a string always, a more specific value when the column's kind has one.
    static Object value(String string, Boolean bool, Integer integer, java.math.BigDecimal decimal, Object complex) {
        if (bool != null) {
            return bool;
        }
        if (integer != null) {
            return integer;
        }
        if (decimal != null) {
            return decimal;
        }
        if (complex != null) {
            return "<complex " + complex + ">";
        }
        return string;
    }

    // HL7's Validator says only "View Definition is not valid"; its issues say why.
    static IllegalArgumentException refused(
            RuntimeException e, List<org.hl7.fhir.utilities.validation.ValidationMessage> issues) {
        StringBuilder why = new StringBuilder(e.getMessage());
        if (issues != null) {
            for (org.hl7.fhir.utilities.validation.ValidationMessage issue : issues) {
                if (issue.getLevel().isError()) {
                    why.append("; ").append(issue.getLocation()).append(": ").append(issue.getMessage());
                }
            }
        }
        return new IllegalArgumentException(why.toString(), e);
    }

    static String idPart(String id) {
        if (id == null) {
            return null;
        }
        String plain = id.contains("/_history/") ? id.substring(0, id.indexOf("/_history/")) : id;
        return plain.substring(plain.lastIndexOf('/') + 1);
    }

    private static final class R4 extends Hl7ViewRunner {

        private final org.hl7.fhir.r4.utils.sql.Runner runner = new org.hl7.fhir.r4.utils.sql.Runner();
        private final org.hl7.fhir.r4.utils.sql.Runner.WorkContext work;
        private List<?> all = List.of();

        R4(String viewJson) throws IOException {
            super(viewJson);
            runner.setContext(r4Context());
            runner.setProvider(new org.hl7.fhir.r4.utils.sql.Provider() {
                @Override
                public List<org.hl7.fhir.r4.model.Base> fetch(String type) {
                    List<org.hl7.fhir.r4.model.Base> found = new ArrayList<>();
                    for (Object item : all) {
                        if (((org.hl7.fhir.r4.model.Resource) item).fhirType().equals(type)) {
                            found.add((org.hl7.fhir.r4.model.Base) item);
                        }
                    }
                    return found;
                }

                // The reference's target as far as its text tells: type and id, nothing resolved.
                @Override
                public org.hl7.fhir.r4.model.Base resolveReference(
                        org.hl7.fhir.r4.model.Base root, String ref, String type) {
                    org.hl7.fhir.r4.model.IdType target = new org.hl7.fhir.r4.model.IdType(ref);
                    if (!target.hasResourceType()
                            || !target.hasIdPart()
                            || (type != null && !type.equals(target.getResourceType()))) {
                        return null;
                    }
                    org.hl7.fhir.r4.model.Basic stub = new org.hl7.fhir.r4.model.Basic();
                    stub.setId(target.getIdPart());
                    return stub;
                }
            });
            runner.setStorage(new org.hl7.fhir.r4.utils.sql.Storage() {
                @Override
                public org.hl7.fhir.r4.utils.sql.Validator.TrueFalseOrUnknown supportsArrays() {
                    return org.hl7.fhir.r4.utils.sql.Validator.TrueFalseOrUnknown.TRUE;
                }

                @Override
                public org.hl7.fhir.r4.utils.sql.Validator.TrueFalseOrUnknown supportsComplexTypes() {
                    return org.hl7.fhir.r4.utils.sql.Validator.TrueFalseOrUnknown.FALSE;
                }

                @Override
                public org.hl7.fhir.r4.utils.sql.Store createStore(
                        String name, List<org.hl7.fhir.r4.utils.sql.Column> list) {
                    list.forEach(c -> columns.add(c.getName()));
                    return new org.hl7.fhir.r4.utils.sql.Store(name) {};
                }

                @Override
                public void addRow(org.hl7.fhir.r4.utils.sql.Store store, List<org.hl7.fhir.r4.utils.sql.Cell> cells) {
                    Object[] row = new Object[columns.size()];
                    for (org.hl7.fhir.r4.utils.sql.Cell cell : cells) {
                        List<Object> values = new ArrayList<>();
                        for (org.hl7.fhir.r4.utils.sql.Value v : cell.getValues()) {
                            Object value = v == null
                                    ? null
                                    : value(
                                            v.getValueString(),
                                            v.getValueBoolean(),
                                            v.getValueInt(),
                                            v.getValueDecimal(),
                                            v.getValueComplex());
                            if (value != null) {
                                values.add(value);
                            }
                        }
                        int i = columns.indexOf(cell.getColumn().getName());
                        row[i] = cell.getColumn().isColl()
                                ? Collections.unmodifiableList(values)
                                : values.isEmpty() ? null : values.get(0);
                    }
                    pending.add(Collections.unmodifiableList(java.util.Arrays.asList(row)));
                }

                @Override
                public void finish(org.hl7.fhir.r4.utils.sql.Store store) {}

                @Override
                public org.hl7.fhir.r4.utils.sql.Validator.TrueFalseOrUnknown needsName() {
                    return org.hl7.fhir.r4.utils.sql.Validator.TrueFalseOrUnknown.FALSE;
                }

                @Override
                public String getKeyForSourceResource(org.hl7.fhir.r4.model.Base res) {
                    return idPart(res.getIdBase());
                }

                @Override
                public String getKeyForTargetResource(org.hl7.fhir.r4.model.Base res) {
                    return idPart(res.getIdBase());
                }
            });
            try {
                work = runner.prepare("$", JsonParser.parseObject(viewJson));
            } catch (RuntimeException e) {
                throw refused(e, runner.getIssues());
            }
        }

        @Override
        List<List<Object>> rows(Object resource) {
            if (((org.hl7.fhir.r4.model.Resource) resource).fhirType().equals(resourceType)) {
                runner.processResource(work, (org.hl7.fhir.r4.model.Base) resource);
            }
            return drain();
        }

        @Override
        List<List<Object>> execute(List<?> resources) {
            all = resources;
            try {
                for (org.hl7.fhir.r4.model.Base resource : runner.getProvider().fetch(resourceType)) {
                    runner.processResource(work, resource);
                }
                return drain();
            } finally {
                all = List.of();
            }
        }
    }

    private static final class R5 extends Hl7ViewRunner {

        private final org.hl7.fhir.r5.utils.sql.Runner runner = new org.hl7.fhir.r5.utils.sql.Runner();
        private final org.hl7.fhir.r5.utils.sql.Runner.WorkContext work;
        private List<?> all = List.of();

        R5(String viewJson) throws IOException {
            super(viewJson);
            runner.setContext(r5Context());
            runner.setProvider(new org.hl7.fhir.r5.utils.sql.Provider() {
                @Override
                public List<org.hl7.fhir.r5.model.Base> fetch(String type) {
                    List<org.hl7.fhir.r5.model.Base> found = new ArrayList<>();
                    for (Object item : all) {
                        if (((org.hl7.fhir.r5.model.Resource) item).fhirType().equals(type)) {
                            found.add((org.hl7.fhir.r5.model.Base) item);
                        }
                    }
                    return found;
                }

                @Override
                public org.hl7.fhir.r5.model.Base resolveReference(
                        org.hl7.fhir.r5.model.Base root, String ref, String type) {
                    org.hl7.fhir.r5.model.IdType target = new org.hl7.fhir.r5.model.IdType(ref);
                    if (!target.hasResourceType()
                            || !target.hasIdPart()
                            || (type != null && !type.equals(target.getResourceType()))) {
                        return null;
                    }
                    org.hl7.fhir.r5.model.Basic stub = new org.hl7.fhir.r5.model.Basic();
                    stub.setId(target.getIdPart());
                    return stub;
                }
            });
            runner.setStorage(new org.hl7.fhir.r5.utils.sql.Storage() {
                @Override
                public org.hl7.fhir.r5.utils.sql.Validator.TrueFalseOrUnknown supportsArrays() {
                    return org.hl7.fhir.r5.utils.sql.Validator.TrueFalseOrUnknown.TRUE;
                }

                @Override
                public org.hl7.fhir.r5.utils.sql.Validator.TrueFalseOrUnknown supportsComplexTypes() {
                    return org.hl7.fhir.r5.utils.sql.Validator.TrueFalseOrUnknown.FALSE;
                }

                @Override
                public org.hl7.fhir.r5.utils.sql.Store createStore(
                        String name, List<org.hl7.fhir.r5.utils.sql.Column> list) {
                    list.forEach(c -> columns.add(c.getName()));
                    return new org.hl7.fhir.r5.utils.sql.Store(name) {};
                }

                @Override
                public void addRow(org.hl7.fhir.r5.utils.sql.Store store, List<org.hl7.fhir.r5.utils.sql.Cell> cells) {
                    Object[] row = new Object[columns.size()];
                    for (org.hl7.fhir.r5.utils.sql.Cell cell : cells) {
                        List<Object> values = new ArrayList<>();
                        for (org.hl7.fhir.r5.utils.sql.Value v : cell.getValues()) {
                            Object value = v == null
                                    ? null
                                    : value(
                                            v.getValueString(),
                                            v.getValueBoolean(),
                                            v.getValueInt(),
                                            v.getValueDecimal(),
                                            v.getValueComplex());
                            if (value != null) {
                                values.add(value);
                            }
                        }
                        int i = columns.indexOf(cell.getColumn().getName());
                        row[i] = cell.getColumn().isColl()
                                ? Collections.unmodifiableList(values)
                                : values.isEmpty() ? null : values.get(0);
                    }
                    pending.add(Collections.unmodifiableList(java.util.Arrays.asList(row)));
                }

                @Override
                public void finish(org.hl7.fhir.r5.utils.sql.Store store) {}

                @Override
                public org.hl7.fhir.r5.utils.sql.Validator.TrueFalseOrUnknown needsName() {
                    return org.hl7.fhir.r5.utils.sql.Validator.TrueFalseOrUnknown.FALSE;
                }

                @Override
                public String getKeyForSourceResource(org.hl7.fhir.r5.model.Base res) {
                    return idPart(res.getIdBase());
                }

                @Override
                public String getKeyForTargetResource(org.hl7.fhir.r5.model.Base res) {
                    return idPart(res.getIdBase());
                }
            });
            try {
                work = runner.prepare("$", JsonParser.parseObject(viewJson));
            } catch (RuntimeException e) {
                throw refused(e, runner.getIssues());
            }
        }

        @Override
        List<List<Object>> rows(Object resource) {
            if (((org.hl7.fhir.r5.model.Resource) resource).fhirType().equals(resourceType)) {
                runner.processResource(work, (org.hl7.fhir.r5.model.Base) resource);
            }
            return drain();
        }

        @Override
        List<List<Object>> execute(List<?> resources) {
            all = resources;
            try {
                for (org.hl7.fhir.r5.model.Base resource : runner.getProvider().fetch(resourceType)) {
                    runner.processResource(work, resource);
                }
                return drain();
            } finally {
                all = List.of();
            }
        }
    }
}
