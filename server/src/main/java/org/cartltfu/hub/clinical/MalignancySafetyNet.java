package org.cartltfu.hub.clinical;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.LookupCodeRequest;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Optional;
import org.cartltfu.hub.config.HookOrder;
import org.cartltfu.hub.record.DayZero;
import org.cartltfu.hub.record.PatientRecords;
import org.cartltfu.ig.CarTIg;
import org.cartltfu.ig.CartEventType;
import org.cartltfu.ig.CartTask;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BiologicallyDerivedProduct;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * The secondary-malignancy safety net: when a new malignancy is recorded for a CAR-T recipient, raise two Tasks on
 * the hub's worklist in the same transaction: CAR-transgene testing of the tumour, and notifying the product's
 * manufacturer (FDA boxed warning, January 2024). Find them with {@code Task?code=<cart-task>|&status=requested}.
 */
@Interceptor
public class MalignancySafetyNet {

    private final DaoRegistry daos;
    private final PatientRecords records;
    private final IValidationSupport terminology;

    public MalignancySafetyNet(DaoRegistry daos, PatientRecords records, IValidationSupport terminology) {
        this.daos = daos;
        this.records = records;
        this.terminology = terminology;
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = HookOrder.MALIGNANCY_SAFETY_NET)
    public void onCreated(IBaseResource resource) {
        if (!(resource instanceof Condition condition) || !isNewMalignancy(condition)) {
            return;
        }
        // The server's own writes: not subject to the caller's site restrictions.
        SystemRequestDetails system = new SystemRequestDetails();
        String patient = condition.getSubject().getReference();
        Optional<BiologicallyDerivedProduct> product = infusedProduct(patient, system);
        String productCode = product.map(
                        p -> p.getProductCode().getCodingFirstRep().getCode())
                .orElse(null);
        String productText = product.map(p -> p.getProductCode().getText()).orElse("the infused CAR-T product");
        String lot = product.flatMap(MalignancySafetyNet::lot).orElse("unknown lot");
        String manufacturer =
                Optional.ofNullable(productCode).flatMap(this::manufacturer).orElse("the manufacturer");

        Task transgeneTest = task(
                condition,
                CartTask.CAR_TRANSGENE_TEST,
                "CAR-transgene testing of a new malignancy",
                "Test the tumour sample of " + condition.getCode().getText() + " for the CAR transgene (" + productText
                        + ", lot " + lot + ").");
        Task notice = task(
                condition,
                CartTask.MANUFACTURER_NOTIFICATION,
                "Notify the product's manufacturer",
                "Inform " + manufacturer + " that a recipient of " + productText + " (lot " + lot
                        + ") has a new malignancy, and arrange CAR-transgene testing with them.");
        notice.getOwner().setDisplay(manufacturer);
        product.ifPresent(p -> {
            Reference productReference =
                    new Reference(p.getIdElement().toUnqualifiedVersionless().getValue());
            transgeneTest.addInput().setValue(productReference).getType().setText("product");
            notice.addInput().setValue(productReference).getType().setText("product");
        });
        notice.addInput().setValue(new StringType(lot)).getType().setText("lot");
        daos.getResourceDao(Task.class).create(transgeneTest, system);
        daos.getResourceDao(Task.class).create(notice, system);
    }

    private static boolean isNewMalignancy(Condition condition) {
        return condition.getCategory().stream()
                .flatMap(category -> category.getCoding().stream())
                .anyMatch(coding -> CartEventType.NEW_MALIGNANCY.system().equals(coding.getSystem())
                        && CartEventType.NEW_MALIGNANCY.code().equals(coding.getCode()));
    }

    private static Task task(Condition condition, CartTask code, String display, String description) {
        Task task = new Task();
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setPriority(Task.TaskPriority.URGENT);
        task.setCode(
                new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(code.system(), code.code(), display)));
        task.setDescription(description);
        task.setFor(condition.getSubject().copy());
        task.setFocus(new Reference(
                condition.getIdElement().toUnqualifiedVersionless().getValue()));
        task.setAuthoredOn(new java.util.Date());
        return task;
    }

    /** The product of the patient's first infusion that names one (see {@link DayZero} for which infusions count). */
    private Optional<BiologicallyDerivedProduct> infusedProduct(String patient, SystemRequestDetails system) {
        return records.infusions(new org.hl7.fhir.r4.model.IdType(patient)).stream()
                .map(infusion -> infusion.getExtensionByUrl(CarTIg.EXT_INFUSED_PRODUCT))
                .filter(extension -> extension != null && extension.getValue() instanceof Reference)
                .map(extension -> ((Reference) extension.getValue()).getReference())
                .findFirst()
                .map(reference -> daos.getResourceDao(BiologicallyDerivedProduct.class)
                        .read(new org.hl7.fhir.r4.model.IdType(reference), system));
    }

    private static Optional<String> lot(BiologicallyDerivedProduct product) {
        return product.getIdentifier().stream()
                .filter(identifier ->
                        identifier.getSystem() != null && identifier.getSystem().startsWith(CarTIg.SID_LOT_PREFIX))
                .map(Identifier::getValue)
                .findFirst();
    }

    /** The manufacturer is a property of the product's concept in our cart-product CodeSystem. */
    private Optional<String> manufacturer(String productCode) {
        IValidationSupport.LookupCodeResult result = terminology.lookupCode(
                new ValidationSupportContext(terminology), new LookupCodeRequest(CarTIg.CS_CART_PRODUCT, productCode));
        if (result == null || !result.isFound()) {
            return Optional.empty();
        }
        return result.getProperties().stream()
                .filter(property -> "manufacturer".equals(property.getPropertyName()))
                .filter(property -> property instanceof IValidationSupport.StringConceptProperty)
                .map(property -> ((IValidationSupport.StringConceptProperty) property).getValue())
                .findFirst();
    }
}
