package dev.jamesproxy.interop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the logs of the child processes (proxies) when a test fails; the files stay in the test's temp dir. */
final class ChildLogs implements TestWatcher {
    private static final List<ExternalProcess> PROCESSES = new CopyOnWriteArrayList<>();

    static ExternalProcess register(ExternalProcess process) {
        PROCESSES.add(process);
        return process;
    }

    static void unregister(ExternalProcess process) {
        PROCESSES.remove(process);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        context.getTestInstance().filter(InteropMode.class::isInstance).map(InteropMode.class::cast)
            .ifPresent(InteropMode::markFailed);
        for (ExternalProcess process : PROCESSES) {
            System.err.println("===== " + process.name() + " (" + process.log() + ", "
                + (process.isAlive() ? "running" : "exited") + ") =====");
            System.err.println(process.output());
        }
    }
}
