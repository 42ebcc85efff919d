package org.cartltfu.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.subscription.submit.interceptor.SubscriptionValidatingInterceptor;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.InterceptorOrders;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;

/** Every hook of the hub takes its order from {@link HookOrder}, and those orders sit where HAPI's own need them. */
class HookOrderTest {

    @Test
    void everyHookOfTheHubDeclaresAnOrderFromHookOrder() throws Exception {
        Set<Integer> declared = new HashSet<>();
        for (var field : HookOrder.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                assertTrue(declared.add(field.getInt(null)), "two stages share order " + field.getInt(null));
            }
        }
        List<String> hooks = new ArrayList<>();
        List<String> unordered = new ArrayList<>();
        for (Class<?> type : hubClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                Hook hook = method.getAnnotation(Hook.class);
                if (hook != null) {
                    hooks.add(type.getSimpleName() + "." + method.getName());
                    if (!declared.contains(hook.order())) {
                        unordered.add(type.getSimpleName() + "." + method.getName() + " (order " + hook.order() + ")");
                    }
                }
            }
        }
        assertTrue(hooks.size() >= 40, "the scan found the hub's hooks: " + hooks);
        assertEquals(List.of(), unordered);
    }

    @Test
    void eachClassRunsAtOneStageOfThePipeline() throws Exception {
        for (Class<?> type : hubClasses()) {
            Set<Integer> orders = new HashSet<>();
            Arrays.stream(type.getDeclaredMethods())
                    .map(method -> method.getAnnotation(Hook.class))
                    .filter(hook -> hook != null)
                    .forEach(hook -> orders.add(hook.order()));
            assertTrue(orders.size() <= 1, type.getSimpleName() + " runs at several stages: " + orders);
        }
    }

    @Test
    void theHubsStagesSitBetweenHapisObserversAndHapisRenderingAndSubscriptionChecks() throws Exception {
        Hook subscriptionCheck = SubscriptionValidatingInterceptor.class
                .getMethod("resourcePreCreate", IBaseResource.class, RequestDetails.class, RequestPartitionId.class)
                .getAnnotation(Hook.class);
        assertEquals(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, subscriptionCheck.value());
        int subscriptionValidation = subscriptionCheck.order();
        for (var field : HookOrder.class.getDeclaredFields()) {
            if (field.getType() == int.class) {
                int order = field.getInt(null);
                // BALP capture and the subscription matcher observe at 0, before any stage of ours
                assertTrue(order > 0, field.getName());
                // a Subscription is checked after the intake policy and the access guard have passed it
                assertTrue(order < subscriptionValidation, field.getName());
                // an answer is guarded before HAPI renders it as HTML for a browser
                assertTrue(order < InterceptorOrders.RESPONSE_HIGHLIGHTER_INTERCEPTOR, field.getName());
            }
        }
        assertTrue(HookOrder.SITE_CODE_MAPPING < HookOrder.INTAKE_POLICY, "codes are mapped before validation");
        assertTrue(
                HookOrder.PATIENT_MATCHING < HookOrder.ACCESS_GUARD,
                "the access guard sees a spoke's Patient entries after matching made them conditional");
        assertTrue(HookOrder.AFTER_COMMIT < HookOrder.GRADE_CONSISTENCY, "findings exist before they are reported");
        assertTrue(
                HookOrder.ACCESS_GUARD > HookOrder.GRADE_CONSISTENCY,
                "the outbound guard sees the answer with everything added to it");
        assertTrue(
                HookOrder.SITE_WRITE_GUARD > HookOrder.MALIGNANCY_SAFETY_NET
                        && HookOrder.SITE_WRITE_GUARD > HookOrder.PROVENANCE,
                "site ownership is checked after all writes");
    }

    private static List<Class<?>> hubClasses() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(
                    org.springframework.beans.factory.annotation.AnnotatedBeanDefinition definition) {
                return true;
            }
        };
        scanner.addIncludeFilter((reader, factory) -> true);
        List<Class<?>> classes = new ArrayList<>();
        for (BeanDefinition definition : scanner.findCandidateComponents("org.cartltfu.hub")) {
            Class<?> type = Class.forName(definition.getBeanClassName(), false, HookOrderTest.class.getClassLoader());
            // the server's classes, not the tests'
            if (!type.getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath()
                    .contains("test-classes")) {
                classes.add(type);
            }
        }
        return classes;
    }
}
