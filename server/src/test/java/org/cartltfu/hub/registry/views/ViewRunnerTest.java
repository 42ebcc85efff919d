package org.cartltfu.hub.registry.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cartltfu.hub.registry.views.Views.parse;
import static org.cartltfu.hub.registry.views.Views.row;
import static org.cartltfu.hub.registry.views.Views.run;

import java.math.BigDecimal;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** The SQL-on-FHIR v2 behaviours, over small resources whose rows can be read off by eye. */
class ViewRunnerTest {

    private static final Resource TWO_NAMES = parse("""
			{"resourceType": "Patient", "id": "p1", "active": true, "gender": "female", "birthDate": "1970-05-14",
			 "name": [{"family": "Tran", "given": ["Thi", "Mai"]}, {"family": "Nguyen", "given": ["Mai"]}],
			 "telecom": [{"system": "phone", "value": "+84 1"}, {"system": "email", "value": "m@example.org"}],
			 "contact": [{"telecom": [{"system": "phone", "value": "+84 2"}]}],
			 "multipleBirthInteger": 2,
			 "managingOrganization": {"reference": "Organization/o1"}}
			""");
    private static final Resource NO_NAME = parse("""
			{"resourceType": "Patient", "id": "p2", "active": false}
			""");
    private static final Resource NO_ACTIVE = parse("""
			{"resourceType": "Patient", "id": "p3", "name": [{"family": "Le"}]}
			""");

