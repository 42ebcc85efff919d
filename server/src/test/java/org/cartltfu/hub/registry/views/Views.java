package org.cartltfu.hub.registry.views;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** One FHIRPath engine for all view tests (building one loads the FHIR core definitions), and short ways to run. */
final class Views {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final ViewEngine ENGINE = new ViewEngine(FHIR);

    private Views() {}

    static ViewRunner runner(String viewJson) {
        return new ViewRunner(ENGINE, ViewCatalog.parse(viewJson));
    }

    static List<List<Object>> run(String viewJson, Resource... resources) {
        ViewRunner runner = runner(viewJson);
        List<List<Object>> rows = new ArrayList<>();
        for (Resource resource : resources) {
            rows.addAll(runner.rows(resource));
        }
        return rows;
    }

    static Resource parse(String json) {
        return (Resource) FHIR.newJsonParser().parseResource(json);
    }

    /** A list that may hold nulls, for expected rows. */
    static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }
}
