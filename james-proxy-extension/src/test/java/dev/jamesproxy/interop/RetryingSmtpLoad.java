package dev.jamesproxy.interop;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A steady load of SMTP transactions through HAProxy, from a few client threads, each one transaction at a time:
 * connect, EHLO, MAIL, RCPT, DATA, QUIT. The message is sent in two halves with a pause between them, as a client on
 * a slow link would, so that at any moment most clients are in DATA. Like an MTA, a client retries a transaction that failed before it got
 * {@code 250} to its final dot (a refused connection, a close before the greeting, a {@code 421}, a reset), on a new
 * connection, until it is accepted, and counts the retries. Each transaction has a unique subject (its id); the EHLO
 * reply names the node that answered ({@code helloName}), so the client knows which node accepted the mail.
 */
final class RetryingSmtpLoad implements AutoCloseable {
    private static final int MAX_ATTEMPTS = 30;
    private static final long RETRY_PAUSE_MILLIS = 200;

    /** One mail, from its first attempt to its acceptance. */
    static final class Transaction {
        final String id;
        final List<String> failures = new ArrayList<>();
        int attempts;
        String acceptedBy;
        String quitReply;

        Transaction(String id) {
            this.id = id;
        }

        boolean accepted() {
            return acceptedBy != null;
        }
    }

    private final int port;
    private final String prefix;
    private final Duration pause;
    private final Duration dataPause;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Transaction> done = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile boolean stopping;

    private RetryingSmtpLoad(int port, String prefix, Duration pause, Duration dataPause) {
        this.port = port;
        this.prefix = prefix;
        this.pause = pause;
        this.dataPause = dataPause;
    }

    /**
     * Starts {@code clients} threads; each pauses {@code dataPause} in the middle of each message, and {@code pause}
     * between two transactions.
     */
    static RetryingSmtpLoad start(int port, String prefix, int clients, Duration pause, Duration dataPause) {
        RetryingSmtpLoad load = new RetryingSmtpLoad(port, prefix, pause, dataPause);
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(load::run, "smtp-load-" + prefix + "-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void run() {
        while (!stopping) {
            Transaction transaction = new Transaction(String.format("%s-%06d", prefix, sequence.incrementAndGet()));
            while (!transaction.accepted() && transaction.attempts < MAX_ATTEMPTS) {
                if (transaction.attempts > 0) {
                    sleep(RETRY_PAUSE_MILLIS);
                }
                attempt(transaction);
            }
            done.add(transaction);
            sleep(pause.toMillis());
        }
    }

    /** Lets each client finish its transaction (retries included), then returns every transaction made. */
    List<Transaction> stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join(MAX_ATTEMPTS * (RETRY_PAUSE_MILLIS + 20_000));
        }
        return new ArrayList<>(done);
    }

    /** Transactions finished so far. */
    int finished() {
        return done.size();
    }

    private void attempt(Transaction transaction) {
        transaction.attempts++;
        String stage = "connect";
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            stage = "greeting";
            expect(reply(in), "220");
            stage = "EHLO";
            String ehlo = expect(command(in, out, "EHLO load.example"), "250");
            String node = ehlo.substring(4).split("[ .]", 2)[0];
            stage = "MAIL";
            expect(command(in, out, "MAIL FROM:<load@sender.example>"), "250");
            stage = "RCPT";
            expect(command(in, out, "RCPT TO:<" + JamesNode.USER + ">"), "250");
            stage = "DATA";
            expect(command(in, out, "DATA"), "354");
            stage = "message";
            out.write(("From: load@sender.example\r\nTo: " + JamesNode.USER + "\r\nSubject: " + transaction.id
                + "\r\nMessage-ID: <" + transaction.id + "@load.example>\r\n\r\nattempt " + transaction.attempts
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sleep(dataPause.toMillis());
            out.write("second half\r\n".getBytes(StandardCharsets.US_ASCII));
            stage = "final dot";
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(reply(in), "250");
            transaction.acceptedBy = node;
            stage = "QUIT";
            transaction.quitReply = command(in, out, "QUIT").substring(0, 3);
        } catch (IOException e) {
            if (transaction.accepted()) {
                transaction.quitReply = "closed";
            } else {
                transaction.failures.add(stage + ": " + describe(e));
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timeout";
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("reply ")) {
            return message.substring("reply ".length());
        }
        if (message.contains("Connection refused")) {
            return "connection refused";
        }
        if (message.contains("Connection reset")) {
            return "connection reset";
        }
        if (message.startsWith("EOF")) {
            return "closed by the server";
        }
        return e.getClass().getSimpleName() + " " + message;
    }

    private static String command(InputStream in, OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    private static String expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) {
            throw new IOException("reply " + reply.split("\n", 2)[0]);
        }
        return reply;
    }

    /** One (possibly multi-line) reply, its lines joined with \n. */
    private static String reply(InputStream in) throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            StringBuilder line = new StringBuilder(80);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("EOF after '" + reply + line + "'");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (reply.length() > 0) {
                reply.append('\n');
            }
            reply.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!stopping) {
            stop();
        }
    }

    /** How many times each key occurs, sorted by key: e.g. failures by kind, mails by node. */
    static <T> Map<String, Long> count(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }
}
