package org.cartltfu.bench.cohort;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small builders for FHIR JSON (the same shapes as profiles/tools/generate_examples.py). */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public static final String BASE = "https://cart-ltfu.org/fhir";
    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private Json() {}

    public static ObjectNode obj() {
        return F.objectNode();
    }

    public static ArrayNode arr() {
        return F.arrayNode();
    }

    public static String sd(String id) {
        return BASE + "/StructureDefinition/" + id;
    }

    public static String cs(String id) {
        return BASE + "/CodeSystem/" + id;
    }

    public static String sid(String id) {
        return BASE + "/sid/" + id;
    }

    public static ObjectNode coding(String system, String code, String display) {
        ObjectNode c = obj().put("system", system).put("code", code);
        if (display != null) {
            c.put("display", display);
        }
        return c;
    }

    public static ObjectNode concept(String system, String code, String display) {
        ObjectNode cc = obj();
        cc.putArray("coding").add(coding(system, code, display));
        return cc;
    }

    public static ObjectNode concept(String system, String code) {
        return concept(system, code, null);
    }

    public static ObjectNode text(String text) {
        return obj().put("text", text);
    }

    public static ObjectNode ref(String reference, String display) {
        ObjectNode r = obj().put("reference", reference);
        if (display != null) {
            r.put("display", display);
        }
        return r;
    }

    public static ObjectNode meta(String profileId) {
        ObjectNode m = obj();
        m.putArray("profile").add(sd(profileId));
        return m;
    }

    public static ObjectNode resource(String type, String profileId) {
        ObjectNode r = obj().put("resourceType", type);
        if (profileId != null) {
            r.set("meta", meta(profileId));
        }
        return r;
    }

    /** Identifier with our cart-identifier-type code, optionally preceded by a v2-0203 type code. */
    public static ObjectNode identifier(String typeCode, String system, String value, String v2Code) {
        ObjectNode id = obj();
        ArrayNode codings = id.putObject("type").putArray("coding");
        if (v2Code != null) {
            codings.add(coding(V2_0203, v2Code, null));
        }
        codings.add(coding(cs("cart-identifier-type"), typeCode, null));
        return id.put("system", system).put("value", value);
    }

    public static ObjectNode quantity(double value, String ucum) {
        return obj().put("value", value).put("unit", ucum).put("system", UCUM).put("code", ucum);
    }
}
