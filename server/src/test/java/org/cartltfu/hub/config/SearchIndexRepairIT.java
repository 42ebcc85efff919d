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
 * Every resource a transaction writes is recorded for the search index in that transaction, and the record goes once
 * its document is written; a record left behind (the instance died before the document was written, or the cluster
 * refused it) brings the document back once due; a recorded resource that no longer exists leaves the index and the
 * record. Run on the local Lucene index, whose documents are the same as OpenSearch's; the cluster's own outage and
 * instances killed under load are exercised by ops/faults.sh.
 */
class SearchIndexRepairIT extends HubServerIT {

    @Autowired
    SearchIndexRepair repair;

    @Autowired
    SearchIndexOutbox outbox;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    IResourceTableDao resourceTables;

    @PersistenceContext
    EntityManager entityManager;

    @Test
    void aWriteIsRecordedUntilItsDocumentIsWrittenAndALostDocumentComesBack() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        repair.stop(); // its timer would delete the records before the test sees them
        try {
            String family = "Repairq"
                    + UUID.randomUUID().toString().replaceAll("[^a-z]", "").substring(0, 8);
            Patient patient =
                    Fixtures.patient(UUID.randomUUID().toString(), family, Fixtures.spokeOrganization(client));
            String id = client.create().resource(patient).execute().getId().getIdPart();
            assertEquals(1, found(family));
            long pid = new TransactionTemplate(transactionManager)
                    .execute(status -> resourceTables
                            .findByTypeAndFhirId("Patient", id)
                            .orElseThrow()
                            .getId())
                    .getId();
            assertEquals(1, records(jdbc, pid, "due_at > now()"), "recorded, due after the grace period");

            // What an instance dying after the commit leaves: the resource stored, its document never written, its
            // record due.
            new TransactionTemplate(transactionManager)
                    .executeWithoutResult(status -> Search.session(entityManager)
                            .indexingPlan()
                            .purge(ResourceTable.class, JpaPid.fromId(pid), null));
            assertEquals(0, found(family));
            jdbc.update("UPDATE hub_search_index_pending SET due_at = now() WHERE res_id = ?", pid);
            // A resource expunged since it was recorded.
            jdbc.update("INSERT INTO hub_search_index_pending (res_id, due_at) VALUES (?, now())", Long.MAX_VALUE - 7);
            assertTrue(repair.pending() >= 2);

            while (repair.repairBatch() > 0) {
                // until every due row (also any another test's run left) is done
            }
            assertEquals(0, repair.pending());
            assertEquals(1, found(family), "the full-text fields are derived again from the stored resource");
            assertEquals(0, records(jdbc, Long.MAX_VALUE - 7, "true"));

            // The re-indexing is itself recorded, and its record goes once the document is written.
            assertEquals(1, records(jdbc, pid, "true"));
            outbox.deleteIndexed();
            assertEquals(0, records(jdbc, pid, "true"));
        } finally {
            repair.start();
        }
    }

    private static int records(JdbcTemplate jdbc, long pid, String condition) {
        Integer count = jdbc.queryForObject(
                "SELECT count(*) FROM hub_search_index_pending WHERE res_id = ? AND " + condition, Integer.class, pid);
        return count == null ? 0 : count;
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
