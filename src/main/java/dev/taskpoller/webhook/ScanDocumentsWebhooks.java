package dev.taskpoller.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.Excerpt;
import dev.taskpoller.engine.InFlightControl;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.provider.Json;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scan Documents' webhooks (webhooks.yaml): {@code {"id", "type", "timestamp", "data": <task>}}, Svix-signed. A
 * {@code task.completed} or {@code task.failed} that is signed, recent and not seen before becomes a control record
 * for the task's owner, who ends the task with the event its poll would have given ({@link InFlightControl#WEBHOOK});
 * anything unsigned, forged or stale is a 401 with no other effect; a repeat of a webhook already taken (Svix retries
 * until it gets a 2xx) and any other event type are acknowledged and ignored.
 */
public class ScanDocumentsWebhooks {

    /** The exchange property with the HTTP status to answer. */
    public static final String STATUS = "taskpollerWebhookStatus";
    private static final String WEBHOOK_ID = "taskpollerWebhookId";
    private static final String PROVIDER = "scan-documents";
    private static final Set<String> ENDING = Set.of("task.completed", "task.failed");
    private static final Logger LOG = LoggerFactory.getLogger(ScanDocumentsWebhooks.class);
    /** How many webhook ids are remembered to ignore their repeats; Svix repeats a webhook only until it gets a 2xx. */
    private static final int SEEN_IDS = 100_000;

    private final SvixSignature signature;
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > SEEN_IDS;
                }
            }));

    public ScanDocumentsWebhooks(SvixSignature signature) {
        this.signature = signature;
    }

    /**
     * The control record of a webhook that ends a task, or null when there is nothing to do; the status to answer in
     * {@link #STATUS}: 401 for anything not signed with the secret within the tolerance, 204 otherwise.
     */
    public InFlightControl read(Exchange exchange) {
        String id = exchange.getMessage().getHeader("svix-id", String.class);
        exchange.setProperty(WEBHOOK_ID, id);
        String body = exchange.getMessage().getBody(String.class);
        if (!signature.verify(id, exchange.getMessage().getHeader("svix-timestamp", String.class),
                exchange.getMessage().getHeader("svix-signature", String.class), body, Instant.now())) {
            LOG.debug("A webhook without a valid signature or with a stale timestamp is refused (401)");
            exchange.setProperty(STATUS, 401);
            return null;
        }
        exchange.setProperty(STATUS, 204);
        if (seen.contains(id)) {
            LOG.debug("Webhook {} seen before is ignored", Excerpt.forLog(id));
            return null;
        }
        JsonNode event = Json.parse(body).orElse(null);
        JsonNode task = event == null ? null : event.path("data");
        if (event == null || !ENDING.contains(event.path("type").asText()) || !task.path("id").isTextual()) {
            LOG.debug("Webhook {} ends no task and is ignored", Excerpt.forLog(id));
            seen(id);
            return null;
        }
        return new InFlightControl(InFlightControl.WEBHOOK, new TaskRequest(PROVIDER, task.path("id").textValue(), null,
                null, null, "webhook:" + Excerpt.of(id, 200)), Json.write(task));
    }

    /** Remembers a webhook once its control record is written: its repeats are ignored from then on. */
    public void seen(@ExchangeProperty(WEBHOOK_ID) String id) {
        if (id != null) {
            seen.add(id);
        }
    }
}
