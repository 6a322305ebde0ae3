package dev.taskpoller.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Times each status call as Camel itself measures it: the {@code ExchangeSentEvent} of a send to the status API
 * endpoint of poll.yaml ({@code taskpoller-http://status-api-<provider>}), answer or failure alike. A context service:
 * it joins the context's event notifiers when the context starts and leaves them when it stops.
 */
final class StatusCallTimer extends EventNotifierSupport {

    static final String ENDPOINT_PREFIX = "taskpoller-http://status-api-";

    private final TaskpollerMeters meters;
    private final CamelContext context;

    StatusCallTimer(TaskpollerMeters meters, CamelContext context) {
        this.meters = meters;
        this.context = context;
        // only sends: every other kind of event is left alone
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        context.getManagementStrategy().addEventNotifier(this);
    }

    @Override
    protected void doStop() throws Exception {
        context.getManagementStrategy().removeEventNotifier(this);
        super.doStop();
    }

    /** The sending event too: Camel times a send (and tells when it was sent) only when its sending was notified. */
    @Override
    public boolean isEnabled(CamelEvent event) {
        return statusCall(event);
    }

    private static boolean statusCall(CamelEvent event) {
        Endpoint endpoint = event instanceof ExchangeSendingEvent sending ? sending.getEndpoint()
                : event instanceof ExchangeSentEvent sent ? sent.getEndpoint() : null;
        return endpoint != null && endpoint.getEndpointUri().startsWith(ENDPOINT_PREFIX);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSentEvent sent) {
            meters.statusCallTook(providerOf(sent.getEndpoint().getEndpointUri()), sent.getTimeTaken());
        }
    }

    static String providerOf(String endpointUri) {
        int options = endpointUri.indexOf('?');
        return endpointUri.substring(ENDPOINT_PREFIX.length(), options < 0 ? endpointUri.length() : options);
    }
}
