package dev.taskpoller.embed;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.camel.Body;
import org.apache.camel.Header;

/** The host's own bean, bound as {@code stats}: what its routes saw. */
public class HostStats {

    public record Reply(Object body, String outcome, String orderRef) {
    }

    public final List<Reply> replies = new CopyOnWriteArrayList<>();
    public final List<String> completed = new CopyOnWriteArrayList<>();
    public final List<String> failed = new CopyOnWriteArrayList<>();
    public final List<String> rejected = new CopyOnWriteArrayList<>();
    public final List<String> fromTopic = new CopyOnWriteArrayList<>();
    public final List<String> dead = new CopyOnWriteArrayList<>();

    public void replied(@Body Object reply, @Header("taskpollerOutcome") String outcome, @Header("orderRef") String orderRef) {
        replies.add(new Reply(reply, outcome, orderRef));
    }

    public void completed(String event) {
        completed.add(event);
    }

    public void failed(String event) {
        failed.add(event);
    }

    public void rejected(String rejection) {
        rejected.add(rejection);
    }

    public void fromTopic(String event) {
        fromTopic.add(event);
    }

    public void dead(Object body) {
        dead.add(String.valueOf(body));
    }

    /** Waits until {@code list} has at least {@code count} items; fails with {@code what} otherwise. */
    public static void await(String what, List<?> list, int count, Duration wait) throws InterruptedException {
        awaitCondition(() -> what + " (" + count + " expected, have " + list + ")", () -> list.size() >= count, wait);
    }

    /** {@code what} is read when the wait fails: it may tell what there is by then. */
    static void awaitCondition(Supplier<String> what, Supplier<Boolean> condition, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("still waiting after " + wait.toSeconds() + " s for " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