    @Test
    void whereKeepsOnlyResourcesForWhichEveryFilterIsTrue() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "where": [{"path": "active"}, {"path": "name.exists()"}],
				 "select": [{"column": [{"name": "id", "path": "id"}]}]}
				""";
        assertThat(run(view, TWO_NAMES, NO_NAME, NO_ACTIVE)).containsExactly(row("p1"));

        String oneFilter = view.replace("{\"path\": \"active\"}, ", "");
        assertThat(run(oneFilter, TWO_NAMES, NO_NAME, NO_ACTIVE)).containsExactly(row("p1"), row("p3"));
    }

    @Test
    void whereThatIsNotABooleanIsAnError() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "where": [{"path": "name.family"}],
				 "select": [{"column": [{"name": "id", "path": "id"}]}]}
				""";
        assertThatThrownBy(() -> run(view, NO_ACTIVE))
                .isInstanceOf(ViewEvaluationException.class)
                .hasMessageContaining("Patient/p3")
                .hasMessageContaining("where[0] 'name.family'")
                .hasMessageContaining("not a boolean");
    }

    @Test
    void resourcesOfAnotherTypeGiveNoRows() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Observation",
				 "select": [{"column": [{"name": "id", "path": "id"}]}]}
				""";
        assertThat(run(view, TWO_NAMES)).isEmpty();
    }

    @Test
    void forEachGivesARowPerItemAndNoneWithoutItems() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "id", "path": "id"}]},
				            {"forEach": "name", "column": [{"name": "family", "path": "family"}]}]}
				""";
        assertThat(run(view, TWO_NAMES, NO_NAME)).containsExactly(row("p1", "Tran"), row("p1", "Nguyen"));
    }

    @Test
    void forEachOrNullKeepsAResourceWithoutItemsAsOneRowOfNulls() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "id", "path": "id"}]},
				            {"forEachOrNull": "name", "column": [{"name": "family", "path": "family"}]}]}
				""";
        assertThat(run(view, TWO_NAMES, NO_NAME))
                .containsExactly(row("p1", "Tran"), row("p1", "Nguyen"), row("p2", null));
    }

    @Test
    void nestedSelectionsAreCrossJoined() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "id", "path": "id"}],
				             "select": [{"forEach": "name", "column": [{"name": "family", "path": "family"}],
				                         "select": [{"forEach": "given", "column": [{"name": "given", "path": "$this"}]}]},
				                        {"forEach": "telecom", "column": [{"name": "telecom", "path": "system"}]}]}]}
				""";
        assertThat(run(view, TWO_NAMES))
                .containsExactly(
                        row("p1", "Tran", "Thi", "phone"), row("p1", "Tran", "Thi", "email"),
                        row("p1", "Tran", "Mai", "phone"), row("p1", "Tran", "Mai", "email"),
                        row("p1", "Nguyen", "Mai", "phone"), row("p1", "Nguyen", "Mai", "email"));
        assertThat(run(view, NO_NAME))
                .as("a forEach without items empties the cross join")
                .isEmpty();
    }

    @Test
    void unionAllConcatenatesItsBranchesInOrder() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "id", "path": "id"}],
				             "unionAll": [{"forEach": "telecom", "column": [{"name": "tel", "path": "value"},
				                                                          {"name": "own", "path": "true"}]},
				                          {"forEach": "contact.telecom", "column": [{"name": "tel", "path": "value"},
				                                                                  {"name": "own", "path": "false"}]}]}]}
				""";
        assertThat(run(view, TWO_NAMES, NO_NAME))
                .containsExactly(row("p1", "+84 1", true), row("p1", "m@example.org", true), row("p1", "+84 2", false));
    }

    @Test
    void constantsAreReadAsPercentName() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "constant": [{"name": "family", "valueString": "Nguyen"}, {"name": "year", "valueInteger": 1970},
				              {"name": "born", "valueDate": "1970-05-14"}],
				 "select": [{"column": [{"name": "id", "path": "id"},
				                        {"name": "matches", "path": "name.where(family = %family).exists()"},
				                        {"name": "next_year", "path": "%year + 1"},
				                        {"name": "born_then", "path": "birthDate = %born"}]}]}
				""";
        assertThat(run(view, TWO_NAMES)).containsExactly(row("p1", true, 1971, true));
        assertThat(run(view, NO_ACTIVE)).containsExactly(row("p3", false, 1971, null));
    }

    @Test
    void anUndeclaredConstantIsAnError() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "id", "path": "%nowhere"}]}]}
				""";
        assertThatThrownBy(() -> run(view, NO_NAME))
                .isInstanceOf(ViewEvaluationException.class)
                .hasMessageContaining("column 'id'")
                .hasMessageContaining("nowhere");
    }

    @Test
    void collectionColumnsHoldEveryValueAndSingleColumnsAtMostOne() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "id", "path": "id"},
				                        {"name": "given", "path": "name.given", "collection": true},
				                        {"name": "first_family", "path": "name.first().family", "collection": false}]}]}
				""";
        assertThat(run(view, TWO_NAMES, NO_NAME))
                .containsExactly(row("p1", List.of("Thi", "Mai", "Mai"), "Tran"), row("p2", List.of(), null));

        String single = view.replace("\"collection\": true", "\"collection\": false");
        assertThatThrownBy(() -> run(single, TWO_NAMES))
                .isInstanceOf(ViewEvaluationException.class)
                .hasMessageContaining("Patient/p1")
                .hasMessageContaining("column 'given'")
                .hasMessageContaining("3 values");
    }

    @Test
    void primitivesKeepTheirJsonTypeAndDatesTheirText() {
        Resource observation = parse("""
				{"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "x"},
				 "effectiveDateTime": "2024-03-05T02:00:00+08:00", "issued": "2024-03-05T03:00:00.000+08:00",
				 "valueQuantity": {"value": 5.0, "unit": "g/L"}}
				""");
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Observation",
				 "select": [{"column": [{"name": "value", "path": "value.ofType(Quantity).value"},
				                        {"name": "effective", "path": "effective.ofType(dateTime)"},
				                        {"name": "issued", "path": "issued"},
				                        {"name": "final", "path": "status = 'final'"},
				                        {"name": "count", "path": "code.text.length()"}]}]}
				""";
        assertThat(run(view, observation))
                .containsExactly(row(
                        new BigDecimal("5.0"), "2024-03-05T02:00:00+08:00", "2024-03-05T03:00:00.000+08:00", true, 1));
    }

    @Test
    void aColumnThatGivesAnElementNotAPrimitiveIsAnError() {
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [{"name": "name", "path": "name.first()"}]}]}
				""";
        assertThatThrownBy(() -> run(view, TWO_NAMES))
                .isInstanceOf(ViewEvaluationException.class)
                .hasMessageContaining("column 'name'")
                .hasMessageContaining("HumanName");
    }

    @Test
    void resourceKeyIsTheIdPartAndReferenceKeyTheIdPartOfLiteralReferences() {
        Resource observation = parse("""
				{"resourceType": "Observation", "id": "o1", "meta": {"versionId": "3"}, "status": "final",
				 "code": {"text": "x"},
				 "subject": {"reference": "https://hub.example.org/fhir/Patient/p1/_history/2"},
				 "performer": [{"reference": "Practitioner/pr1"}, {"reference": "Organization/o9"},
				               {"reference": "urn:uuid:5a493a79-1600-53f2-bb82-460810dcce96"},
				               {"reference": "#contained"}, {"display": "no reference"}]}
				""");
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Observation",
				 "select": [{"column": [
				   {"name": "id", "path": "getResourceKey()"},
				   {"name": "patient", "path": "subject.getReferenceKey(Patient)"},
				   {"name": "not_a_group", "path": "subject.getReferenceKey(Group)"},
				   {"name": "organization", "path": "performer.getReferenceKey(Organization)"},
				   {"name": "any", "path": "performer.getReferenceKey()", "collection": true},
				   {"name": "joins", "path": "subject.getReferenceKey(Patient) = getResourceKey()"}]}]}
				""";
        assertThat(run(view, observation)).containsExactly(row("o1", "p1", null, "o9", List.of("pr1", "o9"), false));
    }

    @Test
    void aValuelessDateThatOnlyCarriesAnExtensionCanBeRead() {
        // What a day-offset registry extract holds: "_birthDate" without "birthDate".
        Resource masked = parse("""
				{"resourceType": "Patient", "id": "p4",
				 "_birthDate": {"extension": [{"url": "https://cart-ltfu.org/fhir/StructureDefinition/study-day",
				                               "valueInteger": -20000}]}}
				""");
        String view = """
				{"resourceType": "ViewDefinition", "status": "active", "resource": "Patient",
				 "select": [{"column": [
				   {"name": "birth", "path": "birthDate"},
				   {"name": "birth_day",
				    "path": "birthDate.extension('https://cart-ltfu.org/fhir/StructureDefinition/study-day').value"}]}]}
				""";
        assertThat(run(view, masked)).containsExactly(row(null, -20000));
        assertThat(run(view, TWO_NAMES)).containsExactly(row("1970-05-14", null));
    }
}
