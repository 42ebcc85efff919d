package org.cartltfu.hub.registry.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A SQL-on-FHIR v2 ViewDefinition: a tabular projection of one FHIR resource type, its columns and filters given as
 * FHIRPath. Parsed from the specification's JSON form and checked for the errors the specification names (column
 * names defined twice, unionAll branches with different columns) before anything runs.
 *
 * @param name database-friendly name of the view, or null
 * @param resource the FHIR resource type the view reads, e.g. {@code AdverseEvent}
 * @param constants values the paths refer to as {@code %name}
 * @param select the top-level selections, cross-joined
 * @param where FHIRPath filters that must all be true for a resource to produce rows
 */
public record ViewDefinition(
        String name,
        String title,
        String status,
        String resource,
        List<Constant> constants,
        List<Select> select,
        List<String> where) {

    /**
     * One output column.
     *
     * @param collection true: the column holds every value of the path, as a list; false: at most one value, more is
     *     an error
     * @param type the declared FHIR type (informative: values keep the type FHIRPath gives them), or null
     */
    public record Column(String name, String path, String description, boolean collection, String type) {}

    /**
     * A selection: its own columns, nested selections (cross-joined) and unionAll branches (concatenated), evaluated
     * once per resource, or once per item of {@code forEach} / {@code forEachOrNull}.
     */
    public record Select(
            List<Column> column, List<Select> select, String forEach, String forEachOrNull, List<Select> unionAll) {}

    /**
     * A constant as {@code %name}.
     *
     * @param type the FHIR primitive type of its value[x], e.g. {@code uri} for valueUri
     * @param value the value as text
     */
    public record Constant(String name, String type, String value) {}

    private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Set<String> STATUSES = Set.of("draft", "active", "retired", "unknown");
    // Metadata elements of the ViewDefinition that do not change the rows.
    private static final Set<String> METADATA = Set.of(
            "resourceType",
            "id",
            "meta",
            "extension",
            "modifierExtension",
            "text",
            "url",
            "identifier",
            "version",
            "experimental",
            "publisher",
            "contact",
            "description",
            "useContext",
            "copyright",
            "profile",
            "fhirVersion",
            "name",
            "title",
            "status",
            "resource",
            "constant",
            "select",
            "where");
    private static final Set<String> SELECT_ELEMENTS =
            Set.of("id", "extension", "column", "select", "forEach", "forEachOrNull", "unionAll");
    private static final Set<String> COLUMN_ELEMENTS =
            Set.of("id", "extension", "name", "path", "description", "collection", "type", "tag");
    private static final Set<String> WHERE_ELEMENTS = Set.of("id", "extension", "path", "description");
    private static final Set<String> CONSTANT_TYPES = Set.of(
            "base64Binary",
            "boolean",
            "canonical",
            "code",
            "date",
            "dateTime",
            "decimal",
            "id",
            "instant",
            "integer",
            "oid",
            "positiveInt",
            "string",
            "time",
            "unsignedInt",
            "uri",
            "url",
            "uuid");
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Every column of the view, in row order: a selection's columns, then its nested selections', then unionAll's. */
    public List<Column> columns() {
        List<Column> columns = new ArrayList<>();
        select.forEach(s -> addColumns(s, columns));
        return List.copyOf(columns);
    }

    private static void addColumns(Select select, List<Column> columns) {
        columns.addAll(select.column());
        select.select().forEach(s -> addColumns(s, columns));
        if (!select.unionAll().isEmpty()) {
            addColumns(select.unionAll().get(0), columns);
        }
    }

    /**
     * Parses and checks a ViewDefinition.
     *
     * @throws IllegalArgumentException naming the offending element when the JSON is not a valid ViewDefinition
     */
    static ViewDefinition parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ViewDefinition is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("ViewDefinition must be a JSON object");
        }
        if (!"ViewDefinition".equals(text(root, "resourceType", "ViewDefinition"))) {
            throw new IllegalArgumentException("ViewDefinition.resourceType must be 'ViewDefinition'");
        }
        onlyKnown(root, METADATA, "ViewDefinition");
        String name = text(root, "name", "ViewDefinition");
        if (name != null && !SQL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("ViewDefinition.name '" + name
                    + "' must start with a letter and hold only letters, digits and underscores");
        }
        String status = required(root, "status", "ViewDefinition");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException(
                    "ViewDefinition.status must be one of " + STATUSES + ", was '" + status + "'");
        }
        String resource = required(root, "resource", "ViewDefinition");
        List<Constant> constants = constants(root);
        List<Select> select = selects(root, "select", "ViewDefinition");
        if (select.isEmpty()) {
            throw new IllegalArgumentException("ViewDefinition.select needs at least one selection");
        }
        List<String> where = new ArrayList<>();
        List<JsonNode> whereNodes = array(root, "where", "ViewDefinition");
        for (int i = 0; i < whereNodes.size(); i++) {
            String element = "ViewDefinition.where[" + i + "]";
            onlyKnown(whereNodes.get(i), WHERE_ELEMENTS, element);
            where.add(required(whereNodes.get(i), "path", element));
        }
        ViewDefinition view = new ViewDefinition(
                name, text(root, "title", "ViewDefinition"), status, resource, constants, select, List.copyOf(where));
        checkColumns(view);
        return view;
    }

    private static List<Constant> constants(JsonNode root) {
        List<Constant> constants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<JsonNode> nodes = array(root, "constant", "ViewDefinition");
        for (int i = 0; i < nodes.size(); i++) {
            String element = "ViewDefinition.constant[" + i + "]";
            JsonNode node = nodes.get(i);
            String name = required(node, "name", element);
            if (!SQL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(element + ".name '" + name
                        + "' must start with a letter and hold only letters, digits and underscores");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(element + ": constant '" + name + "' is defined twice");
            }
            String type = null;
            JsonNode value = null;
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                if (key.startsWith("value") && key.length() > 5) {
                    if (value != null) {
                        throw new IllegalArgumentException(element + " has more than one value[x]");
                    }
                    type = Character.toLowerCase(key.charAt(5)) + key.substring(6);
                    value = field.getValue();
                } else if (!Set.of("id", "extension", "name").contains(key)) {
                    throw new IllegalArgumentException(element + " has an unknown element '" + key + "'");
                }
            }
            if (value == null) {
                throw new IllegalArgumentException(element + " ('" + name + "') has no value[x]");
            }
            if (!CONSTANT_TYPES.contains(type) || !value.isValueNode() || value.isNull()) {
                throw new IllegalArgumentException(
                        element + " ('" + name + "'): value" + key(type) + " is not a primitive constant value");
            }
            constants.add(new Constant(name, type, value.asText()));
        }
        return List.copyOf(constants);
    }

    private static String key(String type) {
        return Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }

    private static List<Select> selects(JsonNode parent, String field, String parentElement) {
        List<Select> selects = new ArrayList<>();
        List<JsonNode> nodes = array(parent, field, parentElement);
        for (int i = 0; i < nodes.size(); i++) {
            selects.add(select(nodes.get(i), parentElement + "." + field + "[" + i + "]"));
        }
        return List.copyOf(selects);
    }

    private static Select select(JsonNode node, String element) {
        onlyKnown(node, SELECT_ELEMENTS, element);
        List<Column> columns = new ArrayList<>();
        List<JsonNode> columnNodes = array(node, "column", element);
        for (int i = 0; i < columnNodes.size(); i++) {
            columns.add(column(columnNodes.get(i), element + ".column[" + i + "]"));
        }
        List<Select> nested = selects(node, "select", element);
        List<Select> unionAll = selects(node, "unionAll", element);
        String forEach = text(node, "forEach", element);
        String forEachOrNull = text(node, "forEachOrNull", element);
        if (forEach != null && forEachOrNull != null) {
            throw new IllegalArgumentException(element + " has both forEach and forEachOrNull");
        }
        if (columns.isEmpty() && nested.isEmpty() && unionAll.isEmpty()) {
            throw new IllegalArgumentException(element + " has no column, select or unionAll");
        }
        return new Select(List.copyOf(columns), nested, forEach, forEachOrNull, unionAll);
    }

    private static Column column(JsonNode node, String element) {
        onlyKnown(node, COLUMN_ELEMENTS, element);
        String name = required(node, "name", element);
        if (!SQL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(element + ".name '" + name
                    + "' must start with a letter and hold only letters, digits and underscores");
        }
        JsonNode collection = node.get("collection");
        if (collection != null && !collection.isBoolean()) {
            throw new IllegalArgumentException(element + ".collection must be true or false");
        }
        return new Column(
                name,
                required(node, "path", element),
                text(node, "description", element),
                collection != null && collection.booleanValue(),
                text(node, "type", element));
    }

    // The specification's ValidateColumns: names unique across the view, every unionAll branch with the same columns.
    private static void checkColumns(ViewDefinition view) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < view.select().size(); i++) {
            names = checkColumns(view.select().get(i), "ViewDefinition.select[" + i + "]", names);
        }
    }

    private static List<String> checkColumns(Select select, String element, List<String> before) {
        List<String> names = new ArrayList<>(before);
        for (int i = 0; i < select.column().size(); i++) {
            String name = select.column().get(i).name();
            if (names.contains(name)) {
                throw new IllegalArgumentException(
                        element + ".column[" + i + "]: column '" + name + "' is already defined");
            }
            names.add(name);
        }
        for (int i = 0; i < select.select().size(); i++) {
            names = checkColumns(select.select().get(i), element + ".select[" + i + "]", names);
        }
        List<String> first = null;
        for (int i = 0; i < select.unionAll().size(); i++) {
            List<String> branch = checkColumns(select.unionAll().get(i), element + ".unionAll[" + i + "]", names);
            if (first == null) {
                first = branch;
            } else if (!first.equals(branch)) {
                throw new IllegalArgumentException(element + ".unionAll[" + i + "] has columns "
                        + branch.subList(names.size(), branch.size()) + ", unionAll[0] has "
                        + first.subList(names.size(), first.size())
                        + ": every branch needs the same columns in the same order");
            }
        }
        return first == null ? names : first;
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String element) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(element + " must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(element + " has an unknown element '" + name + "'");
            }
        }
    }

    private static List<JsonNode> array(JsonNode parent, String field, String element) {
        JsonNode node = parent.get(field);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(element + "." + field + " must be an array");
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static String required(JsonNode node, String field, String element) {
        String value = text(node, field, element);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(element + "." + field + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field, String element) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(element + "." + field + " must be a string");
        }
        return value.textValue();
    }
}
