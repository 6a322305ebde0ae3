package dev.taskpoller.embed;

import org.apache.camel.builder.RouteBuilder;

/**
 * A host application's own routes, as README's Embedding section shows them: it submits tasks through
 * {@code direct:taskpoller-submit} and through the requests topic (with its own {@code kafka} component), and takes the
 * events from the per-outcome hooks and from the completed topic. Its route ids, bean and component names are the
 * plain ones taskpoller must leave to it.
 */
public class HostRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // the reply: the accepted request, or the rejection with its reason (header taskpollerOutcome)
        from("direct:submit").routeId("submit")
                .to("direct:taskpoller-submit")
                .bean("stats", "replied");

        // the host's own topic of orders, forwarded as task requests by its own kafka component
        from("kafka:{{host.topic.orders}}?groupId=host-orders&autoOffsetReset=earliest").routeId("orders")
                .to("kafka:{{taskpoller.topic.requests}}");

        // each event once it is in its topic; the host's completed ones go on to its own topic
        from("seda:taskpoller-completed").routeId("completed")
                .bean("stats", "completed")
                .to("kafka:{{host.topic.done}}");
        from("seda:taskpoller-failed").routeId("failed")
                .bean("stats", "failed");
        from("seda:taskpoller-rejected").routeId("rejected")
                .bean("stats", "rejected");

        // the same events from the topic, with the host's own consumer group
        from("kafka:{{taskpoller.topic.completed}}?groupId=host-completed&autoOffsetReset=earliest").routeId("events")
                .bean("stats", "fromTopic");

        // the host's own failure goes to the host's own error handler
        from("direct:boom").routeId("boom")
                .throwException(new IllegalStateException("the host's own failure"));
        from("seda:dead").routeId("dead")
                .bean("stats", "dead");
    }
}
