package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.jpa.dao.data.IResourceTableDao;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.UUID;
import javax.sql.DataSource;
import org.cartltfu.hub.Fixtures;
import org.cartltfu.hub.HubServerIT;
import org.hibernate.search.mapper.orm.Search;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A document the search index lost (the cluster was away when it was written) comes back once it is recorded for
 * repair; a recorded resource that no longer exists leaves the index and the record. Run on the local Lucene index,
 * whose documents are the same as OpenSearch's; the cluster's own outage is exercised by ops/faults.sh.
 */
class SearchIndexRepairIT extends HubServerIT {

    @Autowired
    SearchIndexRepair repair;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    IResourceTableDao resourceTables;

    @PersistenceContext
    EntityManager entityManager;

    @Test
    void aLostDocumentIsWrittenAgainFromTheStoredResource() {
        String family = "Repairq"
                + UUID.randomUUID().toString().replaceAll("[^a-z]", "").substring(0, 8);
        Patient patient = Fixtures.patient(UUID.randomUUID().toString(), family, Fixtures.spokeOrganization(client));
        String id = client.create().resource(patient).execute().getId().getIdPart();
        assertEquals(1, found(family));

        JpaPid pid = new TransactionTemplate(transactionManager)
                .execute(status -> resourceTables
                        .findByTypeAndFhirId("Patient", id)
                        .orElseThrow()
                        .getId());
        // What an outage leaves: the resource stored, its document not in the index.
        new TransactionTemplate(transactionManager)
                .executeWithoutResult(
                        status -> Search.session(entityManager).indexingPlan().purge(ResourceTable.class, pid, null));
        assertEquals(0, found(family));

        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update(
                "INSERT INTO hub_search_index_repair (entity, entity_id) VALUES (?, ?)",
                SearchIndexRepair.RESOURCE_TABLE,
                pid.getId());
        // A resource expunged since it was recorded.
        jdbc.update(
                "INSERT INTO hub_search_index_repair (entity, entity_id) VALUES (?, ?)",
                SearchIndexRepair.RESOURCE_TABLE,
                Long.MAX_VALUE - 7);
        assertTrue(repair.pending() >= 2);

        while (repair.repairBatch() > 0) {
            // until every recorded row (also any another test's run left) is done
        }
        assertEquals(0, repair.pending());
        assertEquals(1, found(family), "the full-text fields are derived again from the stored resource");
    }

    private int found(String family) {
        return client.search()
                .forResource(Patient.class)
                .where(new StringClientParam("_content").matches().value(family))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .size();
    }
}
