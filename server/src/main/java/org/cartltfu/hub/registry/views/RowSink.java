package org.cartltfu.hub.registry.views;

import java.io.IOException;
import java.util.List;

/** Receives a view's rows one at a time, so that an extract of any size streams. */
@FunctionalInterface
public interface RowSink {

    /**
     * @param values one value per column, in column order: null, String, Integer, BigDecimal or Boolean, or for a
     *     collection column a List of those
     */
    void accept(List<Object> values) throws IOException;
}
