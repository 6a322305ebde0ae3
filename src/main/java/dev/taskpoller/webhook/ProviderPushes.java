package dev.taskpoller.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpoller.config.Configuration;
import dev.taskpoller.config.InvalidConfigurationException;
import dev.taskpoller.config.Settings;
import dev.taskpoller.engine.InFlightControl;
import dev.taskpoller.engine.TaskRequest;
import dev.taskpoller.provider.Json;
import dev.taskpoller.provider.ProviderAdapter;
import dev.taskpoller.provider.Push;
import dev.taskpoller.text.Excerpt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the webhook routes (webhooks.yaml, one per provider whose pushes are on) do with a push, as the provider's
 * {@link Push} says: a push that proves it is the provider's and ends a task becomes a control record for the task's
 * owner, who ends the task with the event its poll would have given ({@link InFlightControl#WEBHOOK}); anything not
 * authentic is a 401 with no other effect; a repeat of a push already taken (Standard Webhooks senders retry until
 * they get a 2xx) and a push that ends no task are acknowledged and ignored.
 */
public class ProviderPushes {

    /** The exchange property with the HTTP status to answer. */
    public static final String STATUS = "taskpollerWebhookStatus";
    /** The exchange property with the provider whose endpoint took the push (set by the route template). */
    public static final String PROVIDER = "taskpollerWebhookProvider";
    /** The query parameter of a {@link Push.Verification#TOKEN} URL with the shared secret. */
    public static final String TOKEN = "token";
    private static final String WEBHOOK_ID = "taskpollerWebhookId";
    private static final Logger LOG = LoggerFactory.getLogger(ProviderPushes.class);
    /** How many push ids are remembered to ignore their repeats; a sender repeats a push only until it gets a 2xx. */
    private static final int SEEN_IDS = 100_000;

    private final Map<String, Receiver> receivers;
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > SEEN_IDS;
                }
            }));

    /** One provider's side: how its pushes are read, and the secret they are checked with (held as key bytes). */
    private record Receiver(Push push, SvixSignature signature, byte[] token) {
    }

    private ProviderPushes(Map<String, Receiver> receivers) {
        this.receivers = receivers;
    }

    /** The providers whose pushes are on ({@code taskpoller.provider.<name>.webhook-enabled}), each with its route. */
    public List<String> providers() {
        return receivers.keySet().stream().sorted().toList();
    }

    /**
     * The receivers of the providers whose pushes are on.
     *
     * @throws InvalidConfigurationException when one of them pushes nothing or has no secret
     */
    public static ProviderPushes of(Configuration config, Collection<ProviderAdapter> adapters) {
        Map<String, Receiver> receivers = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ProviderAdapter adapter : adapters) {
            String name = adapter.name();
            if (!config.get(Settings.WEBHOOK_ENABLED, name)) {
                continue;
            }
            Optional<Push> push = adapter.push();
            String secret = config.get(Settings.WEBHOOK_SECRET, name);
            if (push.isEmpty()) {
                problems.add(Settings.WEBHOOK_ENABLED.keyFor(name) + " = true: " + name + " pushes nothing (its"
                        + " definition has no spec.push)");
            } else if (secret.isBlank()) {
                problems.add(Settings.WEBHOOK_SECRET.keyFor(name) + " is not set: " + name + "'s pushes are on and"
                        + " are checked with it (" + (push.get().verification() == Push.Verification.TOKEN
                        ? "the shared token its callback URL carries as ?token=" : "the signing secret, whsec_...") + ")");
            } else if (push.get().verification() == Push.Verification.TOKEN) {
                receivers.put(name, new Receiver(push.get(), null, secret.getBytes(StandardCharsets.UTF_8)));
            } else {
                try {
                    SvixSignature signature = new SvixSignature(secret, config.get(Settings.WEBHOOKS_TOLERANCE));
                    if (signature.refusesAll()) {
                        problems.add(Settings.WEBHOOK_SECRET.keyFor(name) + ": whsec_ with no key after it: every push"
                                + " would be refused");
                    }
                    receivers.put(name, new Receiver(push.get(), signature, null));
                } catch (IllegalArgumentException notASecret) {
                    problems.add(Settings.WEBHOOK_SECRET.keyFor(name) + ": " + notASecret.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new ProviderPushes(Map.copyOf(receivers));
    }

    /**
     * The control record of a push that ends a task, or null when there is nothing to do; the status to answer in
     * {@link #STATUS}: 401 for anything not authentic, 204 otherwise.
     */
    public InFlightControl read(Exchange exchange) {
        String provider = exchange.getProperty(PROVIDER, String.class);
        Receiver receiver = receivers.get(provider);
        Message message = exchange.getMessage();
        String token = message.getHeader(TOKEN, String.class);
        // a token is taken off the message at once: nothing after this step may see it, log it or pass it on
        for (String carrier : List.of(TOKEN, Exchange.HTTP_QUERY, Exchange.HTTP_RAW_QUERY, Exchange.HTTP_URI, Exchange.HTTP_URL)) {
            message.removeHeader(carrier);
        }
        String id = standardHeader(message, "id");
        String body = message.getBody(String.class);
        if (receiver == null || !authentic(receiver, id, token, message, body)) {
            LOG.debug("A push to {} that is not authentic is refused (401)", Excerpt.forLog(provider));
            exchange.setProperty(STATUS, 401);
            return null;
        }
        exchange.setProperty(STATUS, 204);
        String seenKey = id == null ? null : provider + "/" + id;
        exchange.setProperty(WEBHOOK_ID, seenKey);
        if (seenKey != null && seen.contains(seenKey)) {
            LOG.debug("Push {} of {} seen before is ignored", Excerpt.forLog(id), provider);
            return null;
        }
        JsonNode parsed = Json.parse(body).orElse(null);
        Optional<Push.Ended> ended = parsed == null ? Optional.empty() : receiver.push().reader().apply(parsed);
        if (ended.isEmpty()) {
            LOG.debug("A push to {} ends no task and is ignored", provider);
            seen(seenKey);
            return null;
        }
        String taskId = ended.get().taskId();
        return new InFlightControl(InFlightControl.WEBHOOK, new TaskRequest(provider, taskId, null, null, null,
                "webhook:" + Excerpt.of(id != null ? id : taskId, 200)), Json.write(ended.get().task()));
    }

    /** Remembers a push once its control record is written: its repeats are ignored from then on. */
    public void seen(@ExchangeProperty(WEBHOOK_ID) String key) {
        if (key != null) {
            seen.add(key);
        }
    }

    private static boolean authentic(Receiver receiver, String id, String token, Message message, String body) {
        if (receiver.token() != null) {
            return token != null && MessageDigest.isEqual(receiver.token(), token.getBytes(StandardCharsets.UTF_8));
        }
        return receiver.signature().verify(id, standardHeader(message, "timestamp"), standardHeader(message, "signature"),
                body, Instant.now());
    }

    /** A Standard Webhooks header, {@code webhook-<name>}, or as Svix names it, {@code svix-<name>}. */
    private static String standardHeader(Message message, String name) {
        String value = message.getHeader("webhook-" + name, String.class);
        return value != null ? value : message.getHeader("svix-" + name, String.class);
    }
}
