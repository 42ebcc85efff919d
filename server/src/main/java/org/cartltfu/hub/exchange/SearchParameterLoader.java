package org.cartltfu.hub.exchange;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.SearchParameter;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Stores the hub's own search parameters ({@code classpath:fhir/SearchParameter-*.json}, e.g. {@code astct-grade})
 * at start, under their fixed ids, and makes them usable at once. Resources written before a new parameter existed
 * need a {@code $reindex} to be found by it.
 */
@Component
class SearchParameterLoader implements ApplicationRunner {

	private final DaoRegistry daos;
	private final FhirContext fhirContext;
	private final ISearchParamRegistry searchParamRegistry;

	SearchParameterLoader(DaoRegistry daos, FhirContext fhirContext, ISearchParamRegistry searchParamRegistry) {
		this.daos = daos;
		this.fhirContext = fhirContext;
		this.searchParamRegistry = searchParamRegistry;
	}

	@Override
	public void run(ApplicationArguments arguments) throws IOException {
		for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath*:fhir/SearchParameter-*.json")) {
			try (InputStream in = file.getInputStream()) {
				SearchParameter parameter = fhirContext.newJsonParser()
						.parseResource(SearchParameter.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
				daos.getResourceDao("SearchParameter").update(parameter, new SystemRequestDetails());
			} catch (UncheckedIOException e) {
				throw new IOException("cannot read " + file, e);
			}
		}
		searchParamRegistry.forceRefresh();
	}
}
