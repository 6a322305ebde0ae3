package dev.taskpoller.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sends an adapter's {@link StatusCall} over real HTTP and hands the reply back to the same adapter. */
public final class StatusCalls {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StatusCalls() {
    }

    public static ProviderReply send(StatusCall call) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url())).timeout(Duration.ofSeconds(10));
        call.headers().forEach(request::header);
        request.method(call.method(), call.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(call.body()));
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return new ProviderReply(response.statusCode(), headers, response.body());
    }

    /** One poll of these ids through the adapter: build the call, send it, interpret the reply. */
    public static Map<String, PollOutcome> poll(ProviderAdapter adapter, ProviderEndpoint endpoint, List<String> ids)
            throws Exception {
        return adapter.interpret(ids, send(adapter.statusCall(ids, endpoint)));
    }
}
