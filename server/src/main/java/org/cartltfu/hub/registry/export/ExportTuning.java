package org.cartltfu.hub.registry.export;

import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import org.cartltfu.hub.registry.release.RegistryProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Makes HAPI's bulk export answer in seconds. HAPI advances a batch job to its next step on a maintenance pass that
 * runs once a minute, so a tiny export took minutes; the pass now runs every {@code maintenance-interval} (cheap
 * when idle: one query for active jobs). The export's storage settings are in {@code JpaServerConfig}.
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
        return bean;
    }
}
