package org.cartltfu.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.cartltfu.bench.cohort.CohortGenerator;
import org.cartltfu.bench.cohort.Json;

/**
 * A cohort transaction as a spoke EHR that may resend it would write it: every entry conditional on an identifier of
 * the sender's own record system, so a resend after a lost answer creates nothing twice. The generator's entries
 * that are not already conditional get the identifier {@code source-record/<site>|<entry uuid>} (the entry fullUrls
 * are deterministic, hence the same on every resend); the sender's own Provenance is left out (R4 Provenance has no
 * identifier to be conditional on; the hub records its own Provenance of every write anyway).
 *
 * @param keys every identifier this push's resources must be findable by afterwards, as {@link Key}s
 */
public record IdempotentPush(CohortGenerator.Push push, ObjectNode bundle, List<Key> keys) {

    /** A resource type and an identifier ({@code system|value}) that exactly one stored resource must carry. */
    public record Key(String type, String system, String value) {}

    public static String system(String site) {
        return Json.sid("source-record/" + site);
    }

    public static IdempotentPush of(CohortGenerator.Push push) {
        ObjectNode bundle = push.bundle().deepCopy();
        ArrayNode kept = Json.arr();
        List<Key> keys = new ArrayList<>();
        String system = system(push.site().code());
        for (JsonNode node : bundle.get("entry")) {
            ObjectNode entry = (ObjectNode) node;
            ObjectNode resource = (ObjectNode) entry.get("resource");
            String type = resource.get("resourceType").asText();
            if (type.equals("Provenance")) {
                continue;
            }
            ObjectNode request = (ObjectNode) entry.get("request");
            if (request.has("ifNoneExist")) {
                String[] condition = request.get("ifNoneExist")
                        .asText()
                        .replaceFirst("^identifier=", "")
                        .split("\\|", 2);
                keys.add(new Key(type, condition[0], condition[1]));
            } else {
                String value = entry.get("fullUrl").asText().replaceFirst("^urn:uuid:", "");
                ObjectNode identifier = Json.obj().put("system", system).put("value", value);
                if (type.equals("AdverseEvent")) {
                    resource.set("identifier", identifier); // 0..1 in R4
                } else {
                    (resource.has("identifier")
                                    ? (ArrayNode) resource.get("identifier")
                                    : resource.putArray("identifier"))
                            .add(identifier);
                }
                request.put("ifNoneExist", "identifier=" + system + "|" + value);
                keys.add(new Key(type, system, value));
            }
            kept.add(entry);
        }
        bundle.set("entry", kept);
        return new IdempotentPush(push, bundle, List.copyOf(keys));
    }
}
