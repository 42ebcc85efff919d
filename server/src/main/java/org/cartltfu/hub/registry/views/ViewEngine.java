package org.cartltfu.hub.registry.views;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * HAPI's R4 FHIRPath engine with the SQL-on-FHIR additions: the functions {@code getResourceKey()} and
 * {@code getReferenceKey([type])}, and a view's constants as {@code %name}. Building one loads the FHIR core
 * definitions (seconds), so make one per FhirContext and share it, also between threads: evaluating changes neither
 * the engine's settings nor the parsed paths (only the engine's trace log, which views do not use).
 */
public final class ViewEngine {

    private static final String GET_RESOURCE_KEY = "getResourceKey";
    private static final String GET_REFERENCE_KEY = "getReferenceKey";

    private final FhirContext fhirContext;
    private final FHIRPathEngine fhirPath;

    public ViewEngine(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
        this.fhirPath = new FHIRPathEngine(
                new HapiWorkerContext(fhirContext, new DefaultProfileValidationSupport(fhirContext)));
        fhirPath.setHostServices(new SqlOnFhirServices());
    }

    boolean isResourceType(String type) {
        return fhirContext.getResourceTypes().contains(type);
    }

    /** @throws IllegalArgumentException naming {@code element} when the path is not FHIRPath */
    ExpressionNode parse(String path, String element) {
        try {
            return fhirPath.parse(path);
        } catch (FHIRException e) {
            throw new IllegalArgumentException(element + ": invalid FHIRPath '" + path + "': " + e.getMessage(), e);
        }
    }

    /** A constant's value as the FHIR primitive FHIRPath compares it as. */
    Base primitive(String type, String value, String element) {
        PrimitiveType<?> primitive =
                (PrimitiveType<?>) fhirContext.getElementDefinition(type).newInstance();
        try {
            primitive.setValueAsString(value);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException(element + ": '" + value + "' is not a valid " + type, e);
        }
        return primitive;
    }

    /**
     * @param constants the view's constants by name: the engine's application context, so one engine serves every view
     */
    List<Base> evaluate(ExpressionNode path, Resource resource, Base focus, Map<String, Base> constants) {
        return fhirPath.evaluate(constants, resource, resource, focus, path);
    }

    private static final class SqlOnFhirServices implements IHostApplicationServices {

        @Override
        public List<Base> resolveConstant(
                FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
            // The engine also asks about every plain name (implicit modes) before reading it as an element.
            if (mode != FHIRPathConstantEvaluationMode.EXPLICIT) {
                return List.of();
            }
            if (!(((Map<?, ?>) appContext).get(name) instanceof Base value)) {
                throw new PathEngineException("unknown constant %" + name);
            }
            return List.of(value);
        }

        @Override
        public TypeDetails resolveConstantType(
                FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
            return null;
        }

        @Override
        public boolean log(String argument, List<Base> focus) {
            return false;
        }

        @Override
        public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
            return switch (functionName) {
                case GET_RESOURCE_KEY -> new FunctionDetails("id part of the resource's id", 0, 0);
                case GET_REFERENCE_KEY ->
                    new FunctionDetails("id part of a literal reference, of the given type", 0, 1);
                default -> null;
            };
        }

        @Override
        public TypeDetails checkFunction(
                FHIRPathEngine engine,
                Object appContext,
                String functionName,
                TypeDetails focus,
                List<TypeDetails> parameters) {
            return new TypeDetails(ExpressionNode.CollectionStatus.SINGLETON, "string");
        }

        @Override
        public List<Base> executeFunction(
                FHIRPathEngine engine,
                Object appContext,
                List<Base> focus,
                String functionName,
                List<List<Base>> parameters) {
            List<Base> keys = new ArrayList<>();
            if (GET_RESOURCE_KEY.equals(functionName)) {
                for (Base item : focus) {
                    if (item instanceof Resource resource
                            && resource.getIdElement().hasIdPart()) {
                        keys.add(new StringType(resource.getIdElement().getIdPart()));
                    }
                }
                return keys;
            }
            String type = parameters.isEmpty() ? null : referenceType(parameters.get(0));
            for (Base item : focus) {
                if (item instanceof Reference reference && reference.hasReference()) {
                    // Only literal Type/id references (relative or absolute) have a key; urn:uuid and #contained do
                    // not.
                    IdType target = new IdType(reference.getReference());
                    if (target.hasResourceType()
                            && target.hasIdPart()
                            && (type == null || type.equals(target.getResourceType()))) {
                        keys.add(new StringType(target.getIdPart()));
                    }
                }
            }
            return keys;
        }

        // The engine hands a type parameter over as a code "FHIR.<name>" (see paramIsType).
        private static String referenceType(List<Base> parameter) {
            String code = parameter.isEmpty() ? "" : parameter.get(0).primitiveValue();
            String type = code.startsWith("FHIR.") ? code.substring(5) : code;
            if (type.isEmpty() || "null".equals(type)) {
                throw new PathEngineException(
                        "getReferenceKey takes a resource type name, e.g. getReferenceKey(Patient)");
            }
            return type;
        }

        @Override
        public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) {
            return null;
        }

        @Override
        public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) {
            throw new PathEngineException("conformsTo() is not supported in views");
        }

        @Override
        public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
            return null;
        }

        @Override
        public boolean paramIsType(String name, int index) {
            return GET_REFERENCE_KEY.equals(name) && index == 0;
        }
    }
}
