package dev.taskpoller.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.engine.Excerpt;
import dev.taskpoller.engine.InFlightControl;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.provider.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AceData's {@code callback_url} (acedata-callback.yaml): AceData posts the task object there when the task ends
 * (inferred: the body is not documented). AceData signs nothing, so the callback URL carries a shared secret
 * ({@code ?token=}); without it, or with another: 401 and no other effect. A task object that has its
 * {@code response} becomes a control record for the task's owner, who ends the task with the event its poll would
 * have given ({@link InFlightControl#WEBHOOK}); anything else is acknowledged and ignored.
 */
public class AceDataCallbacks {

    /** The query parameter of the callback URL with the shared secret. */
    public static final String TOKEN = "token";
    private static final String PROVIDER = "acedata-qrart";
    private static final Logger LOG = LoggerFactory.getLogger(AceDataCallbacks.class);

    private final byte[] token;

    public AceDataCallbacks(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("taskpoller.webhooks.acedata.token must be set when "
                    + "taskpoller.webhooks.acedata.enabled is true: AceData's callbacks are signed by nothing else");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The control record of a callback that ends a task, or null when there is nothing to do; the status to answer in
     * {@link ScanDocumentsWebhooks#STATUS}: 401 without the token, 204 otherwise.
     */
    public InFlightControl read(Exchange exchange) {
        String given = exchange.getMessage().getHeader(TOKEN, String.class);
        // the token is taken off the message at once: nothing after this step may see it, log it or pass it on
        exchange.getMessage().removeHeader(TOKEN);
        exchange.getMessage().removeHeader(Exchange.HTTP_QUERY);
        exchange.getMessage().removeHeader(Exchange.HTTP_RAW_QUERY);
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            LOG.debug("An AceData callback without the right token is refused (401)");
            exchange.setProperty(ScanDocumentsWebhooks.STATUS, 401);
            return null;
        }
        exchange.setProperty(ScanDocumentsWebhooks.STATUS, 204);
        JsonNode task = Json.parse(exchange.getMessage().getBody(String.class)).orElse(null);
        if (task == null || !task.path("id").isTextual() || task.path("response").isMissingNode()
                || task.path("response").isNull()) {
            LOG.debug("An AceData callback that ends no task is ignored");
            return null;
        }
        String taskId = task.path("id").textValue();
        return new InFlightControl(InFlightControl.WEBHOOK, new TaskRequest(PROVIDER, taskId, null, null, null,
                "callback:" + Excerpt.of(taskId, 200)), Json.write(task));
    }
}
