package org.cartltfu.hub.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of {@code $import} (prefix {@code hub.intake}); every default lives in {@code application.yaml}.
 *
 * @param importMaxResources resources one import may hold (one transaction: all or nothing)
 * @param importsAtOnce imports the hub runs at the same time; one more is answered 429 with Retry-After
 * @param importResultsKept how long the outcome of an import can be polled after it ended
 */
@ConfigurationProperties("hub.intake")
public record IntakeProperties(int importMaxResources, int importsAtOnce, Duration importResultsKept) {}
