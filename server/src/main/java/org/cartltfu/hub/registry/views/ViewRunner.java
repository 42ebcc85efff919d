package org.cartltfu.hub.registry.views;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cartltfu.hub.registry.views.ViewDefinition.Column;
import org.cartltfu.hub.registry.views.ViewDefinition.Constant;
import org.cartltfu.hub.registry.views.ViewDefinition.Select;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Runs one ViewDefinition over R4 resources, as the SQL-on-FHIR v2 specification's processing algorithm does:
 * resources of other types and those failing a {@code where} produce no rows; a selection's columns, nested selections
 * and unionAll (branches concatenated) are cross-joined, once per resource or once per item of {@code forEach}
 * ({@code forEachOrNull} gives one row of empty values when there are no items).
 *
 * <p>Every path is parsed once, here, not per resource. A runner is immutable: share it between threads.
 */
public final class ViewRunner {

    private record CompiledColumn(Column column, ExpressionNode path) {}

    private record CompiledSelect(
            List<CompiledColumn> columns,
            List<CompiledSelect> select,
            ExpressionNode forEach,
            boolean orNull,
            List<CompiledSelect> unionAll) {}

    private static final List<Object[]> ONE_EMPTY_ROW = List.<Object[]>of(new Object[0]);

    private final ViewEngine engine;
    private final ViewDefinition view;
    private final List<Column> columns;
    private final Map<String, Base> constants = new HashMap<>();
    private final List<ExpressionNode> where = new ArrayList<>();
    private final CompiledSelect root;

    /** @throws IllegalArgumentException naming the element when the resource type is unknown or a path is invalid */
    public ViewRunner(ViewEngine engine, ViewDefinition view) {
        this.engine = engine;
        this.view = view;
        this.columns = view.columns();
        if (!engine.isResourceType(view.resource())) {
            throw new IllegalArgumentException(
                    "ViewDefinition.resource '" + view.resource() + "' is not an R4 resource type");
        }
        for (int i = 0; i < view.constants().size(); i++) {
            Constant constant = view.constants().get(i);
            constants.put(
                    constant.name(),
                    engine.primitive(constant.type(), constant.value(), "ViewDefinition.constant[" + i + "]"));
        }
        for (int i = 0; i < view.where().size(); i++) {
            where.add(engine.parse(view.where().get(i), "ViewDefinition.where[" + i + "]"));
        }
        List<CompiledSelect> top = new ArrayList<>();
        for (int i = 0; i < view.select().size(); i++) {
            top.add(compile(view.select().get(i), "ViewDefinition.select[" + i + "]"));
        }
        root = new CompiledSelect(List.of(), List.copyOf(top), null, false, List.of());
    }

    private CompiledSelect compile(Select select, String element) {
        List<CompiledColumn> columns = new ArrayList<>();
        for (int i = 0; i < select.column().size(); i++) {
            Column column = select.column().get(i);
            columns.add(new CompiledColumn(column, engine.parse(column.path(), element + ".column[" + i + "]")));
        }
        List<CompiledSelect> nested = new ArrayList<>();
        for (int i = 0; i < select.select().size(); i++) {
            nested.add(compile(select.select().get(i), element + ".select[" + i + "]"));
        }
        List<CompiledSelect> unionAll = new ArrayList<>();
        for (int i = 0; i < select.unionAll().size(); i++) {
            unionAll.add(compile(select.unionAll().get(i), element + ".unionAll[" + i + "]"));
        }
        ExpressionNode forEach = null;
        if (select.forEach() != null) {
            forEach = engine.parse(select.forEach(), element + ".forEach");
        } else if (select.forEachOrNull() != null) {
            forEach = engine.parse(select.forEachOrNull(), element + ".forEachOrNull");
        }
        return new CompiledSelect(
                List.copyOf(columns),
                List.copyOf(nested),
                forEach,
                select.forEachOrNull() != null,
                List.copyOf(unionAll));
    }

    /** The columns of every row, in order. */
    public List<Column> columns() {
        return columns;
    }

    /**
     * Runs the view over each resource in turn and hands each row to the sink as soon as it is made.
     *
     * @return the number of rows
     * @throws ViewEvaluationException when a path fails on a resource or a column gets more than one value
     */
    public long run(Iterable<? extends Resource> resources, RowSink sink) throws IOException {
        long count = 0;
        for (Resource resource : resources) {
            for (List<Object> row : rows(resource)) {
                sink.accept(row);
                count++;
            }
        }
        return count;
    }

    /** The rows of one resource: none if it is of another type or fails a {@code where}. */
    public List<List<Object>> rows(Resource resource) {
        if (!view.resource().equals(resource.fhirType()) || !included(resource)) {
            return List.of();
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Object[] row : rows(root, resource, resource)) {
            rows.add(Collections.unmodifiableList(Arrays.asList(row)));
        }
        return rows;
    }

