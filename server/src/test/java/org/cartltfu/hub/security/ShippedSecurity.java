package org.cartltfu.hub.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** {@code hub.security} as shipped (application.yaml), bound as Spring binds it, with some settings changed. */
public final class ShippedSecurity {

    private ShippedSecurity() {}

    public static SecurityProperties properties() {
        return properties(Map.of());
    }

    /** @param overrides settings by their full name ({@code hub.security.token.public-url}) */
    public static SecurityProperties properties(Map<String, Object> overrides) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", overrides));
        try {
            new YamlPropertySourceLoader()
                    .load("application", new ClassPathResource("application.yaml"))
                    .forEach(environment.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Binder(ConfigurationPropertySources.get(environment))
                .bind("hub.security", SecurityProperties.class)
                .get();
    }
}
