package dev.taskpoller.demo;

import dev.taskpoller.TaskpollerCommand;
import java.util.List;

/** {@code java -jar taskpoller.jar demo [--keep-running]}: {@link Demo}. */
public final class DemoCommand implements TaskpollerCommand {

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public int run(List<String> args) throws Exception {
        return Demo.run(args);
    }

    @Override
    public boolean stoppedBySignal() {
        return Demo.stoppedBySignal();
    }
}
