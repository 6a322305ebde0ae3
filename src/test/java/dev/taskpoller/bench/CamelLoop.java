package dev.taskpoller.bench;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.dataformat.JsonLibrary;
import org.apache.camel.support.DefaultExchange;

/**
 * The polling loop a Camel user writes from the Delay EIP's documentation, one exchange per task: {@code loopDoWhile}
 * the status is not terminal, {@code delay} the interval (asynchronously, Camel's default), {@code to(http)} the
 * status API (camel-http, Apache HttpClient 5), read the status from the JSON answer. The delay's scheduler runs the
 * calls: its pool of 10 threads (the default thread pool profile) is the loop's concurrency. One change from the
 * defaults: that scheduler's queue is unbounded, since at its default bound of 1,000 every task beyond ~1,000 in
 * flight is rejected. The "event" is the exchange leaving the loop; its time (wall clock, µs) is written per task to
 * the events file once all tasks ended. Started by {@link Compare} in a JVM of its own.
 *
 * <p>Arguments: base-url api-key tag tasks interval-ms events-file
 */
public final class CamelLoop {

    private CamelLoop() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        String apiKey = args[1];
        int tasks = Integer.parseInt(args[3]);
        TaskGroup group = new TaskGroup(args[2], tasks, 0);
        long intervalMillis = Long.parseLong(args[4]);
        Path eventsFile = Path.of(args[5]);
        AtomicLongArray eventAt = new AtomicLongArray(tasks);
        CountDownLatch ended = new CountDownLatch(tasks);

        DefaultCamelContext context = new DefaultCamelContext();
        context.getExecutorServiceManager().getDefaultThreadPoolProfile().setMaxQueueSize(-1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:task").routeId("task-loop")
                        .setProperty("status", constant("pending"))
                        .loopDoWhile(simple("${exchangeProperty.status} != 'completed'"
                                + " && ${exchangeProperty.status} != 'failed'"))
                            .to("direct:poll")
                        .end()
                        .process(exchange -> {
                            eventAt.set(exchange.getIn().getHeader("taskIndex", Integer.class), TaskGroup.nowMicros());
                            ended.countDown();
                        });
                from("direct:poll").routeId("poll-once")
                        .delay(intervalMillis).asyncDelayed()
                        .removeHeaders("*", "taskId", "taskIndex")
                        .setHeader(Exchange.HTTP_PATH, simple("/v1/tasks/${header.taskId}"))
                        .setHeader("x-api-key", constant(apiKey))
                        .setBody(constant(null))
                        .to(baseUrl + "?httpMethod=GET")
                        .unmarshal().json(JsonLibrary.Jackson, Map.class)
                        .setProperty("status", simple("${body[status]}"));
            }
        });
        context.start();
        AsyncProducer producer = context.getEndpoint("direct:task").createAsyncProducer();
        producer.start();
        for (int i = 0; i < tasks; i++) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getIn().setHeader("taskId", group.id(i));
            exchange.getIn().setHeader("taskIndex", i);
            producer.process(exchange, doneSync -> { });
        }
        System.out.println("LOOP fed " + tasks);
        if (!ended.await(2, TimeUnit.HOURS)) {
            System.out.println("LOOP timed out with " + ended.getCount() + " tasks not ended");
        }
        try (BufferedWriter out = Files.newBufferedWriter(eventsFile)) {
            for (int i = 0; i < tasks; i++) {
                out.write(i + " " + eventAt.get(i) + "\n");
            }
        }
        System.out.println("LOOP done");
        // stays up until the harness has read its figures and stops it
        Thread.currentThread().join();
    }
}
