package org.cartltfu.bench.cohort;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One transaction Bundle under construction; entry fullUrls are deterministic urn:uuids. */
final class TransactionBuilder {

    private final String uuidSeed;
    private final ObjectNode bundle = Json.obj().put("resourceType", "Bundle").put("type", "transaction");
    private final ArrayNode entries = bundle.putArray("entry");
    private final List<String> clinicalUrls = new ArrayList<>();
    private int counter;

    TransactionBuilder(String uuidSeed) {
        this.uuidSeed = uuidSeed;
    }

    /** Adds a POST entry and returns its fullUrl; ifNoneExist makes it a conditional create. */
    String add(ObjectNode resource, String ifNoneExist) {
        String url =
                "urn:uuid:" + UUID.nameUUIDFromBytes((uuidSeed + "/" + counter++).getBytes(StandardCharsets.UTF_8));
        ObjectNode entry = entries.addObject().put("fullUrl", url);
        entry.set("resource", resource);
        ObjectNode request = entry.putObject("request")
                .put("method", "POST")
                .put("url", resource.get("resourceType").asText());
        if (ifNoneExist != null) {
            request.put("ifNoneExist", ifNoneExist);
        }
        return url;
    }

    /** A resource this push reports (target of the push's Provenance). */
    String addClinical(ObjectNode resource) {
        String url = add(resource, null);
        clinicalUrls.add(url);
        return url;
    }

    List<String> clinicalUrls() {
        return clinicalUrls;
    }

    ObjectNode build() {
        return bundle;
    }
}
