package org.cartltfu.hub.exchange;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cartltfu.hub.security.Caller;
import org.cartltfu.hub.security.Callers;
import org.cartltfu.hub.security.SiteOrganizations;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where HAPI's Basic Audit Log Patterns interceptor ({@code BalpAuditCaptureInterceptor}) sends its AuditEvents, and
 * who they name. Events of a request are held until the request ends: a successful request's events go to a bounded
 * queue that one background thread stores, so the request never waits for the audit write; a failed request's
 * events are replaced by one failure event (so a rolled-back write is never audited as done). When the queue is
 * full, events are dropped and counted rather than slowing clients down.
 */
@Interceptor
public class AuditTrail implements IBalpAuditEventSink, IBalpAuditContextServices {

	private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
	public static final String CLIENT_SYSTEM = "https://cart-ltfu.org/fhir/sid/oauth-client";
	/**
	 * AuditEvents name what was accessed by a logical URL under this base (e.g. {@code .../Patient/x/_history/2}),
	 * configured as a logical reference: an audit record must survive the deletion of what it describes, and HAPI
	 * refuses new references to deleted resources.
	 */
	public static final String AUDITED_BASE = "https://cart-ltfu.org/fhir/audited/";

	private final Callers callers;
	private final SiteOrganizations sites;
	private final DaoRegistry daos;
	private final BlockingQueue<AuditEvent> queue;
	private final ThreadLocal<List<AuditEvent>> pending = ThreadLocal.withInitial(ArrayList::new);
	private final AtomicLong dropped = new AtomicLong();
	private final Thread writer;
	private volatile boolean running = true;

	public AuditTrail(Callers callers, SiteOrganizations sites, DaoRegistry daos, int queueCapacity) {
		this.callers = callers;
		this.sites = sites;
		this.daos = daos;
		this.queue = new ArrayBlockingQueue<>(queueCapacity);
		this.writer = new Thread(this::drain, "audit-event-writer");
		writer.setDaemon(true);
		writer.start();
	}

	@Override
	public void recordAuditEvent(AuditEvent auditEvent) {
		pending.get().add(auditEvent);
	}

	@Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
	public void requestSucceeded() {
		pending.get().forEach(this::enqueue);
		pending.remove();
	}

	@Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
	public boolean requestFailed(RequestDetails request, BaseServerResponseException exception) {
		pending.remove();
		enqueue(failure(request, exception));
		return true;
	}

	@Override
	public Reference getAgentClientWho(RequestDetails request) {
		Reference client = new Reference();
		client.getIdentifier().setSystem(CLIENT_SYSTEM)
				.setValue(callers.of(request).map(Caller::clientId).orElse(unauthenticated()));
		return client;
	}

	@Override
	public Reference getAgentUserWho(RequestDetails request) {
		Reference site = new Reference();
		callers.of(request).ifPresentOrElse(caller -> {
			site.getIdentifier().setSystem(sites.siteSystem()).setValue(caller.site());
			sites.organizationId(caller.site()).ifPresent(id -> site.setReference("Organization/" + id));
		}, () -> site.setDisplay(unauthenticated()));
		return site;
	}

	@Override
	public String massageResourceIdForStorage(RequestDetails request, IBaseResource resource, IIdType resourceId) {
		String type = resourceId.hasResourceType() ? resourceId.getResourceType() : fhirType(resource);
		String id = type + "/" + resourceId.getIdPart();
		return AUDITED_BASE + (resourceId.hasVersionIdPart() ? id + "/_history/" + resourceId.getVersionIdPart() : id);
	}

	private static String fhirType(IBaseResource resource) {
		return resource == null ? "Resource" : resource.fhirType();
	}

	private String unauthenticated() {
		return callers.securityEnabled() ? "unauthenticated" : "development (security disabled)";
	}

	private AuditEvent failure(RequestDetails request, BaseServerResponseException exception) {
		AuditEvent event = new AuditEvent();
		event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
		if (request.getRestOperationType() != null) {
			event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction",
					request.getRestOperationType().getCode(), null));
		}
		event.setRecorded(new Date());
		// 4 = minor failure (refused or invalid request); 8 = serious failure (server error).
		event.setOutcome(exception.getStatusCode() < 500
				? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._8);
		event.setOutcomeDesc(exception.getStatusCode() + " " + exception.getMessage());
		event.addAgent().setWho(getAgentClientWho(request)).setRequestor(true);
		event.addAgent().setWho(getAgentUserWho(request)).setRequestor(false);
		event.getSource().setObserver(new Reference().setDisplay("CAR-T LTFU Hub"));
		event.addEntity().setDescription(request.getRequestPath());
		return event;
	}

	private void enqueue(AuditEvent event) {
		if (!queue.offer(event)) {
			long total = dropped.incrementAndGet();
			log.warn("Audit queue full: AuditEvent dropped ({} so far)", total);
		}
	}

	private void drain() {
		while (running || !queue.isEmpty()) {
			try {
				AuditEvent event = queue.poll(200, TimeUnit.MILLISECONDS);
				if (event != null) {
					daos.getResourceDao("AuditEvent").create(event, new SystemRequestDetails());
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			} catch (RuntimeException e) {
				log.error("Could not store an AuditEvent", e);
			}
		}
	}

	@PreDestroy
	public void close() throws InterruptedException {
		running = false;
		writer.join(TimeUnit.SECONDS.toMillis(10));
	}
}
