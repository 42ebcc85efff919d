package org.cartltfu.hub.config;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParamModifier;
import ca.uhn.fhir.rest.param.UriParamQualifierEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * HAPI ignores a search modifier it does not know ({@code birthdate:badmodifier=…} answers every Patient): a client
 * with a typo gets a wrong answer instead of an error. Refuse, with 400 naming the parameter and the modifiers its
 * type allows (FHIR R4 search, and HAPI's own {@link TokenParamModifier} / {@link UriParamQualifierEnum}).
 */
@Interceptor
public class SearchModifierCheck {

    private static final String MISSING = Constants.PARAMQUALIFIER_MISSING.substring(1);
    private static final Set<String> STRING = Set.of(
            MISSING,
            bare(Constants.PARAMQUALIFIER_STRING_EXACT),
            bare(Constants.PARAMQUALIFIER_STRING_CONTAINS),
            bare(Constants.PARAMQUALIFIER_STRING_TEXT));
    private static final Set<String> TOKEN = Arrays.stream(TokenParamModifier.values())
            .map(TokenParamModifier::getBareModifier)
            .collect(Collectors.collectingAndThen(Collectors.toSet(), set -> {
                set.add(MISSING);
                return Set.copyOf(set);
            }));
    private static final Set<String> URI = Arrays.stream(UriParamQualifierEnum.values())
            .map(qualifier -> bare(qualifier.getValue()))
            .collect(Collectors.collectingAndThen(Collectors.toSet(), set -> {
                set.add(MISSING);
                return Set.copyOf(set);
            }));
    private static final Set<String> REFERENCE = Set.of(
            MISSING,
            bare(Constants.PARAMQUALIFIER_TOKEN_IDENTIFIER),
            bare(Constants.PARAMQUALIFIER_TOKEN_ABOVE),
            bare(Constants.PARAMQUALIFIER_TOKEN_BELOW));

    private final FhirContext fhirContext;
    private final ISearchParamRegistry registry;

    public SearchModifierCheck(FhirContext fhirContext, ISearchParamRegistry registry) {
        this.fhirContext = fhirContext;
        this.registry = registry;
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = HookOrder.SEARCH_MODIFIER_CHECK)
    public void check(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.SEARCH_TYPE || request.getResourceName() == null) {
            return;
        }
        for (String name : request.getParameters().keySet()) {
            int colon = name.indexOf(':');
            if (colon < 0 || name.startsWith(Constants.PARAM_HAS)) {
                continue;
            }
            String base = name.substring(0, colon);
            String modifier = name.substring(colon + 1);
            RuntimeSearchParam parameter = registry.getActiveSearchParam(
                    request.getResourceName(), base, ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
            if (parameter == null) {
                // Result parameters (_include:iterate, …) and unknown names, which HAPI refuses itself.
                continue;
            }
            List<String> allowed = allowed(parameter);
            // A reference may be narrowed to a type and chained on: subject:Patient.name=…
            String head = modifier.contains(".") ? modifier.substring(0, modifier.indexOf('.')) : modifier;
            boolean typed = parameter.getParamType() == RestSearchParameterTypeEnum.REFERENCE
                    && fhirContext.getResourceTypes().contains(head);
            if (!typed && !allowed.contains(modifier)) {
                throw new InvalidRequestException("Unknown modifier \":" + modifier + "\" of search parameter \"" + base
                        + "\" (" + parameter.getParamType().getCode() + ") in \"" + name + "\"; allowed: "
                        + (allowed.isEmpty()
                                ? "none"
                                : allowed.stream().map(m -> ":" + m).collect(Collectors.joining(", ")))
                        + (parameter.getParamType() == RestSearchParameterTypeEnum.REFERENCE
                                ? ", or a resource type (:Patient)"
                                : ""));
            }
        }
    }

    private static List<String> allowed(RuntimeSearchParam parameter) {
        Set<String> modifiers = switch (parameter.getParamType()) {
            case STRING -> STRING;
            case TOKEN -> TOKEN;
            case URI -> URI;
            case REFERENCE -> REFERENCE;
            case NUMBER, DATE, QUANTITY, COMPOSITE, SPECIAL -> Set.of(MISSING);
            case HAS -> Set.of();
        };
        List<String> sorted = new ArrayList<>(modifiers);
        sorted.sort(null);
        return sorted;
    }

    private static String bare(String qualifier) {
        return qualifier.substring(1);
    }
}
