package org.cartltfu.hub.registry.views;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The view definitions the hub ships for registry extracts ({@code registry/views/<name>.json} on the classpath,
 * looked up by their {@code name}), and the parsing of views a caller supplies.
 */
public final class ViewCatalog {

    private static final String LOCATION = "classpath*:registry/views/*.json";

    private final Map<String, ViewDefinition> views;

    private ViewCatalog(Map<String, ViewDefinition> views) {
        this.views = Collections.unmodifiableMap(views);
    }

    /**
     * Loads and checks every shipped view.
     *
     * @throws IllegalStateException when a shipped file is not a valid ViewDefinition, or its name is not its file name
     */
    public static ViewCatalog shipped() {
        Map<String, ViewDefinition> views = new TreeMap<>();
        try {
            for (Resource file : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                ViewDefinition view;
                try (InputStream in = file.getInputStream()) {
                    view = ViewDefinition.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("shipped view " + file.getFilename() + ": " + e.getMessage(), e);
                }
                if (!(view.name() + ".json").equals(file.getFilename())) {
                    throw new IllegalStateException("shipped view " + file.getFilename() + " is named '" + view.name()
                            + "': the file name must be the view's name");
                }
                views.put(view.name(), view);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ViewCatalog(views);
    }

    public Set<String> names() {
        return views.keySet();
    }

    public Optional<ViewDefinition> named(String name) {
        return Optional.ofNullable(views.get(name));
    }

    /**
     * A ViewDefinition sent by a caller.
     *
     * @throws IllegalArgumentException naming the offending element when it is not a valid ViewDefinition
     */
    public static ViewDefinition parse(String json) {
        return ViewDefinition.parse(json);
    }
}
