package org.cartltfu.hub.registry.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cartltfu.hub.registry.views.ViewDefinition.Column;
import org.junit.jupiter.api.Test;

/** Definitions that cannot run are refused before any resource is read, with the element at fault named. */
class ViewDefinitionTest {

    private static final String VALID = """
			{"resourceType": "ViewDefinition", "name": "patient_names", "status": "draft", "resource": "Patient",
			 "constant": [{"name": "official", "valueCode": "official"}],
			 "where": [{"path": "active"}],
			 "select": [{"column": [{"name": "id", "path": "getResourceKey()", "type": "id"}],
			             "select": [{"forEach": "name", "column": [{"name": "family", "path": "family"}]}],
			             "unionAll": [{"column": [{"name": "tel", "path": "telecom.value", "collection": true}]},
			                          {"forEach": "contact", "column": [{"name": "tel", "path": "telecom.value",
			                                                            "collection": true}]}]},
			            {"column": [{"name": "gender", "path": "gender", "description": "administrative"}]}]}
			""";

    @Test
    void parsesTheSpecificationsElementsAndOrdersColumnsAsRowsAre() {
        ViewDefinition view = ViewCatalog.parse(VALID);
        assertThat(view.name()).isEqualTo("patient_names");
        assertThat(view.resource()).isEqualTo("Patient");
        assertThat(view.where()).containsExactly("active");
        assertThat(view.constants()).containsExactly(new ViewDefinition.Constant("official", "code", "official"));
        assertThat(view.columns()).extracting(Column::name).containsExactly("id", "family", "tel", "gender");
        assertThat(view.columns().get(2).collection()).isTrue();
        assertThat(view.columns().get(3).description()).isEqualTo("administrative");
        assertThat(new ViewRunner(Views.ENGINE, view).columns()).isEqualTo(view.columns());
    }

    @Test
    void refusesAViewWithoutResource() {
        refused(VALID.replace("\"resource\": \"Patient\",", ""), "ViewDefinition.resource is missing");
    }

    @Test
    void refusesAColumnNameDefinedTwiceAnywhereInTheView() {
        refused(
                VALID.replace("\"name\": \"gender\"", "\"name\": \"family\""),
                "ViewDefinition.select[1].column[0]: column 'family' is already defined");
    }

    @Test
    void refusesUnionAllBranchesWithDifferentColumns() {
        refused(
                VALID.replace(
                        "{\"name\": \"tel\", \"path\": \"telecom.value\",\n",
                        "{\"name\": \"phone\", \"path\": \"telecom.value\",\n"),
                "ViewDefinition.select[0].unionAll[1] has columns [phone], unionAll[0] has [tel]");
    }

    @Test
    void refusesMisspeltAndMisplacedElements() {
        refused(
                VALID.replace("\"forEach\": \"name\", \"column\"", "\"forEach\": \"name\", \"columns\""),
                "ViewDefinition.select[0].select[0] has an unknown element 'columns'");
        refused(
                VALID.replace("\"forEach\": \"name\",", "\"forEach\": \"name\", \"forEachOrNull\": \"name\","),
                "ViewDefinition.select[0].select[0] has both forEach and forEachOrNull");
        refused(
                VALID.replace("\"collection\": true}]},", "\"collection\": \"yes\"}]},"),
                "ViewDefinition.select[0].unionAll[0].column[0].collection must be true or false");
        refused(
                VALID.replace("\"resourceType\": \"ViewDefinition\"", "\"resourceType\": \"Library\""),
                "ViewDefinition.resourceType must be 'ViewDefinition'");
        refused(
                VALID.replace("\"status\": \"draft\"", "\"status\": \"final\""),
                "ViewDefinition.status must be one of");
        refused(
                VALID.replace(
                        "\"select\": [{\"column\": [{\"name\": \"id\"",
                        "\"select\": [{\"columns\": [{\"name\": \"id\""),
                "ViewDefinition.select[0] has an unknown element 'columns'");
        refused("""
				{"resourceType": "ViewDefinition", "status": "draft", "resource": "Patient", "select": []}
				""", "ViewDefinition.select needs at least one selection");
        refused("{\"resourceType\": \"ViewDefinition\",", "ViewDefinition is not valid JSON");
    }

    @Test
    void refusesNamesThatAreNotDatabaseNames() {
        refused(
                VALID.replace("\"patient_names\"", "\"patient-names\""),
                "ViewDefinition.name 'patient-names' must start");
        refused(
                VALID.replace("\"name\": \"gender\"", "\"name\": \"_gender\""),
                "ViewDefinition.select[1].column[0].name '_gender' must start");
    }

    @Test
    void refusesConstantsWithoutOneUsableValue() {
        refused(
                VALID.replace("\"valueCode\": \"official\"", "\"valueCode\": \"official\", \"valueString\": \"x\""),
                "ViewDefinition.constant[0] has more than one value[x]");
        refused(
                VALID.replace(", \"valueCode\": \"official\"", ""),
                "ViewDefinition.constant[0] ('official') has no value[x]");
        refused(
                VALID.replace("\"valueCode\": \"official\"", "\"valueCodeableConcept\": {\"text\": \"x\"}"),
                "ViewDefinition.constant[0] ('official'): valueCodeableConcept is not a primitive constant value");
    }

    @Test
    void refusesWhatOnlyTheEngineCanCheck() {
        assertThatThrownBy(() -> Views.runner(VALID.replace("\"resource\": \"Patient\"", "\"resource\": \"Patient2\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ViewDefinition.resource 'Patient2' is not an R4 resource type");
        assertThatThrownBy(() -> Views.runner(VALID.replace("\"path\": \"family\"", "\"path\": \"family.where(\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "ViewDefinition.select[0].select[0].column[0]: invalid FHIRPath 'family.where('");
        assertThatThrownBy(() ->
                        Views.runner(VALID.replace("\"valueCode\": \"official\"", "\"valueDate\": \"2024-13-45\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ViewDefinition.constant[0]: '2024-13-45' is not a valid date");
    }

    @Test
    void aViewNeedsNoNameAndKeepsItsColumnsInDeclaredOrder() {
        ViewDefinition view = ViewCatalog.parse("""
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "b", "path": "id"}, {"name": "a", "path": "gender"}]}]}
				""");
        assertThat(view.columns())
                .isEqualTo(List.of(
                        new Column("b", "id", null, false, null), new Column("a", "gender", null, false, null)));
        assertThat(view.name()).isNull();
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> ViewCatalog.parse(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
