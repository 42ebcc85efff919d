package org.cartltfu.hub.intake;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

/**
 * The codes a coded column takes, read from the IG's CodeSystems (the one place they are written). A person may type
 * the code or its name in any of the CodeSystem's languages ("complete-response", "Complete response", "完全缓解"),
 * in any case: the cell's meaning is the code.
 */
final class Vocabulary {

    private final Function<String, CodeSystem> codeSystems;

    Vocabulary(Function<String, CodeSystem> codeSystems) {
        this.codeSystems = codeSystems;
    }

    Optional<String> code(String system, String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return concepts(system).stream()
                .filter(concept -> names(concept).stream()
                        .anyMatch(name -> name.toLowerCase(Locale.ROOT).equals(wanted)))
                .map(ConceptDefinitionComponent::getCode)
                .findFirst();
    }

    List<String> codes(String system) {
        return concepts(system).stream()
                .map(ConceptDefinitionComponent::getCode)
                .toList();
    }

    /** The code's name in a language (its designation), else its display. */
    String display(String system, String code, String language) {
        return concepts(system).stream()
                .filter(concept -> concept.getCode().equals(code))
                .findFirst()
                .map(concept -> concept.getDesignation().stream()
                        .filter(designation -> language.equals(designation.getLanguage()))
                        .map(CodeSystem.ConceptDefinitionDesignationComponent::getValue)
                        .findFirst()
                        .orElse(concept.getDisplay()))
                .orElse(code);
    }

    private static List<String> names(ConceptDefinitionComponent concept) {
        List<String> names = new java.util.ArrayList<>();
        names.add(concept.getCode());
        if (concept.hasDisplay()) {
            names.add(concept.getDisplay());
        }
        concept.getDesignation().forEach(designation -> names.add(designation.getValue()));
        return names;
    }

    private List<ConceptDefinitionComponent> concepts(String system) {
        CodeSystem codeSystem = codeSystems.apply(system);
        if (codeSystem == null) {
            throw new IllegalStateException("CodeSystem " + system + " is not installed");
        }
        List<ConceptDefinitionComponent> all = new java.util.ArrayList<>();
        collect(codeSystem.getConcept(), all);
        return all;
    }

    private static void collect(List<ConceptDefinitionComponent> concepts, List<ConceptDefinitionComponent> into) {
        for (ConceptDefinitionComponent concept : concepts) {
            into.add(concept);
            collect(concept.getConcept(), into);
        }
    }
}
