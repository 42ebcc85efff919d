package org.cartltfu.hub.conformance;

import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.cartltfu.ig.CarTIg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;

/**
 * Installs our FHIR package (profiles, terminology, search parameters) into the server's own storage at start, from
 * the profiles jar, with no network: HAPI's package installer stores the conformance resources, so that validation,
 * {@code $lookup}, {@code $expand}, {@code $validate-code} and {@code $translate} answer from them.
 */
public class ImplementationGuideInstaller {

    private static final Logger log = LoggerFactory.getLogger(ImplementationGuideInstaller.class);

    private final IPackageInstallerSvc packageInstaller;
    private final ISearchParamRegistry searchParamRegistry;

    public ImplementationGuideInstaller(
            IPackageInstallerSvc packageInstaller, ISearchParamRegistry searchParamRegistry) {
        this.packageInstaller = packageInstaller;
        this.searchParamRegistry = searchParamRegistry;
    }

    public void install() {
        PackageInstallationSpec spec = new PackageInstallationSpec()
                .setName(CarTIg.PACKAGE_ID)
                .setVersion(CarTIg.PACKAGE_VERSION)
                .setPackageContents(packageBytes())
                .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
                // hl7.fhir.r4.core is built into HAPI; nothing else may be fetched.
                .setFetchDependencies(false);
        spec.setReloadExisting(true);
        PackageInstallOutcomeJson outcome = packageInstaller.install(spec);
        // The package's SearchParameters must work from the first request, not after the next periodic refresh.
        searchParamRegistry.forceRefresh();
        log.info("Installed {}#{}: {}", CarTIg.PACKAGE_ID, CarTIg.PACKAGE_VERSION, outcome.getResourcesInstalled());
    }

    private static byte[] packageBytes() {
        try (InputStream in = new ClassPathResource(CarTIg.PACKAGE_CLASSPATH).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "The FHIR package " + CarTIg.PACKAGE_CLASSPATH + " is not on the classpath", e);
        }
    }
}
