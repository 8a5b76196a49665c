package dev.jamesproxy.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One bounded run of a real client (swaks, curl): its exit code and its transcript, the command line first. */
final class ClientRun {
    /** The exit code, or -1 when the client was killed at its time bound. */
    final int exitCode;
    /** {@code $ command}, then everything the client wrote to stdout and stderr. */
    final String transcript;

    private ClientRun(int exitCode, String transcript) {
        this.exitCode = exitCode;
        this.transcript = transcript;
    }

    /** Runs {@code command}; kills it after {@code seconds}. */
    static ClientRun of(List<String> command, long seconds) {
        String tool = Path.of(command.get(0)).getFileName().toString();
        Path output = null;
        try {
            output = Files.createTempFile(tool, ".txt");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = "$ " + String.join(" ", command) + "\n" + Files.readString(output, StandardCharsets.UTF_8);
            return finished ? new ClientRun(process.exitValue(), text)
                : new ClientRun(-1, text + "\n(" + tool + " killed after " + seconds + " s)");
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + tool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n" + transcript;
    }
}
