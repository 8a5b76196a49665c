package dev.jamesproxy.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate process that opens N connections to a port, sends nothing, prints "READY n" and holds them
 * until stdin closes: the pending connections whose server-side heap {@link LoadHarness} measures. It
 * runs apart from James because both ends of 10 000 connections would exceed one process's file limit.
 */
public final class IdleClients {
    private IdleClients() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        List<Socket> sockets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            // Spread over 127.0.0.x so one source address never runs out of ephemeral ports.
            socket.bind(new InetSocketAddress("127.0.0." + (10 + i % 200), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            sockets.add(socket);
        }
        System.out.println("READY " + sockets.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until the parent closes our stdin
        }
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
