package org.cartltfu.hub.registry.export;

import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import org.cartltfu.hub.registry.release.RegistryProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Makes HAPI's bulk export answer in seconds. HAPI advances a batch job to its next step on a maintenance pass that
 * runs once a minute, so a tiny export took minutes; the pass now runs every {@code maintenance-interval} (cheap
 * when idle: one query for active jobs). Fast-tracking lets single-chunk steps move on at once. Each kick-off is a new
 * job: reusing an earlier identical job would hand out files made under consents that may since have changed.
 */
public class ExportTuning implements BeanPostProcessor {

    private final RegistryProperties.Export export;

    public ExportTuning(RegistryProperties.Export export) {
        this.export = export;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof JobMaintenanceServiceImpl maintenance) {
            maintenance.setScheduledJobFrequencyMillis(
                    export.maintenanceInterval().toMillis());
        }
        if (bean instanceof JpaStorageSettings settings) {
            settings.setJobFastTrackingEnabled(true);
            settings.setEnableBulkExportJobReuse(false);
            settings.setBulkExportFileMaximumCapacity(export.fileMaxResources());
        }
        return bean;
    }
}