    private boolean included(Resource resource) {
        for (int i = 0; i < where.size(); i++) {
            List<Base> result = evaluate(where.get(i), resource, resource, "where[" + i + "]");
            if (result.isEmpty()) {
                return false;
            }
            if (result.size() > 1 || !(result.get(0) instanceof BooleanType test)) {
                throw new ViewEvaluationException(
                        context(resource, "where[" + i + "] '" + view.where().get(i) + "'") + " gave "
                                + describe(result) + ", not a boolean");
            }
            if (!Boolean.TRUE.equals(test.getValue())) {
                return false;
            }
        }
        return true;
    }

    private List<Object[]> rows(CompiledSelect select, Resource resource, Base node) {
        List<Base> foci;
        if (select.forEach() == null) {
            foci = Collections.singletonList(node);
        } else {
            foci = evaluate(select.forEach(), resource, node, "forEach");
            if (foci.isEmpty() && select.orNull()) {
                foci = Collections.singletonList(null);
            }
        }
        List<Object[]> rows = new ArrayList<>();
        for (Base focus : foci) {
            List<Object[]> product = ONE_EMPTY_ROW;
            if (!select.columns().isEmpty()) {
                product = cross(product, List.<Object[]>of(columnValues(select.columns(), resource, focus)));
            }
            for (CompiledSelect nested : select.select()) {
                product = cross(product, rows(nested, resource, focus));
            }
            if (!select.unionAll().isEmpty()) {
                List<Object[]> union = new ArrayList<>();
                for (CompiledSelect branch : select.unionAll()) {
                    union.addAll(rows(branch, resource, focus));
                }
                product = cross(product, union);
            }
            rows.addAll(product);
        }
        return rows;
    }

    private static List<Object[]> cross(List<Object[]> left, List<Object[]> right) {
        List<Object[]> rows = new ArrayList<>(left.size() * right.size());
        for (Object[] l : left) {
            for (Object[] r : right) {
                Object[] row = Arrays.copyOf(l, l.length + r.length);
                System.arraycopy(r, 0, row, l.length, r.length);
                rows.add(row);
            }
        }
        return rows;
    }

    private Object[] columnValues(List<CompiledColumn> columns, Resource resource, Base focus) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            CompiledColumn compiled = columns.get(i);
            Column column = compiled.column();
            List<Base> result = evaluate(compiled.path(), resource, focus, "column '" + column.name() + "'");
            if (column.collection()) {
                List<Object> items = new ArrayList<>(result.size());
                for (Base item : result) {
                    Object value = value(item, resource, column);
                    if (value != null) {
                        items.add(value);
                    }
                }
                values[i] = Collections.unmodifiableList(items);
            } else if (result.size() > 1) {
                throw new ViewEvaluationException(
                        context(resource, "column '" + column.name() + "'") + ": path '" + column.path() + "' gave "
                                + result.size() + " values; a column without collection: true holds one");
            } else {
                values[i] = result.isEmpty() ? null : value(result.get(0), resource, column);
            }
        }
        return values;
    }

    // A primitive without a value (a de-identified date that only carries an extension) is an empty value. An empty
    // string FHIRPath made (join() of nothing) is a value: HAPI's hasValue() calls it blank, the specification "".
    private Object value(Base item, Resource resource, Column column) {
        if (!(item instanceof PrimitiveType<?> primitive)) {
            throw new ViewEvaluationException(context(resource, "column '" + column.name() + "'") + ": path '"
                    + column.path() + "' gave a " + item.fhirType() + "; columns hold primitive values");
        }
        if (!primitive.hasValue()) {
            return primitive instanceof StringType && "".equals(primitive.getValueAsString()) ? "" : null;
        }
        if (primitive instanceof BooleanType || primitive instanceof IntegerType || primitive instanceof DecimalType) {
            return primitive.getValue();
        }
        // Dates, times and instants keep the text they were written with (precision and offset included).
        return primitive.getValueAsString();
    }

    private List<Base> evaluate(ExpressionNode path, Resource resource, Base focus, String what) {
        if (focus == null) {
            return List.of();
        }
        try {
            return engine.evaluate(path, resource, focus, constants);
        } catch (FHIRException e) {
            throw new ViewEvaluationException(context(resource, what) + ": " + e.getMessage(), e);
        }
    }

    private String context(Resource resource, String what) {
        String id =
                resource.getIdElement().hasIdPart() ? resource.getIdElement().getIdPart() : "(no id)";
        return "view " + (view.name() == null ? "(unnamed)" : "'" + view.name() + "'") + ", " + resource.fhirType()
                + "/" + id + ", " + what;
    }

    private static String describe(List<Base> values) {
        return values.size() == 1 ? "a " + values.get(0).fhirType() : values.size() + " values";
    }
}
