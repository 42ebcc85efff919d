package org.cartltfu.hub.config;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that HAPI never sees are OperationOutcomes too, never an HTML page: Spring's error page (unknown paths,
 * 405 on {@code /auth/token}, an exception in a filter) and Tomcat's own answers to requests it cannot parse
 * (malformed percent-encoding or request line, oversized headers).
 */
@Configuration(proxyBeanMethods = false)
public class ContainerErrors {

    /** Replaces Spring Boot's {@code BasicErrorController} (JSON of its own, or a whitelabel HTML page). */
    @RestController
    static class OperationOutcomeErrorController implements ErrorController {

        @RequestMapping("${server.error.path:/error}")
        ResponseEntity<String> error(HttpServletRequest request) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int status = code instanceof Integer number ? number : 500;
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            return ResponseEntity.status(status)
                    .contentType(MediaType.parseMediaType("application/fhir+json;charset=UTF-8"))
                    .body(OperationOutcomes.json(
                            status, describe(status, request.getMethod(), uri == null ? "" : uri.toString())));
        }

        private static String describe(int status, String method, String path) {
            return switch (status) {
                case 404 -> "Nothing at " + path + ": the FHIR API is at /fhir, the token endpoint at /auth/token";
                case 405 -> "Method " + method + " is not allowed on " + path;
                default -> status + " " + reason(status) + " (" + method + " " + path + ")";
            };
        }
    }

    /** Tomcat's error report valve, writing an OperationOutcome (made by Tomcat by class name, outside Spring). */
    public static class OperationOutcomeValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(true);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            String diagnostics = status + " " + reason(status) + ": the server could not read this HTTP request"
                    + (status == 400 ? " (malformed request line, URL, percent-encoding or headers)" : "")
                    + (throwable != null && throwable.getMessage() != null ? ": " + throwable.getMessage() : "");
            try {
                response.setContentType("application/fhir+json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(OperationOutcomes.json(status, diagnostics));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The connection is gone or the response was committed meanwhile: nothing more to say.
            }
        }
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> operationOutcomeErrorValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // Spring Boot adds a plain ErrorReportValve (HTML) to the host; ours takes its place.
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof OperationOutcomeValve)) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(OperationOutcomeValve.class.getName());
            }
        });
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }
}
