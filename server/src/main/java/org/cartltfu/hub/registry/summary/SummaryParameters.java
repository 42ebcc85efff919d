package org.cartltfu.hub.registry.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * Period summaries as FHIR Parameters: one {@code summary} parameter per period whose parts are named as in
 * {@link PeriodSummary#COLUMNS}. Absent values are left out, repeating values (therapies, missing fields) repeat the
 * part, study days are integers and no calendar date appears.
 */
public final class SummaryParameters {

    private SummaryParameters() {}

    public static Parameters of(List<PeriodSummary> summaries) {
        Parameters parameters = new Parameters();
        for (PeriodSummary summary : summaries) {
            ParametersParameterComponent part = parameters.addParameter().setName("summary");
            for (PeriodSummary.Field field : summary.fields()) {
                if (field.value() instanceof List<?> values) {
                    values.forEach(value -> part.addPart().setName(field.name()).setValue(type(value)));
                } else if (field.value() != null) {
                    part.addPart().setName(field.name()).setValue(type(field.value()));
                }
            }
        }
        return parameters;
    }

    private static Type type(Object value) {
        if (value instanceof Coded coded) {
            return new CodeType(coded.code());
        }
        if (value instanceof Integer number) {
            return new IntegerType(number);
        }
        if (value instanceof Boolean flag) {
            return new BooleanType(flag);
        }
        if (value instanceof Double fraction) {
            return new DecimalType(BigDecimal.valueOf(fraction).setScale(2, RoundingMode.HALF_UP));
        }
        return new StringType(value.toString());
    }
}
