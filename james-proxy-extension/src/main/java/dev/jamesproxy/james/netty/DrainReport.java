package dev.jamesproxy.james.netty;

import java.time.Duration;

/** What one proxied listener's graceful stop ({@link ListenerShutdown}) did, for its log line and tests. Immutable. */
public final class DrainReport {
    private final int closedBeforeAdmission;
    private final int idleClosed;
    private final int finished;
    private final int cut;
    private final Duration elapsed;

    DrainReport(int closedBeforeAdmission, int idleClosed, int finished, int cut, Duration elapsed) {
        this.closedBeforeAdmission = closedBeforeAdmission;
        this.idleClosed = idleClosed;
        this.finished = finished;
        this.cut = cut;
        this.elapsed = elapsed;
    }

    /** Connections closed while waiting for their header or hooks, or arriving while the listener stopped. */
    public int closedBeforeAdmission() {
        return closedBeforeAdmission;
    }

    /** Sessions between transactions when the listener began to stop: told and closed at once. */
    public int idleClosed() {
        return idleClosed;
    }

    /** Sessions in a transaction when the listener began to stop that ended within the grace period. */
    public int finished() {
        return finished;
    }

    /** Sessions still in a transaction at the end of the grace period: told and closed. */
    public int cut() {
        return cut;
    }

    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "closedBeforeAdmission=" + closedBeforeAdmission + ", idleClosed=" + idleClosed + ", finished="
            + finished + ", cut=" + cut + ", elapsed=" + elapsed.toMillis() + " ms";
    }
}
