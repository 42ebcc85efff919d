package org.cartltfu.hub.config;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Server-side searches that must see every match. Without an explicit limit HAPI's "synchronous" search returns one
 * default page (20) and leaves the size unknown, so {@code getAllResources()} fails and a page loop stops early: a
 * patient's weeks of daily assessments, or a spoke's patients, would be cut short.
 */
public final class SearchResults {

    /** Far above one patient's records over 15 years of follow-up (daily assessments included). */
    public static final int MAX_MATCHES = 20_000;

    private static final int PAGE = 500;

    private SearchResults() {}

    /** Makes the search load every match (up to {@link #MAX_MATCHES}) in one go. */
    public static SearchParameterMap everything(SearchParameterMap search) {
        search.setLoadSynchronous(true);
        search.setLoadSynchronousUpTo(MAX_MATCHES);
        // The synchronous search takes its page size from _count, else the server's default page.
        search.setCount(MAX_MATCHES);
        return search;
    }

    public static List<IBaseResource> all(IBundleProvider results) {
        List<IBaseResource> all = new ArrayList<>();
        forEachPage(results, all::addAll);
        return all;
    }

    /** Hands every match to the consumer a page at a time, so that any number of them streams through. */
    public static void forEachPage(IBundleProvider results, Consumer<List<IBaseResource>> consumer) {
        for (int from = 0; ; from += PAGE) {
            List<IBaseResource> page = results.getResources(from, from + PAGE);
            consumer.accept(page);
            if (page.size() < PAGE) {
                return;
            }
        }
    }
}
